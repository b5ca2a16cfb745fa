import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { QuireConfig } from '../config.ts';
import { createDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

// A whole archive database copied out to one file while it serves, and put back from one: SQLite's
// online backup API and a file renamed into place, or PostgreSQL's pg_dump, pg_restore and psql.

/** How far a copy has got: pages (SQLite) or tables (PostgreSQL). */
export type CopyProgress = (done: number, total: number) => void;

/** The archive is open elsewhere (a running server): replacing it now would lose that server's writes. */
export class DatabaseInUseError extends Error {}

/** Thrown when a backup file is unusable; the service says so to the person restoring. */
export class SnapshotRefusedError extends Error {}

/** A program the PostgreSQL side needs (pg_dump, pg_restore, psql) failed or is missing. */
export class ClientProgramError extends Error {}

/**
 * Copies a SQLite archive into `destination` (an existing empty file, or none) through SQLite's online
 * backup API, while servers keep writing to it. Each step copies some pages inside one read snapshot;
 * when another connection writes between steps SQLite starts the copy again, so once a step makes no
 * headway the rest is copied in a single step. A reader never blocks writers in WAL mode, and the copy
 * is the database at one moment either way.
 */
export async function copySqliteDatabase(
  file: string,
  destination: string,
  progress: CopyProgress,
): Promise<void> {
  // Read-write although it only reads: a read-only connection leaves the -wal and -shm files it had to
  // create behind, owned by whoever ran the backup, when no server had the archive open.
  const source = new SqliteDatabase(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    let remaining = Number.POSITIVE_INFINITY;
    let allAtOnce = false;
    const copied = await source.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages >= remaining) allAtOnce = true;
        remaining = remainingPages;
        progress(totalPages - remainingPages, totalPages);
        // About fifty steps, so that a progress bar moves.
        return allAtOnce ? totalPages : Math.max(100, Math.ceil(totalPages / 50));
      },
    });
    progress(copied.totalPages, copied.totalPages);
  } finally {
    source.close();
  }
}

/**
 * Replaces the SQLite archive at `file` with the database in `backup` (already checked to be a SQLite
 * file), brought up to date by the migrations; returns the migrations applied. The copy is made,
 * checked and migrated beside the archive, then renamed over it, so a failure at any point leaves the
 * archive as it was. Refuses while anything else has the archive open.
 */
export async function replaceSqliteDatabase(file: string, backup: string): Promise<string[]> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // The archive keeps the mode it had (the server's account must still open it); a new one is its owner's alone.
  const mode = await fs.stat(file).then(
    (stat) => stat.mode & 0o777,
    () => 0o600,
  );
  const restoring = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.restoring`;
  try {
    await fs.copyFile(backup, restoring, fs.constants.COPYFILE_EXCL);
    await fs.chmod(restoring, mode);
    const copy = createDatabase({ dialect: 'sqlite', file: restoring });
    let applied: string[];
    try {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(copy.db);
      if (check.rows[0]?.integrity_check !== 'ok')
        throw new SnapshotRefusedError('The backup is damaged: SQLite’s integrity check fails on it.');
      const tables = new Set(
        (await copy.db.introspection.getTables({ withInternalKyselyTables: true })).map(
          (table) => table.name,
        ),
      );
      if (!tables.has('works') || !tables.has('kysely_migration'))
        throw new SnapshotRefusedError('That SQLite file is not a Quire backup: it has no Quire tables.');
      applied = await migrateToLatest(copy);
      // One self-contained file, with no write-ahead log beside it to go missing in the rename.
      await sql`pragma journal_mode = delete`.execute(copy.db);
    } finally {
      await copy.close();
    }
    await leaveSqliteSelfContained(file);
    await fs.rename(restoring, file);
    await syncFolder(path.dirname(file));
    return applied;
  } finally {
    await fs.rm(restoring, { force: true });
  }
}

/**
 * Folds the archive's write-ahead log into the file and removes it, which SQLite allows only to the one
 * connection holding the database: with a server running, this fails at once. Renaming a new file over
 * an archive whose log is still beside it would have SQLite apply the old log to the new file.
 */
export async function leaveSqliteSelfContained(file: string): Promise<void> {
  if (!(await fileExists(file))) return;
  const archive = new SqliteDatabase(file, { fileMustExist: true });
  try {
    archive.pragma('busy_timeout = 0');
    archive.pragma('journal_mode = delete');
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new DatabaseInUseError(`The archive at ${file} is in use.`);
    throw error;
  } finally {
    archive.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The connection for PostgreSQL's own programs: the URL without its password, which goes in
 * PGPASSWORD instead, where other users of the machine cannot read it in the process list.
 */
function postgresClient(url: string, env: NodeJS.ProcessEnv): { uri: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { uri: parsed.toString(), env: password ? { ...env, PGPASSWORD: password } : env };
}

interface ProgramRun {
  done: Promise<void>;
  stdout: NodeJS.ReadableStream;
  stdin: NodeJS.WritableStream;
  stop(): void;
}

/** Runs one of PostgreSQL's programs; `done` fails with what it wrote on stderr. */
function runProgram(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderrLine: (line: string) => void = () => {},
): ProgramRun {
  const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // A program that stops early closes its input; `done` reports why, so the broken pipe needs no report.
  child.stdin.on('error', () => {});
  let errors = '';
  let partialLine = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      onStderrLine(line);
      // --verbose lines are progress, not errors.
      if (!/^(pg_dump|pg_restore): (?!error|warning)/.test(line)) errors += `${line}\n`;
    }
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ClientProgramError(
          error.code === 'ENOENT'
            ? `${program} was not found on PATH. Install PostgreSQL's client programs of the server's major version (on Debian: postgresql-client-15 for PostgreSQL 15).`
            : `${program} could not start: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new ClientProgramError(
            `${program} failed (exit status ${code}):\n${(errors + partialLine).trim()}`,
          ),
        );
    });
  });
  return { done, stdout: child.stdout, stdin: child.stdin, stop: () => child.kill('SIGTERM') };
}

