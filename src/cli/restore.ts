import { loadConfig } from '../config.ts';
import { restoreArchive } from '../services/backups.ts';
import { describeDatabase } from './archive.ts';
import type { QuireIo } from './io.ts';

/** `quire restore`: replaces the archive with a backup from `quire backup`, then migrates it. */
export async function restore(file: string, options: { force: boolean }, io: QuireIo): Promise<number> {
  const config = loadConfig(io.env);
  const started = Date.now();
  const result = await restoreArchive(config.database, file, options, io.env);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  io.stdout(
    `${result.checksumChecked ? `The checksum matches ${file}.sha256.` : `No ${file}.sha256 beside the backup: its checksum was not checked.`}\n` +
      `Restored ${file} into ${describeDatabase(config)} in ${seconds} s` +
      `${result.migrationsApplied.length > 0 ? `, then applied ${result.migrationsApplied.join(', ')}` : ''}.\n`,
  );
  return 0;
}
