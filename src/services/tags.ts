import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { TAG_TYPE_LABELS, TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { tagDisplayName, tagKey } from '../domain/workRules.ts';
import { ValidationError } from './errors.ts';
import { hiddenWork, readableWork } from './workVisibility.ts';

export interface TagRequest {
  name: string;
  type: TagType;
  /** The form field to blame if this tag cannot be used. */
  field: string;
  /**
   * Link a tag that already exists under another type instead of refusing it: readers' own bookmark
   * tags name things as they please, and a name like "Sherlock" is the same tag whatever it was made as.
   */
  anyType?: boolean;
}

/**
 * Finds each named tag or creates it, in the caller's transaction. A tag name exists once across all
 * types (as on AO3), so a name already used for another type is refused rather than silently retyped.
 */
export async function resolveTags(trx: Transaction<Database>, requests: TagRequest[]): Promise<number[]> {
  const ids: number[] = [];
  const now = new Date().toISOString();
  const fields: Record<string, string> = {};
  for (const request of requests) {
    const key = tagKey(request.name);
    // Ratings, warnings and categories come from fixed sets, so they are canonical from the start.
    const fixed = request.type === 'rating' || request.type === 'warning' || request.type === 'category';
    await trx
      .insertInto('tags')
      .values({
        name: tagDisplayName(request.name),
        name_key: key,
        type: request.type,
        canonical: fixed ? 1 : 0,
        merger_id: null,
        created_at: now,
      })
      .onConflict((conflict) => conflict.column('name_key').doNothing())
      .execute();
    const tag = await trx
      .selectFrom('tags')
      .select(['id', 'name', 'type'])
      .where('name_key', '=', key)
      .executeTakeFirstOrThrow();
    if (tag.type !== request.type && !request.anyType) {
      fields[request.field] ??=
        `"${tag.name}" is already in the archive as a ${TAG_TYPE_LABELS[tag.type as TagType].one} tag; tag names are unique, so try a more specific name (for example add the fandom in brackets).`;
      continue;
    }
    ids.push(tag.id);
  }
  if (Object.keys(fields).length > 0) throw new ValidationError('Some tags could not be used.', fields);
  return ids;
}

/** A tag type asked for by name (from a query string), `any` or nothing for every type, or a clear refusal. */
export function tagTypeFilter(value: string): TagType | undefined {
  if (value === '' || value === 'any') return undefined;
  if ((TAG_TYPES as readonly string[]).includes(value)) return value as TagType;
  throw new ValidationError(`type must be one of ${TAG_TYPES.join(', ')} or any.`, {
    type: `Unknown tag type "${value.slice(0, 40)}".`,
  });
}

export interface TagPage {
  id: number;
  name: string;
  type: TagType;
  typeLabel: string;
  canonical: boolean;
  /** The canonical tag this one is a synonym of, if it has been wrangled so. */
  mergerName: string | null;
}

export async function findTag(db: Kysely<Database>, name: string): Promise<TagPage | null> {
  const tag = await db
    .selectFrom('tags')
    .leftJoin('tags as merger', 'merger.id', 'tags.merger_id')
    .select(['tags.id', 'tags.name', 'tags.type', 'tags.canonical', 'merger.name as mergerName'])
    .where('tags.name_key', '=', tagKey(name))
    .executeTakeFirst();
  if (!tag || !TAG_TYPES.includes(tag.type as TagType)) return null;
  const type = tag.type as TagType;
  return {
    id: tag.id,
    name: tag.name,
    type,
    typeLabel: TAG_TYPE_LABELS[type].one,
    canonical: tag.canonical === 1,
    mergerName: tag.mergerName,
  };
}

export interface TagCount {
  name: string;
  works: number;
}

/** The index rows of works found under tags (synonyms' and subtags' works included) the viewer may see. */
export function visibleFilterTags(db: Kysely<Database>, viewer: Viewer | null) {
  return db
    .selectFrom('work_filter_tags')
    .innerJoin('works', 'works.id', 'work_filter_tags.work_id')
    .where(readableWork(viewer));
}

/**
 * Fandoms alphabetically, with the number of works the viewer can see under each: canonical fandoms and
 * those not wrangled yet. Synonyms are left out, since their works are counted under their canonical.
 */
export async function listFandoms(
  db: Kysely<Database>,
  viewer: Viewer | null,
  page: number,
  perPage: number,
): Promise<{ fandoms: TagCount[]; total: number }> {
  const fandomRows = (query: SelectQueryBuilder<Database, 'work_filter_tags', object>) =>
    query
      .innerJoin('tags', 'tags.id', 'work_filter_tags.tag_id')
      .where('tags.type', '=', 'fandom')
      .where('tags.merger_id', 'is', null)
      .select(['tags.id', (eb) => eb.fn.countAll<number>().as('works')])
      .groupBy('tags.id');
  // Counting every work from the index alone and taking away the few hidden ones reads no works rows
  // but those; counting the visible works directly would read a works row for every index row.
  const [fandoms, all, hidden] = await Promise.all([
    db
      .selectFrom('tags')
      .select(['id', 'name'])
      .where('type', '=', 'fandom')
      .where('merger_id', 'is', null)
      .orderBy('name_key')
      .orderBy('id')
      .execute(),
    fandomRows(db.selectFrom('work_filter_tags')).execute(),
    fandomRows(
      db
        .selectFrom('work_filter_tags')
        .where('work_filter_tags.work_id', 'in', (eb) =>
          eb.selectFrom('works').select('works.id').where(hiddenWork(viewer)),
        ),
    ).execute(),
  ]);
  const counts = new Map(all.map((row) => [row.id, Number(row.works)]));
  for (const row of hidden) counts.set(row.id, (counts.get(row.id) ?? 0) - Number(row.works));
  const listed = fandoms
    .map((fandom) => ({ name: fandom.name, works: counts.get(fandom.id) ?? 0 }))
    .filter((fandom) => fandom.works > 0);
  const start = (Math.max(1, page) - 1) * perPage;
  return { fandoms: listed.slice(start, start + perPage), total: listed.length };
}
