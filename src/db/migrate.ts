import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';
import type { ArchiveDatabase, DialectName } from './database.ts';
import * as foundation from './migrations/001_foundation.ts';
import * as seriesImportsDownloads from './migrations/002_series_imports_downloads.ts';
import * as comments from './migrations/003_comments.ts';
import * as readerSide from './migrations/004_reader_side.ts';
import * as findingWorks from './migrations/005_finding_works.ts';
import * as importUploads from './migrations/008_import_uploads.ts';
import * as accountChanges from './migrations/009_account_changes.ts';
import * as tokenScopesAndProfiles from './migrations/010_token_scopes_and_profiles.ts';
import * as dataExports from './migrations/011_data_exports.ts';
import * as idsNeverReused from './migrations/012_ids_never_reused.ts';
import * as pseudsAndIcons from './migrations/013_pseuds_and_icons.ts';
import * as creatorshipInvitations from './migrations/014_creatorship_invitations.ts';
import * as staffRolesAndAuditLog from './migrations/015_staff_roles_and_audit_log.ts';
import * as reports from './migrations/016_reports.ts';

/** What a migration needs to write one schema that runs on both dialects. */
export interface MigrationContext {
  dialect: DialectName;
  /** An auto-numbered integer key column type. */
  idColumn: 'integer' | 'serial';
  /**
   * Makes that column the table's key: every new table writes `.addColumn('id', idColumn, idPrimaryKey)`.
   * On SQLite it adds AUTOINCREMENT, without which the id of a deleted newest row is given to the next
   * one, and old links (`/works/4`, inbox items, mails) open someone else's row. Migration 012 made the
   * tables of 001–011 so; a test fails for any later table keyed by an integer id without it.
   */
  idPrimaryKey: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** The column type that holds a moment in time. */
  timestamp: 'text' | 'timestamptz';
  /** The column type that holds bytes. */
  binary: 'blob' | 'bytea';
}

type MigrationModule = { up(db: Kysely<unknown>, context: MigrationContext): Promise<void> };

// Listed here rather than read from disk so that the same list runs from source and from a bundle.
const migrationModules: Record<string, MigrationModule> = {
  '001_foundation': foundation,
  '002_series_imports_downloads': seriesImportsDownloads,
  '003_comments': comments,
  '004_reader_side': readerSide,
  '005_finding_works': findingWorks,
  '008_import_uploads': importUploads,
  '009_account_changes': accountChanges,
  '010_token_scopes_and_profiles': tokenScopesAndProfiles,
  '011_data_exports': dataExports,
  '012_ids_never_reused': idsNeverReused,
  '013_pseuds_and_icons': pseudsAndIcons,
  '014_creatorship_invitations': creatorshipInvitations,
  '015_staff_roles_and_audit_log': staffRolesAndAuditLog,
  '016_reports': reports,
};

class ArchiveMigrationProvider implements MigrationProvider {
  constructor(private readonly context: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const [name, module] of Object.entries(migrationModules)) {
      migrations[name] = { up: (db) => module.up(db, this.context) };
    }
    return migrations;
  }
}

export class MigrationError extends Error {}

/** Brings the schema up to date; safe to run on every start and from several instances at once. */
export async function migrateToLatest(archive: ArchiveDatabase): Promise<string[]> {
  return migrate(archive, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema up to one migration and no further, as an archive of an older release has it. */
export async function migrateTo(archive: ArchiveDatabase, migrationName: string): Promise<string[]> {
  return migrate(archive, (migrator) => migrator.migrateTo(migrationName));
}

async function migrate(
  archive: ArchiveDatabase,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<string[]> {
  const postgres = archive.dialect === 'postgres';
  const context: MigrationContext = {
    dialect: archive.dialect,
    idColumn: postgres ? 'serial' : 'integer',
    idPrimaryKey: postgres
      ? (column) => column.primaryKey()
      : (column) => column.primaryKey().autoIncrement(),
    timestamp: postgres ? 'timestamptz' : 'text',
    binary: postgres ? 'bytea' : 'blob',
  };
  const migrator = new Migrator({ db: archive.db, provider: new ArchiveMigrationProvider(context) });
  const { error, results } = await run(migrator);
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`Migration ${failed} failed: ${error instanceof Error ? error.message : error}`);
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
