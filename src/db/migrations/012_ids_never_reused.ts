import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Without AUTOINCREMENT, SQLite numbers a new row max(id) + 1: once the newest work, comment or account
// is deleted, its id goes to the next one, and every link to the old row (inbox items, mails, bookmarks
// elsewhere, readers' history) opens the new one. PostgreSQL's sequences never go back, so only SQLite's
// tables keyed by an integer id are rebuilt, by SQLite's procedure for the changes ALTER TABLE cannot
// make (https://www.sqlite.org/lang_altertable.html#otheralter). Tables made later are created so
// (MigrationContext.idPrimaryKey).
//
// Kysely runs SQLite migrations outside any transaction (its SQLite adapter declares no transactional
// DDL), on the one connection it holds for them. That lets this migration turn foreign keys off, which
// SQLite ignores inside a transaction, and then open its own transaction, so that a failure leaves the
// older schema whole. The tables are read from the schema as it stands, so those of migrations 009–011
// are covered too, and running it again (should the process stop between the commit and Kysely
// recording the migration) finds nothing left to do.
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  if (dialect !== 'sqlite') return;
  const foreignKeys = await pragma(db, 'foreign_keys');
  const legacyAlterTable = await pragma(db, 'legacy_alter_table');
  // With foreign keys on, dropping a table deletes every row that references it.
  await sql`pragma foreign_keys = off`.execute(db);
  // Triggers on other tables name the tables being rebuilt (works' triggers write to
  // search_index_changes); renaming new_X to X rereads every trigger and view and fails on those while X
  // is dropped. The legacy rename leaves them as written, naming X, which is again the table they meant.
  await sql`pragma legacy_alter_table = on`.execute(db);
  try {
    // Immediate: another process's write cannot slip in between reading the schema and rebuilding it.
    await sql`begin immediate`.execute(db);
    try {
      await rebuildTablesWithReusableIds(db);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql.raw(`pragma foreign_keys = ${foreignKeys}`).execute(db);
    await sql.raw(`pragma legacy_alter_table = ${legacyAlterTable}`).execute(db);
  }
}

async function pragma(db: Kysely<unknown>, name: 'foreign_keys' | 'legacy_alter_table'): Promise<number> {
  const { rows } = await sql.raw<Record<string, number>>(`pragma ${name}`).execute(db);
  return Number(rows[0][name]);
}

async function rebuildTablesWithReusableIds(db: Kysely<unknown>): Promise<void> {
  // An archive holding broken references already (restored by hand, say) is not refused for them; only
  // references the rebuild itself broke would be.
  const brokenBefore = new Set(await brokenReferences(db));
  for (const table of await tablesWithReusableIds(db)) await rebuild(db, table);
  const broken = (await brokenReferences(db)).filter((reference) => !brokenBefore.has(reference));
  if (broken.length > 0)
    throw new Error(`The rebuilt tables break references: ${broken.slice(0, 5).join('; ')}`);
}

async function brokenReferences(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{
    table: string;
    rowid: number;
    parent: string;
  }>`pragma foreign_key_check`.execute(db);
  return rows.map((row) => `${row.table} row ${row.rowid} → ${row.parent}`);
}

interface TableToRebuild {
  name: string;
  /** What the rebuilt table is called until the old one is dropped. */
  temporary: string;
  /** The table's CREATE TABLE statement, made to create `temporary` with an AUTOINCREMENT id. */
  createNew: string;
}

/** The tables keyed by one INTEGER column named id (a rowid) without AUTOINCREMENT, FTS5's own aside. */
async function tablesWithReusableIds(db: Kysely<unknown>): Promise<TableToRebuild[]> {
  const { rows } = await sql<{ name: string; sql: string }>`
    select m.name, m.sql from pragma_table_list l join sqlite_master m on m.type = 'table' and m.name = l.name
    where l.schema = 'main' and l.type = 'table' and not l.wr and l.name not like 'sqlite%'
    order by m.name`.execute(db);
  const tables: TableToRebuild[] = [];
  for (const { name, sql: statement } of rows) {
    const { rows: key } = await sql<{ name: string; type: string }>`
      select name, type from pragma_table_info(${name}) where pk > 0`.execute(db);
    if (key.length !== 1 || key[0].name.toLowerCase() !== 'id' || key[0].type.toUpperCase() !== 'INTEGER')
      continue;
    const temporary = `new_${name}`;
    const createNew = withAutoincrementId(statement, name, temporary);
    if (createNew !== null) tables.push({ name, temporary, createNew });
  }
  return tables;
}

