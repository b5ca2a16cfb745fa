import { ValidationError } from '../services/errors.ts';
import { importAo3Files } from '../services/imports.ts';
import { findUserByLogin } from '../services/users.ts';
import { openArchive } from './archive.ts';
import { collectImportFiles } from './importFiles.ts';
import type { QuireIo } from './io.ts';
import { progressBar } from './progress.ts';

/**
 * `quire import ao3`: every AO3 download found under the given paths, held by one account and credited
 * to the original creators. Returns the exit status: 1 when any file failed.
 */
export async function importAo3Downloads(
  paths: string[],
  options: { as: string },
  io: QuireIo,
): Promise<number> {
  const { archive } = await openArchive(io.env);
  try {
    const owner = await findUserByLogin(archive.db, options.as);
    if (!owner)
      throw new ValidationError(
        `There is no account named ${options.as}; create it with \`quire user create\`.`,
      );
    const { files, unreadable } = await collectImportFiles(paths);
    const bar = progressBar(io, 'Importing [{bar}] {value}/{total} {file}');
    bar?.start(files.length, 0, { file: '' });
    const report = await importAo3Files(
      archive.db,
      { id: owner.id, username: owner.username, isAdmin: false },
      files,
      (file) => bar?.increment(1, { file: file.name.slice(0, 40) }),
    );
    bar?.stop();
    const failed = [...unreadable, ...report.failed];
    for (const failure of failed) io.stderr(`failed: ${failure.label}: ${failure.reason}\n`);
    io.stdout(
      `Imported ${report.imported.length}, skipped ${report.duplicates.length} already imported, failed ${failed.length}.\n`,
    );
    return failed.length > 0 ? 1 : 0;
  } finally {
    await archive.close();
  }
}
