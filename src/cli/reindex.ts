import { reindexAllWorks } from '../services/reindexing.ts';
import { describeDatabase, openArchive } from './archive.ts';
import type { QuireIo } from './io.ts';
import { progressBar, progressReporter } from './progress.ts';

/** `quire reindex`: rebuilds every work's filter tags and search text, with a progress bar on a terminal. */
export async function reindex(io: QuireIo): Promise<number> {
  const { config, archive } = await openArchive(io.env);
  const bar = progressBar(io, 'Reindexing [{bar}] {value}/{total} works');
  const started = Date.now();
  try {
    const report = progressReporter(bar);
    const result = await reindexAllWorks(archive.db, ({ done, total }) => report(done, total));
    bar?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout(`Reindexed ${result.works} works in ${describeDatabase(config)} in ${seconds} s.\n`);
    return 0;
  } finally {
    bar?.stop();
    await archive.close();
  }
}
