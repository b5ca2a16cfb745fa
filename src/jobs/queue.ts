import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

// A small job queue in the database, so that any app instance can do the work and none of it is lost
// when one stops. PostgreSQL claims with FOR UPDATE SKIP LOCKED; SQLite has one writer at a time anyway.

export interface Job {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
}

/** A handler gets the database the job was claimed from, so work on the archive needs no second connection. */
export type JobHandler = (job: Job, db: Kysely<Database>) => Promise<void>;

/** A job that has failed this many times is not offered again. */
export const MAX_ATTEMPTS = 8;
/** A claimed job whose worker vanished is offered again after this long. */
const LOCK_TIMEOUT_MS = 10 * 60_000;

export async function enqueueJob(
  db: Kysely<Database>,
  kind: string,
  payload: unknown,
  runAt = new Date(),
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload),
      run_at: runAt.toISOString(),
      created_at: now,
      locked_at: null,
      locked_by: null,
      done_at: null,
      last_error: null,
    })
    .execute();
}

/** Takes up to `limit` due jobs for this worker; no two workers get the same job. */
export async function claimJobs(
  db: Kysely<Database>,
  dialect: DialectName,
  workerId: string,
  limit: number,
): Promise<Job[]> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - LOCK_TIMEOUT_MS).toISOString();
  const rows = await db.transaction().execute(async (trx) => {
    let candidates = trx
      .selectFrom('jobs')
      .select('id')
      .where('done_at', 'is', null)
      .where('run_at', '<=', now.toISOString())
      .where('attempts', '<', MAX_ATTEMPTS)
      .where((eb) => eb.or([eb('locked_at', 'is', null), eb('locked_at', '<', staleBefore)]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(limit);
    if (dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
    const ids = (await candidates.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('jobs')
      .set((eb) => ({ locked_at: now.toISOString(), locked_by: workerId, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .returning(['id', 'kind', 'payload', 'attempts'])
      .execute();
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    attempts: row.attempts,
  }));
}

export async function completeJob(db: Kysely<Database>, jobId: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ done_at: new Date().toISOString(), locked_at: null, locked_by: null })
    .where('id', '=', jobId)
    .execute();
}

/** Offers the job again later, waiting longer after each failure. */
export async function failJob(db: Kysely<Database>, job: Job, error: unknown): Promise<void> {
  const delayMs = Math.min(60 * 60_000, 2 ** job.attempts * 15_000);
  await db
    .updateTable('jobs')
    .set({
      locked_at: null,
      locked_by: null,
      run_at: new Date(Date.now() + delayMs).toISOString(),
      last_error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
    })
    .where('id', '=', job.id)
    .execute();
}

/** Works through every job that is due now; returns how many ran (successfully or not). */
export async function runDueJobs(
  db: Kysely<Database>,
  dialect: DialectName,
  handlers: Record<string, JobHandler>,
  workerId = `worker-${randomBytes(4).toString('hex')}`,
): Promise<number> {
  let ran = 0;
  for (;;) {
    const jobs = await claimJobs(db, dialect, workerId, 10);
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      const handler = handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
        await handler(job, db);
        await completeJob(db, job.id);
      } catch (error) {
        await failJob(db, job, error);
      }
      ran++;
    }
  }
}

/** Polls the queue until stopped; the returned function stops it and waits for the current round. */
export function startJobWorker(
  db: Kysely<Database>,
  dialect: DialectName,
  handlers: Record<string, JobHandler>,
  options: { pollMs: number; onError: (error: unknown) => void },
): () => Promise<void> {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    current = runDueJobs(db, dialect, handlers)
      .catch(options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs);
      });
  };
  timer = setTimeout(tick, options.pollMs);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await current;
  };
}
