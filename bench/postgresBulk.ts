import pg from 'pg';
import { CORPUS_SETTING, type CorpusSetting } from './archiveSpec.ts';
import { type BulkWriter, LOADED_TABLES, type Phase } from './bulkWriter.ts';
import type { Row, TableSpec } from './corpusRows.ts';

/** Tables with a serial id the loader fills with explicit ids: their sequences must move past them. */
const SERIAL_TABLES = ['users', 'pseuds', 'tags', 'works', 'chapters'];

/**
 * Loads through one pg connection: each table's rows go in as one array per column
 * (`insert … select * from unnest($1::int[], …)`), which is close to COPY without another package.
 * Triggers and foreign-key checks are off for this session only (session_replication_role).
 */
export class PostgresBulkWriter implements BulkWriter {
  private readonly client: pg.Client;
  private lifted: Array<{ name: string; definition: string }> = [];

  private constructor(url: string) {
    this.client = new pg.Client({ connectionString: url });
  }

  static async open(url: string): Promise<PostgresBulkWriter> {
    const writer = new PostgresBulkWriter(url);
    await writer.client.connect();
    return writer;
  }

  async start(): Promise<void> {
    await this.client.query('set session_replication_role = replica');
    await this.client.query('set synchronous_commit = off');
    const { rows } = await this.client.query<{ name: string; definition: string }>(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class t on t.oid = i.indrelid
       where t.relname = any($1) and not i.indisprimary and not i.indisunique`,
      [LOADED_TABLES],
    );
    this.lifted = rows;
    for (const index of rows) await this.client.query(`drop index ${index.name}`);
  }

  async transaction(fill: () => Promise<void>): Promise<void> {
    await this.client.query('begin');
    try {
      await fill();
      await this.client.query('commit');
    } catch (error) {
      await this.client.query('rollback');
      throw error;
    }
  }

  async insert(table: TableSpec, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const names = table.columns.map(([name]) => name);
    const arrays = table.columns.map((_, index) => rows.map((row) => row[index]));
    const unnest = table.columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
    await this.client.query(
      `insert into ${table.name} (${names.join(', ')}) select * from unnest(${unnest})`,
      arrays,
    );
  }

  async finish(setting: CorpusSetting, phase: Phase): Promise<void> {
    await this.client.query(`set maintenance_work_mem = '1GB'`);
    // Building the GIN index is the full-text index step on PostgreSQL; the btrees go with it.
    await phase('indexes and full-text index', async () => {
      for (const index of this.lifted) await this.client.query(index.definition);
    });
    for (const table of SERIAL_TABLES) {
      await this.client.query(
        `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 1))`,
      );
    }
    await this.client.query('delete from search_index_changes');
    await this.client.query(
      `insert into settings (name, value) values ($1, $2) on conflict (name) do update set value = excluded.value`,
      [CORPUS_SETTING, JSON.stringify(setting)],
    );
    await this.client.query('set session_replication_role = origin');
    await phase('vacuum analyze', async () => {
      await this.client.query('vacuum analyze');
    });
  }

  async size(): Promise<number> {
    const { rows } = await this.client.query<{ size: string }>(
      'select pg_database_size(current_database()) as size',
    );
    return Number(rows[0].size);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
