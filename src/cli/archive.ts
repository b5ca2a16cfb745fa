import { loadConfig, type QuireConfig } from '../config.ts';
import { type ArchiveDatabase, createDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** Opens the configured archive with its schema up to date, for one command's lifetime. */
export async function openArchive(): Promise<{ config: QuireConfig; archive: ArchiveDatabase }> {
  const config = loadConfig();
  const archive = createDatabase(config.database);
  await migrateToLatest(archive);
  return { config, archive };
}

export function describeDatabase(config: QuireConfig): string {
  return config.database.dialect === 'sqlite'
    ? `SQLite at ${config.database.file}`
    : `PostgreSQL at ${new URL(config.database.url).host}`;
}
