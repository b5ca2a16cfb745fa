import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { type ImportReport, importAo3Files } from '../services/imports.ts';
import { collectImportFiles } from './importFiles.ts';

/** Imports every AO3 download found under the given paths, with a progress bar on a terminal. */
export async function importAo3Downloads(
  db: Kysely<Database>,
  importer: Viewer,
  paths: string[],
  options: { progress: boolean },
): Promise<ImportReport> {
  const { files, unreadable } = await collectImportFiles(paths);
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: 'Importing [{bar}] {value}/{total} {file}', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(files.length, 0, { file: '' });
  const report = await importAo3Files(db, importer, files, (file) =>
    bar?.increment(1, { file: file.name.slice(0, 40) }),
  );
  bar?.stop();
  return { ...report, failed: [...unreadable, ...report.failed] };
}
