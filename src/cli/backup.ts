import path from 'node:path';
import { loadConfig } from '../config.ts';
import { backUpArchive, defaultBackupName } from '../services/backups.ts';
import { describeDatabase } from './archive.ts';
import type { QuireIo } from './io.ts';
import { progressBar, progressReporter } from './progress.ts';

/** `quire backup`: a consistent copy of the archive while it serves, with its checksum beside it. */
export async function backup(options: { out?: string }, io: QuireIo): Promise<number> {
  // Not openArchive: a backup copies the archive as it is, without migrating it first.
  const config = loadConfig(io.env);
  const dialect = config.database.dialect;
  const out = path.resolve(options.out ?? defaultBackupName(dialect, new Date()));
  const unit = dialect === 'sqlite' ? 'pages' : 'tables';
  const bar = progressBar(io, `Backing up [{bar}] {percentage}% {value}/{total} ${unit}`);
  const started = Date.now();
  try {
    const result = await backUpArchive(config.database, out, io.env, progressReporter(bar));
    bar?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const megabytes = (result.bytes / 1_000_000).toFixed(1);
    io.stdout(
      `Backed up ${describeDatabase(config)} to ${result.file} (${megabytes} MB) in ${seconds} s.\n` +
        `SHA-256 ${result.sha256} (also in ${result.checksumFile})\n`,
    );
    return 0;
  } finally {
    bar?.stop();
  }
}
