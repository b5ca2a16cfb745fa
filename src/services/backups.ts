import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { QuireConfig } from '../config.ts';
import type { DialectName } from '../db/database.ts';
import {
  assertPostgresNotInUse,
  type CopyProgress,
  copySqliteDatabase,
  DatabaseInUseError,
  dumpPostgresDatabase,
  holdsAnything,
  leaveSqliteSelfContained,
  replacePostgresDatabase,
  replaceSqliteDatabase,
  SnapshotRefusedError,
} from '../db/snapshots.ts';
import { ConflictError, ValidationError } from './errors.ts';

// Backups of the whole archive database, and putting one back. A backup holds password hashes and
// email addresses, so it is written readable by its owner alone; a checksum file beside it
// (`sha256sum -c` reads it) lets a restore notice a copy damaged on the way.

const extensions: Record<DialectName, string> = { sqlite: 'sqlite', postgres: 'pgdump' };
const dialectNames: Record<DialectName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** `quire-backup-YYYYMMDD-HHMMSS.<sqlite|pgdump>`, in UTC. */
export function defaultBackupName(dialect: DialectName, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `quire-backup-${stamp}.${extensions[dialect]}`;
}

/** Which database a backup file came from, by its first bytes. */
function backupDialect(header: Buffer): DialectName | null {
  if (header.subarray(0, 16).equals(Buffer.from('SQLite format 3\0'))) return 'sqlite';
  if (header.subarray(0, 5).equals(Buffer.from('PGDMP'))) return 'postgres';
  return null;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  checksumFile: string;
}

/**
 * Writes a consistent copy of the archive to `out` while it serves, and its SHA-256 to `out.sha256`.
 * The copy goes to a new file of mode 0600 beside `out`, renamed into place once complete, so `out`
 * never names half a backup.
 */
export async function backUpArchive(
  database: QuireConfig['database'],
  out: string,
  env: NodeJS.ProcessEnv,
  progress: CopyProgress,
): Promise<BackupResult> {
  if (await fileExists(out))
    throw new ConflictError(`${out} already exists: choose another --out, or move the old backup away.`);
  if (database.dialect === 'sqlite' && !(await fileExists(database.file)))
    throw new ValidationError(`There is no archive at ${database.file} to back up (see QUIRE_DATA_DIR).`);
  const partial = `${out}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await (await fs.open(partial, 'wx', 0o600)).close();
    if (database.dialect === 'sqlite') await copySqliteDatabase(database.file, partial, progress);
    else await dumpPostgresDatabase(database.url, partial, env, progress);
    const handle = await fs.open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(partial, out);
  } finally {
    await fs.rm(partial, { force: true });
  }
  const sha256 = await sha256Of(out);
  const checksumFile = `${out}.sha256`;
  await fs.writeFile(checksumFile, `${sha256}  ${path.basename(out)}\n`);
  return { file: out, bytes: (await fs.stat(out)).size, sha256, checksumFile };
}

export interface RestoreResult {
  /** Whether a checksum file lay beside the backup (and matched: a mismatch refuses). */
  checksumChecked: boolean;
  /** Migrations that brought an older backup up to date. */
  migrationsApplied: string[];
}

/**
 * Replaces the archive with a backup made by backUpArchive. Refuses, leaving the archive as it was: a
 * backup of the other database, a file that is no backup, one that does not match its checksum, an
 * archive a server has open, and (without `force`) an archive that holds any account or work.
 */
export async function restoreArchive(
  database: QuireConfig['database'],
  file: string,
  options: { force: boolean },
  env: NodeJS.ProcessEnv,
): Promise<RestoreResult> {
  const header = await readHeader(file);
  const dialect = backupDialect(header);
  if (dialect === null)
    throw new ValidationError(`${file} is not a Quire backup (neither a SQLite file nor a pg_dump file).`);
  if (dialect !== database.dialect)
    throw new ValidationError(
      `${file} is a ${dialectNames[dialect]} backup, but this archive is on ${dialectNames[database.dialect]}. ` +
        'Restore it into an archive on the same database, then move across with `quire export` and `quire import bundle`.',
    );

  const checksumChecked = await verifyChecksum(file);

  try {
    if (database.dialect === 'sqlite') await leaveSqliteSelfContained(database.file);
    else await assertPostgresNotInUse(database.url);
    if (!options.force && (await holdsAnything(database)))
      throw new ConflictError(
        'This archive already holds accounts or works; restoring would replace them all. ' +
          'Run again with --force to replace them.',
      );
    const migrationsApplied =
      database.dialect === 'sqlite'
        ? await replaceSqliteDatabase(database.file, file)
        : await replacePostgresDatabase(database.url, file, env);
    return { checksumChecked, migrationsApplied };
  } catch (error) {
    if (error instanceof DatabaseInUseError)
      throw new ConflictError(`${error.message} Stop every Quire server using it, then restore.`);
    if (error instanceof SnapshotRefusedError) throw new ValidationError(error.message);
    throw error;
  }
}

function fileExists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

async function readHeader(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r').catch(() => {
    throw new ValidationError(`Cannot read ${file}.`);
  });
  try {
    const header = Buffer.alloc(16);
    await handle.read(header, 0, 16, 0);
    return header;
  } finally {
    await handle.close();
  }
}

/** Checks the backup against `FILE.sha256` when there is one; says whether there was. */
async function verifyChecksum(file: string): Promise<boolean> {
  const recorded = await fs.readFile(`${file}.sha256`, 'utf8').catch(() => null);
  if (recorded === null) return false;
  const expected = recorded.trim().split(/\s+/)[0]?.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected ?? ''))
    throw new ValidationError(`${file}.sha256 holds no SHA-256 checksum.`);
  if ((await sha256Of(file)) !== expected)
    throw new ValidationError(
      `${file} does not match the checksum in ${file}.sha256: the backup was damaged or changed since it was made.`,
    );
  return true;
}
