import cliProgress from 'cli-progress';
import { reindexAllWorks } from '../services/reindexing.ts';
import { describeDatabase, openArchive } from './archive.ts';

/** `quire reindex`: rebuilds every work's filter tags and search text, with a progress bar on a terminal. */
export async function reindexCommand(): Promise<void> {
  const { config, archive } = await openArchive();
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'Reindexing [{bar}] {value}/{total} works', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const started = Date.now();
  try {
    let shown = false;
    const result = await reindexAllWorks(archive.db, ({ done, total }) => {
      if (!shown) bar?.start(total, done);
      shown = true;
      bar?.setTotal(total);
      bar?.update(done);
    });
    bar?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Reindexed ${result.works} works in ${describeDatabase(config)} in ${seconds} s.`);
  } finally {
    bar?.stop();
    await archive.close();
  }
}