/**
 * Dumps a PostgreSQL archive into `destination` with pg_dump's custom format. pg_dump reads in one
 * repeatable-read transaction, so the dump is the database at one moment while servers keep writing.
 */
export async function dumpPostgresDatabase(
  url: string,
  destination: string,
  env: NodeJS.ProcessEnv,
  progress: CopyProgress,
): Promise<void> {
  const archive = createDatabase({ dialect: 'postgres', url });
  let total: number;
  try {
    total = (await archive.db.introspection.getTables()).length;
  } finally {
    await archive.close();
  }
  const client = postgresClient(url, env);
  let done = 0;
  progress(done, total);
  const run = runProgram(
    'pg_dump',
    ['--format=custom', '--verbose', '--file', destination, '--dbname', client.uri],
    client.env,
    (line) => {
      if (line.includes('dumping contents of table')) progress(Math.min(total, ++done), total);
    },
  );
  run.stdin.end();
  await run.done;
  progress(total, total);
}

// Everything the migrations made in the archive's schema goes before the backup's copy comes in, so
// that objects a newer Quire added (and the backup lacks) do not stop the migrations that follow.
const emptySchema = `
do $$
declare item record;
begin
  for item in select tablename from pg_tables where schemaname = current_schema() loop
    execute format('drop table if exists %I cascade', item.tablename);
  end loop;
  for item in select sequence_name from information_schema.sequences where sequence_schema = current_schema() loop
    execute format('drop sequence if exists %I cascade', item.sequence_name);
  end loop;
  for item in select p.oid::regprocedure as signature from pg_proc p
      where p.pronamespace = current_schema()::regnamespace
        and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') loop
    execute format('drop function if exists %s cascade', item.signature);
  end loop;
end $$;
`;

/**
 * Replaces the PostgreSQL archive at `url` with the pg_dump file `backup`, in one transaction: the
 * archive's objects are dropped and the backup's created and filled (pg_restore writes the SQL, psql
 * runs it), so a failure leaves the archive as it was. Then the migrations bring it up to date;
 * returns the migrations applied.
 */
export async function replacePostgresDatabase(
  url: string,
  backup: string,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const client = postgresClient(url, env);
  const listing = runProgram('pg_restore', ['--list', backup], client.env);
  listing.stdin.end();
  let contents = '';
  listing.stdout.setEncoding('utf8');
  listing.stdout.on('data', (chunk: string) => {
    contents += chunk;
  });
  await listing.done;
  if (!/ TABLE public works /.test(contents) || !/ TABLE public kysely_migration /.test(contents))
    throw new SnapshotRefusedError('That PostgreSQL dump is not a Quire backup: it has no Quire tables.');

  const script = runProgram(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--file', '-', backup],
    client.env,
  );
  script.stdin.end();
  const psql = runProgram(
    'psql',
    ['--no-psqlrc', '--quiet', '--set', 'ON_ERROR_STOP=1', '--single-transaction', '--dbname', client.uri],
    client.env,
  );
  // psql's notices ("drop cascades to …") are not failures; only its exit status is.
  psql.stdout.resume();
  psql.stdin.write(emptySchema);
  script.stdout.pipe(psql.stdin, { end: false });
  // At the end of its input psql commits what it was given, so it sees the end only once pg_restore
  // has written the whole script; when pg_restore fails (a damaged dump), psql is stopped instead and
  // the transaction rolls back.
  let restoreFailure: unknown = null;
  await script.done.then(
    () => psql.stdin.end(),
    (error: unknown) => {
      restoreFailure = error;
      psql.stop();
    },
  );
  await psql.done.catch((error: unknown) => {
    throw restoreFailure ?? error;
  });
  if (restoreFailure) throw restoreFailure;

  const archive = createDatabase({ dialect: 'postgres', url });
  try {
    return await migrateToLatest(archive);
  } finally {
    await archive.close();
  }
}

/** Whether anyone else is connected to the PostgreSQL archive (a server, usually). */
export async function assertPostgresNotInUse(url: string): Promise<void> {
  const archive = createDatabase({ dialect: 'postgres', url });
  try {
    const { rows } = await sql<{ others: number }>`select count(*) as others from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(
      archive.db,
    );
    if (Number(rows[0]?.others) > 0)
      throw new DatabaseInUseError(
        `The archive database is in use by ${rows[0].others} other connection(s).`,
      );
  } finally {
    await archive.close();
  }
}

/** Whether the archive holds any account or work (a new, migrated archive holds none). */
export async function holdsAnything(database: QuireConfig['database']): Promise<boolean> {
  if (database.dialect === 'sqlite' && !(await fileExists(database.file))) return false;
  const archive = createDatabase(database);
  try {
    const tables = new Set((await archive.db.introspection.getTables()).map((table) => table.name));
    if (!tables.has('users') || !tables.has('works')) return false;
    const users = await archive.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    const works = await archive.db.selectFrom('works').select('id').limit(1).executeTakeFirst();
    return users !== undefined || works !== undefined;
  } finally {
    await archive.close();
  }
}

async function fileExists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
