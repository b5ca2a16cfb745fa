import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { pruneSearchChanges } from '../services/reindexing.ts';
import { enqueueJob, type Job } from './queue.ts';

// Every hit, kudos and edit appends a row to search_index_changes; instances only need the recent ones,
// so an hourly job trims the log and books its own next run.

export const PRUNE_SEARCH_LOG_JOB = 'prune-search-log';
const EVERY_MS = 60 * 60_000;

/**
 * Books the next trim unless one is already waiting (other than the running one), so instances that
 * start together still leave a single chain.
 */
export async function schedulePruneSearchLog(db: Kysely<Database>, runningJobId?: number): Promise<void> {
  let waiting = db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', PRUNE_SEARCH_LOG_JOB)
    .where('done_at', 'is', null);
  if (runningJobId !== undefined) waiting = waiting.where('id', '<>', runningJobId);
  if (!(await waiting.executeTakeFirst()))
    await enqueueJob(db, PRUNE_SEARCH_LOG_JOB, {}, new Date(Date.now() + EVERY_MS));
}

export async function pruneSearchLogJob(job: Job, db: Kysely<Database>): Promise<void> {
  await pruneSearchChanges(db);
  await schedulePruneSearchLog(db, job.id);
}
