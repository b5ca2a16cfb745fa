import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { rebuildFilterTags } from '../services/filterTags.ts';
import { enqueueJob, type Job } from './queue.ts';

// Wrangling changes which tags a work is found under. Rebuilding that for every affected work can touch
// a whole fandom, so it happens here, in the queue, and the wrangler's request returns at once.

export const FILTER_TAGS_JOB = 'rebuild-filter-tags';

/** Works rebuilt per transaction: small enough that readers and writers are never held up for long. */
const WORKS_PER_TRANSACTION = 500;

interface FilterTagsPayload {
  tagIds: number[];
}

/** Asks for the filter tags of every work the wrangling of these tags may have changed. */
export async function queueFilterTagsRebuild(db: Kysely<Database>, tagIds: readonly number[]): Promise<void> {
  const payload: FilterTagsPayload = { tagIds: [...new Set(tagIds)] };
  await enqueueJob(db, FILTER_TAGS_JOB, payload);
}

function tagIdsOf(payload: unknown): number[] {
  const tagIds = (payload as Partial<FilterTagsPayload> | null)?.tagIds;
  if (!Array.isArray(tagIds) || !tagIds.every((id) => Number.isSafeInteger(id))) {
    throw new Error('a rebuild-filter-tags job needs {tagIds: number[]}');
  }
  return tagIds;
}

/**
 * The works whose filter tags may have changed: those carrying one of the tags or anything below it now
 * (synonyms and subtags, however deep), and those found under one of them before the change.
 */
async function affectedWorks(db: Kysely<Database>, tagIds: readonly number[]): Promise<number[]> {
  if (tagIds.length === 0) return [];
  const ids = sql.join(tagIds);
  const rows = await sql<{ work_id: number }>`
    with recursive below (id) as (
      select id from tags where id in (${ids})
      union
      select step.child_id
      from below
      join (
        select merger_id as parent_id, id as child_id from tags where merger_id is not null
        union all
        select parent_id, child_id from tag_parents where kind = 'meta'
      ) step on step.parent_id = below.id
    )
    select work_id from work_tags where tag_id in (select id from below)
    union
    select work_id from work_filter_tags where tag_id in (${ids})
    order by work_id`.execute(db);
  return rows.rows.map((row) => Number(row.work_id));
}

export async function rebuildFilterTagsJob(job: Job, db: Kysely<Database>): Promise<void> {
  const workIds = await affectedWorks(db, tagIdsOf(job.payload));
  for (let start = 0; start < workIds.length; start += WORKS_PER_TRANSACTION) {
    const batch = workIds.slice(start, start + WORKS_PER_TRANSACTION);
    await db.transaction().execute((trx) => rebuildFilterTags(trx, batch));
  }
}
