import fs from 'node:fs/promises';
import { readBundle, writeBundle } from '../formats/quireBundle.ts';
import { exportArchive, importArchive } from '../services/archiveBundle.ts';
import { ValidationError } from '../services/errors.ts';
import { openArchive } from './archive.ts';
import type { QuireIo } from './io.ts';
import { writePrivateFile } from './privateFiles.ts';

/** `quire export`: the whole archive, or one user's works and account, as a bundle another Quire imports. */
export async function exportBundle(options: { user?: string; out: string }, io: QuireIo): Promise<number> {
  const { config, archive } = await openArchive(io.env);
  try {
    const bundle = await exportArchive(archive.db, {
      username: options.user,
      archiveName: config.archiveName,
    });
    await writePrivateFile(options.out, await writeBundle(bundle));
    io.stdout(`Wrote ${bundle.works.length} works and ${bundle.users.length} accounts to ${options.out}.\n`);
    return 0;
  } finally {
    await archive.close();
  }
}

/** `quire import bundle`: takes in what `quire export` wrote, skipping what is already here. */
export async function importBundle(file: string, io: QuireIo): Promise<number> {
  const bytes = await fs.readFile(file).catch(() => {
    throw new ValidationError(`Cannot read ${file}.`);
  });
  const bundle = await readBundle(bytes);
  const { archive } = await openArchive(io.env);
  try {
    const report = await importArchive(archive.db, bundle);
    for (const failure of report.failed) io.stderr(`failed: "${failure.title}": ${failure.reason}\n`);
    io.stdout(
      `Accounts: ${report.usersCreated} created, ${report.usersMatched} already here. ` +
        `Works: ${report.worksImported} imported, ${report.worksSkipped} already here, ${report.failed.length} failed. ` +
        `Comments: ${report.comments}. Bookmarks, kudos, subscriptions and history: ${report.readerItems}. ` +
        `Tag wrangling links: ${report.tagLinks}.\n`,
    );
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await archive.close();
  }
}
