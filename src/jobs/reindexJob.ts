import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { reindexAllWorks } from '../services/reindexing.ts';
import type { Job } from './queue.ts';

// Queued by the migration that added the search tables, so an upgraded archive's existing works become
// searchable without anyone running `quire reindex`.

export const REINDEX_JOB = 'reindex-works';

export async function reindexWorksJob(_job: Job, db: Kysely<Database>): Promise<void> {
  await reindexAllWorks(db);
}
