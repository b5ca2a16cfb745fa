import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { claimJobs, completeJob } from '../../src/jobs/queue.ts';
import {
  PRUNE_SEARCH_LOG_JOB,
  pruneSearchLogJob,
  schedulePruneSearchLog,
} from '../../src/jobs/searchLogJob.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// The change log behind the search index is trimmed by a job that keeps exactly one next run booked.

describe(`trimming the search change log (${testDialect})`, () => {
  let archive: TestArchive;
  before(async () => {
    archive = await startTestArchive();
  });
  after(async () => archive.close());

  async function waitingPrunes(): Promise<number> {
    const rows = await archive.archive.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', PRUNE_SEARCH_LOG_JOB)
      .where('done_at', 'is', null)
      .execute();
    return rows.length;
  }

  it('books one run however many instances start, and each run books the next', async () => {
    const { db } = archive.archive;
    await schedulePruneSearchLog(db);
    await schedulePruneSearchLog(db);
    assert.equal(await waitingPrunes(), 1);

    // Bring the booked run forward and take it as a worker would.
    await db
      .updateTable('jobs')
      .set({ run_at: new Date(0).toISOString() })
      .execute();
    const [job] = await claimJobs(db, archive.archive.dialect, 'test-worker', 1);
    assert.equal(job.kind, PRUNE_SEARCH_LOG_JOB);
    await pruneSearchLogJob(job, db);
    await completeJob(db, job.id);
    assert.equal(await waitingPrunes(), 1, 'the next run is booked');
  });
});