async function rebuild(db: Kysely<unknown>, { name, temporary, createNew }: TableToRebuild): Promise<void> {
  // Generated columns are computed again, not copied.
  const { rows: columns } = await sql<{ name: string }>`
    select name from pragma_table_xinfo(${name}) where hidden = 0 order by cid`.execute(db);
  const columnList = sql.join(columns.map((column) => sql.id(column.name)));
  // Dropping the table drops its indexes and triggers (and their statistics): remember them first.
  const { rows: dependents } = await sql<{ sql: string }>`
    select sql from sqlite_master where tbl_name = ${name} and type in ('index', 'trigger') and sql is not null
    order by rowid`.execute(db);
  const statistics = await statisticsOf(db, name);

  await sql.raw(createNew).execute(db);
  // Ids are copied as they are, so every reference stays true and an external-content FTS5 index over the
  // table (keyed by rowid, which id is) stays consistent; the copy also records the highest id in
  // sqlite_sequence, which AUTOINCREMENT counts from.
  await sql`insert into ${sql.id(temporary)} (${columnList}) select ${columnList} from ${sql.id(name)}`.execute(
    db,
  );
  await sql`drop table ${sql.id(name)}`.execute(db);
  await sql`alter table ${sql.id(temporary)} rename to ${sql.id(name)}`.execute(db);
  for (const dependent of dependents) await sql.raw(dependent.sql).execute(db);
  // Kept rather than recomputed (ANALYZE reads the whole table), so the query planner chooses as before.
  for (const { table, rows } of statistics) {
    for (const row of rows) {
      const fields = Object.keys(row);
      await sql`insert into ${sql.id(table)} (${sql.join(fields.map((field) => sql.id(field)))})
        values (${sql.join(fields.map((field) => row[field]))})`.execute(db);
    }
  }
}

/** The rows ANALYZE wrote about a table, in whichever of its statistics tables the archive has. */
async function statisticsOf(db: Kysely<unknown>, name: string) {
  const { rows: tables } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name in ('sqlite_stat1', 'sqlite_stat4')`.execute(
    db,
  );
  const statistics: { table: string; rows: Record<string, unknown>[] }[] = [];
  for (const { name: table } of tables) {
    const { rows } = await sql<Record<string, unknown>>`
      select * from ${sql.id(table)} where tbl = ${name}`.execute(db);
    statistics.push({ table, rows });
  }
  return statistics;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

// Quoted names and string literals whole (doubled quotes inside), comments, runs of word characters,
// spaces, and any other single character.
const SQL_TOKEN =
  /"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|[\w$]+|\s+|[\s\S]/g;

function tokensOf(statement: string): Token[] {
  return [...statement.matchAll(SQL_TOKEN)]
    .filter(([text]) => !/^(\s|--|\/\*)/.test(text))
    .map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length }));
}

function unquoted(name: string): string {
  const quote = name[0];
  if (quote === '"' || quote === '`') return name.slice(1, -1).replaceAll(quote + quote, quote);
  if (quote === '[') return name.slice(1, -1);
  return name;
}

/**
 * A table's CREATE TABLE statement rewritten to create `newName` with `id ... PRIMARY KEY AUTOINCREMENT`,
 * everything else (constraints, defaults, references, spelling) as written; null when the id already
 * is AUTOINCREMENT. The statement is tokenised rather than matched, so that quoted names, defaults and
 * CHECK expressions holding the same words cannot be mistaken for the id column's definition.
 */
function withAutoincrementId(statement: string, table: string, newName: string): string | null {
  const tokens = tokensOf(statement);
  const open = tokens.findIndex((token) => token.text === '(');
  // The column definitions and table constraints, split at the commas outside any parentheses.
  const items: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens.slice(open + 1)) {
    if (token.text === ')' && depth === 0) break;
    if (token.text === ',' && depth === 0) {
      items.push([]);
      continue;
    }
    if (token.text === '(') depth++;
    if (token.text === ')') depth--;
    items[items.length - 1].push(token);
  }
  const idColumn =
    items.find((item) => item.length > 0 && unquoted(item[0].text).toLowerCase() === 'id') ?? [];
  const words = idColumn.map((token) => token.text.toLowerCase());
  let after = words.findIndex((word, index) => word === 'primary' && words[index + 1] === 'key') + 2;
  if (after < 2) {
    // AUTOINCREMENT belongs to a column's own PRIMARY KEY; no table of Quire's is written otherwise.
    throw new Error(`The table ${table} names its id key apart from the column: rebuild it by hand.`);
  }
  // PRIMARY KEY [ASC | DESC] [ON CONFLICT resolution] [AUTOINCREMENT]
  if (words[after] === 'asc' || words[after] === 'desc') after++;
  if (words[after] === 'on' && words[after + 1] === 'conflict') after += 3;
  if (words[after] === 'autoincrement') return null;
  const keyEnd = idColumn[after - 1].end;
  const tableName = tokens[open - 1];
  return (
    statement.slice(0, tableName.start) +
    `"${newName.replaceAll('"', '""')}"` +
    statement.slice(tableName.end, keyEnd) +
    ' autoincrement' +
    statement.slice(keyEnd)
  );
}
