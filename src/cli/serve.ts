import { jobHandlers } from '../jobs/handlers.ts';
import { startJobWorker } from '../jobs/queue.ts';
import { schedulePruneSearchLog } from '../jobs/searchLogJob.ts';
import { createWorkSearch } from '../search/archiveWorkSearch.ts';
import { buildApp } from '../web/app.ts';
import { describeDatabase, openArchive } from './archive.ts';
import type { QuireIo } from './io.ts';

/**
 * `quire serve`: listens until SIGINT or SIGTERM, then lets the jobs and requests in hand finish and
 * exits the process; it is the one command that owns the process rather than one run in it.
 */
export async function serve(io: QuireIo): Promise<number> {
  const { config, archive } = await openArchive(io.env);
  const search = createWorkSearch(archive);
  const app = await buildApp({ config, archive, search });
  if (config.runJobs) await schedulePruneSearchLog(archive.db);
  const stopJobs = config.runJobs
    ? startJobWorker(archive.db, archive.dialect, jobHandlers(config), {
        pollMs: 2_000,
        onError: (error) => app.log.error({ err: error }, 'job queue round failed'),
      })
    : async () => {};
  const stop = async () => {
    await stopJobs();
    await app.close();
    await archive.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  io.stdout(`Quire is serving ${describeDatabase(config)} on http://localhost:${port}\n`);
  // Built now rather than in the first reader's request; until then searches build what they need.
  search.warm().catch((error: unknown) => app.log.error({ err: error }, 'warming the work search failed'));
  return 0;
}
