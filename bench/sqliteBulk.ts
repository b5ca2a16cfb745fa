import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { CORPUS_SETTING, type CorpusSetting } from './archiveSpec.ts';
import { type BulkWriter, LOADED_TABLES, type Phase } from './bulkWriter.ts';
import type { Row, TableSpec } from './corpusRows.ts';

interface SchemaObject {
  type: 'index' | 'trigger';
  name: string;
  sql: string;
}

/**
 * Loads through one better-sqlite3 connection with prepared statements, the journal off and
 * synchronous writes off: a crash mid-load leaves a broken file, which `--replace` starts over.
 */
export class SqliteBulkWriter implements BulkWriter {
  private readonly db: SqliteDatabase.Database;
  private readonly statements = new Map<string, SqliteDatabase.Statement>();
  private lifted: SchemaObject[] = [];

  constructor(private readonly file: string) {
    this.db = new SqliteDatabase(file);
  }

  async start(): Promise<void> {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('foreign_keys = OFF');
    this.db.pragma('cache_size = -524288');
    const placeholders = LOADED_TABLES.map(() => '?').join(', ');
    this.lifted = this.db
      .prepare(
        `select type, name, sql from sqlite_master
         where type in ('index', 'trigger') and sql is not null and tbl_name in (${placeholders})`,
      )
      .all(...LOADED_TABLES) as SchemaObject[];
    for (const object of this.lifted) this.db.exec(`drop ${object.type} ${object.name}`);
  }

  async transaction(fill: () => Promise<void>): Promise<void> {
    this.db.exec('begin');
    try {
      await fill();
      this.db.exec('commit');
    } catch (error) {
      this.db.exec('rollback');
      throw error;
    }
  }

  async insert(table: TableSpec, rows: Row[]): Promise<void> {
    let statement = this.statements.get(table.name);
    if (!statement) {
      const names = table.columns.map(([name]) => name);
      statement = this.db.prepare(
        `insert into ${table.name} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`,
      );
      this.statements.set(table.name, statement);
    }
    for (const row of rows) statement.run(row);
  }

  async finish(setting: CorpusSetting, phase: Phase): Promise<void> {
    await phase('indexes', async () => {
      for (const object of this.lifted.filter((each) => each.type === 'index')) this.db.exec(object.sql);
    });
    for (const object of this.lifted.filter((each) => each.type === 'trigger')) this.db.exec(object.sql);
    // The triggers that keep FTS5 in step were off during the load: build the index from the table.
    await phase('full-text index', async () => {
      this.db.exec(`insert into work_search_fts (work_search_fts) values ('rebuild')`);
      this.db.exec(`insert into work_search_fts (work_search_fts) values ('optimize')`);
    });
    this.db.exec('delete from search_index_changes');
    this.db
      .prepare('insert or replace into settings (name, value) values (?, ?)')
      .run(CORPUS_SETTING, JSON.stringify(setting));
    await phase('analyze', async () => {
      this.db.exec('analyze');
    });
    this.db.pragma('journal_mode = WAL');
  }

  async size(): Promise<number> {
    return [this.file, `${this.file}-wal`]
      .filter((path) => fs.existsSync(path))
      .reduce((total, path) => total + fs.statSync(path).size, 0);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
