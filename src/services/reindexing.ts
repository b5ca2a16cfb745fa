import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { refreshWorkIndexes } from './workIndexes.ts';

// Rebuilds what filtering and full-text search read for every work: after upgrading an archive whose
// works predate the search tables, or whenever an administrator wants them checked from scratch.

/** Works rebuilt per transaction: short enough that readers and writers never wait long. */
const WORKS_PER_TRANSACTION = 200;
/** How much of the search change log stays: enough for instances that fell a little behind. */
const CHANGES_KEPT = 100_000;

export interface ReindexProgress {
  done: number;
  total: number;
}

export async function reindexAllWorks(
  db: Kysely<Database>,
  onProgress?: (progress: ReindexProgress) => void,
): Promise<{ works: number }> {
  const counted = await db
    .selectFrom('works')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.total);
  let done = 0;
  let after = 0;
  onProgress?.({ done, total });
  for (;;) {
    // Keyset over ids, so works added or deleted meanwhile neither stop nor repeat the walk.
    const rows = await db
      .selectFrom('works')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(WORKS_PER_TRANSACTION)
      .execute();
    if (rows.length === 0) break;
    const ids = rows.map((row) => row.id);
    await db.transaction().execute((trx) => refreshWorkIndexes(trx, ids));
    after = ids[ids.length - 1];
    done += ids.length;
    onProgress?.({ done, total: Math.max(total, done) });
  }
  await pruneSearchChanges(db);
  return { works: done };
}

/**
 * Drops all but the newest `keep` change-log rows (the newest always stays, so ids never start over). An instance that had not yet read the dropped rows notices
 * the log starts past what it saw and rebuilds its index, so nothing is lost, only time.
 */
export async function pruneSearchChanges(db: Kysely<Database>, keep = CHANGES_KEPT): Promise<void> {
  const kept = Math.max(1, keep);
  await sql`delete from search_index_changes
    where id <= (select max(id) from search_index_changes) - ${kept}`.execute(db);
}
