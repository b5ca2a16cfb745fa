import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { IndexedTagRow, IndexedWorkRow } from './filterIndex.ts';

// The rows the in-memory filter index is built from. A work's filter tags come back as one
// comma-separated string, so a million works load without twelve million row objects.

/** Works read per statement while loading (ids, not rows: a range may have holes). */
export const WORK_ID_SPAN = 20_000;
/** Works or tags named per statement when following changes (each work is named four times). */
const IDS_PER_STATEMENT = 500;

/** Which works a statement reads, said of any column holding a work id. */
type WorkFilter = (column: RawBuilder<number>) => RawBuilder<unknown>;

function tagList(dialect: DialectName): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql`string_agg(tag_id::text, ',' order by tag_id)`
    : sql`group_concat(tag_id)`;
}

/**
 * One statement per batch, each part grouped over the batch and joined by work id: PostgreSQL runs the
 * same parts as per-work subqueries four times slower.
 */
function selectWorks(dialect: DialectName, within: WorkFilter) {
  return sql<IndexedWorkRow>`
    select w.id, w.draft, w.restricted, w.complete, w.word_count, w.kudos_count, w.hits,
      w.comments_count, w.bookmarks_count, w.updated_at,
      coalesce(w.published_at, w.created_at) as posted_at,
      w.language, w.title, w.imported_creators, w.revised_at,
      creators.first_pseud, coalesce(fandoms.fandoms, 0) as fandoms, filter.tag_ids
    from works w
    left join (
      select wc.work_id, p.name as first_pseud,
        row_number() over (partition by wc.work_id order by wc.position) as place
      from work_creators wc join pseuds p on p.id = wc.pseud_id
      where ${within(sql.ref('wc.work_id'))}
    ) creators on creators.work_id = w.id and creators.place = 1
    left join (
      select wt.work_id, count(distinct coalesce(t.merger_id, t.id)) as fandoms
      from work_tags wt join tags t on t.id = wt.tag_id
      where ${within(sql.ref('wt.work_id'))} and t.type = 'fandom'
      group by wt.work_id
    ) fandoms on fandoms.work_id = w.id
    left join (
      select work_id, ${tagList(dialect)} as tag_ids from work_filter_tags
      where ${within(sql.ref('work_id'))}
      group by work_id
    ) filter on filter.work_id = w.id
    where ${within(sql.ref('w.id'))}
    order by w.id`;
}

export async function highestWorkId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('works')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Works with ids in (after, upTo]. */
export async function readWorkRange(
  db: Kysely<Database>,
  dialect: DialectName,
  after: number,
  upTo: number,
): Promise<IndexedWorkRow[]> {
  const result = await selectWorks(dialect, (id) => sql`${id} > ${after} and ${id} <= ${upTo}`).execute(db);
  return result.rows;
}

/** These works as they are now; ids of deleted works simply come back missing. */
export async function readWorks(
  db: Kysely<Database>,
  dialect: DialectName,
  workIds: readonly number[],
): Promise<IndexedWorkRow[]> {
  const rows: IndexedWorkRow[] = [];
  for (let start = 0; start < workIds.length; start += IDS_PER_STATEMENT) {
    const batch = workIds.slice(start, start + IDS_PER_STATEMENT);
    const result = await selectWorks(dialect, (id) => sql`${id} in (${sql.join(batch)})`).execute(db);
    rows.push(...result.rows);
  }
  return rows;
}

export async function readAllTags(db: Kysely<Database>): Promise<IndexedTagRow[]> {
  return db.selectFrom('tags').select(['id', 'name', 'name_key', 'type', 'merger_id']).execute();
}

export async function readTags(db: Kysely<Database>, tagIds: readonly number[]): Promise<IndexedTagRow[]> {
  const rows: IndexedTagRow[] = [];
  for (let start = 0; start < tagIds.length; start += IDS_PER_STATEMENT) {
    const batch = tagIds.slice(start, start + IDS_PER_STATEMENT);
    rows.push(
      ...(await db
        .selectFrom('tags')
        .select(['id', 'name', 'name_key', 'type', 'merger_id'])
        .where('id', 'in', batch)
        .execute()),
    );
  }
  return rows;
}
