import { migrateToLatest } from '../db/migrate.ts';
import { describeDatabase, openArchive } from './archive.ts';
import type { QuireIo } from './io.ts';

/** `quire migrate`: brings the schema up to date and says so. */
export async function migrate(io: QuireIo): Promise<number> {
  const { config, archive } = await openArchive(io.env);
  try {
    // openArchive already migrated; running again reports nothing new, which is the point of the check.
    const applied = await migrateToLatest(archive);
    io.stdout(
      `${describeDatabase(config)} is up to date${applied.length > 0 ? ` (applied ${applied.join(', ')})` : ''}.\n`,
    );
    return 0;
  } finally {
    await archive.close();
  }
}
