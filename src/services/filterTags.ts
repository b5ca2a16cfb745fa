import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Works rebuilt per statement: keeps each statement's parameter list well inside both dialects' limits. */
const WORKS_PER_STATEMENT = 500;

/**
 * Rewrites the tags each work is found under: the tags its creators typed, the canonical tag each of
 * those is a synonym of, and every meta tag above them, however deep.
 */
export async function rebuildFilterTags(
  trx: Transaction<Database> | Kysely<Database>,
  workIds: readonly number[],
): Promise<void> {
  for (let start = 0; start < workIds.length; start += WORKS_PER_STATEMENT) {
    const batch = workIds.slice(start, start + WORKS_PER_STATEMENT);
    const ids = sql.join(batch);
    await sql`delete from work_filter_tags where work_id in (${ids})`.execute(trx);
    // UNION (not UNION ALL) stops at tags already reached, so a wrangling cycle cannot loop forever.
    await sql`
      with recursive reach (work_id, tag_id) as (
        select work_id, tag_id from work_tags where work_id in (${ids})
        union
        select reach.work_id, step.to_id
        from reach
        join (
          select id as from_id, merger_id as to_id from tags where merger_id is not null
          union all
          select child_id as from_id, parent_id as to_id from tag_parents where kind = 'meta'
        ) step on step.from_id = reach.tag_id
      )
      insert into work_filter_tags (work_id, tag_id) select work_id, tag_id from reach`.execute(trx);
  }
}
