import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { Ao3FormatError, parseAo3Epub, parseAo3HtmlBytes, sniffAo3Download } from '../formats/ao3Download.ts';
import { ServiceError, ValidationError } from '../services/errors.ts';
import { importWork } from '../services/imports.ts';
import { collectImportFiles } from './importFiles.ts';

export interface ImportReport {
  imported: { label: string; workId: number; title: string }[];
  duplicates: { label: string; workId: number; title: string }[];
  failed: { label: string; reason: string }[];
}

function failureReason(error: unknown): string {
  if (error instanceof ValidationError && Object.keys(error.fields).length > 0) {
    return `${error.message} ${Object.values(error.fields).join(' ')}`;
  }
  if (error instanceof Ao3FormatError || error instanceof ServiceError) return error.message;
  throw error;
}

/** Imports every AO3 download found under the given paths; one bad file never stops the others. */
export async function importAo3Downloads(
  db: Kysely<Database>,
  importer: Viewer,
  paths: string[],
  options: { progress: boolean },
): Promise<ImportReport> {
  const { files, unreadable } = await collectImportFiles(paths);
  const report: ImportReport = {
    imported: [],
    duplicates: [],
    failed: unreadable.map((file) => ({ ...file })),
  };
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: 'Importing [{bar}] {value}/{total} {file}', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(files.length, 0, { file: '' });
  for (const file of files) {
    bar?.increment(0, { file: file.name.slice(0, 40) });
    try {
      const kind = sniffAo3Download(file.name, file.bytes);
      if (!kind) throw new Ao3FormatError('not an AO3 download (no AO3 meta block found)');
      const work = kind === 'epub' ? await parseAo3Epub(file.bytes) : parseAo3HtmlBytes(file.bytes);
      const outcome = await importWork(db, importer, work);
      (outcome.status === 'imported' ? report.imported : report.duplicates).push({
        label: file.label,
        workId: outcome.workId,
        title: work.title,
      });
    } catch (error) {
      report.failed.push({ label: file.label, reason: failureReason(error) });
    }
    bar?.increment(1);
  }
  bar?.stop();
  return report;
}
