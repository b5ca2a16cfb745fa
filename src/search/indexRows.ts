import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { IndexedTagRow, IndexedWorkRow } from './filterIndex.ts';

// The rows the in-memory filter index is built from. A work's filter tags come back as one
// comma-separated string, so a million works load without twelve million row objects.

/** Works read per statement while loading (ids, not rows: a range may have holes). */
export const WORK_ID_SPAN = 20_000;
/** Works or tags named per statement when following changes: well inside both dialects' limits. */
const IDS_PER_STATEMENT = 500;

function tagList(dialect: DialectName): RawBuilder<string | null> {
  return dialect === 'postgres'
    ? sql`(select string_agg(f.tag_id::text, ',' order by f.tag_id) from work_filter_tags f where f.work_id = w.id)`
    : sql`(select group_concat(f.tag_id) from work_filter_tags f where f.work_id = w.id)`;
}

function selectWorks(dialect: DialectName, where: RawBuilder<unknown>) {
  return sql<IndexedWorkRow>`
    select w.id, w.draft, w.restricted, w.complete, w.word_count, w.kudos_count, w.hits,
      w.comments_count, w.bookmarks_count, w.updated_at,
      coalesce(w.published_at, w.created_at) as posted_at,
      w.language, w.title, w.imported_creators,
      (select p.name from work_creators wc join pseuds p on p.id = wc.pseud_id
        where wc.work_id = w.id order by wc.position limit 1) as first_pseud,
      (select count(distinct coalesce(t.merger_id, t.id)) from work_tags wt join tags t on t.id = wt.tag_id
        where wt.work_id = w.id and t.type = 'fandom') as fandoms,
      ${tagList(dialect)} as tag_ids,
      w.revised_at
    from works w
    where ${where}
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
  const result = await selectWorks(dialect, sql`w.id > ${after} and w.id <= ${upTo}`).execute(db);
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
    const result = await selectWorks(dialect, sql`w.id in (${sql.join(batch)})`).execute(db);
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
