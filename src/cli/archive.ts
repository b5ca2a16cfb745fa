import { loadConfig, type QuireConfig } from '../config.ts';
import { type ArchiveDatabase, createDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** Opens the configured archive with its schema up to date, for one command's lifetime. */
export async function openArchive(
  env: NodeJS.ProcessEnv,
): Promise<{ config: QuireConfig; archive: ArchiveDatabase }> {
  const config = loadConfig(env);
  const archive = createDatabase(config.database);
  try {
    await migrateToLatest(archive);
  } catch (error) {
    // A test runs commands in its own process, where a pool left open would outlive the failure.
    await archive.close();
    throw error;
  }
  return { config, archive };
}

export function describeDatabase(config: QuireConfig): string {
  return config.database.dialect === 'sqlite'
    ? `SQLite at ${config.database.file}`
    : `PostgreSQL at ${new URL(config.database.url).host}`;
}
