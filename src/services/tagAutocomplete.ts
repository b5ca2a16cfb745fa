import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import type { TagType } from '../domain/vocabulary.ts';
import { LIMITS, tagKey } from '../domain/workRules.ts';
import { visibleFilterTags } from './tags.ts';

export interface TagSuggestion {
  name: string;
  type: TagType;
  canonical: boolean;
}

const SUGGESTIONS = 10;
/** Rows read before synonyms fold into their canonical tags; several synonyms of one tag may match. */
const CANDIDATES = 50;
/** Characters after which a word starts inside a tag name: "Harry" finds "Draco Malfoy/Harry Potter". */
const WORD_BOUNDARIES = [' ', '/', '(', '-'];

/**
 * Tags a writer or wrangler may mean by what they typed so far: names starting with it first, then names
 * with a word starting with it; canonical tags before the rest. A synonym is never offered: its canonical
 * tag is, in its place. Only tags some work the viewer may read is found under (work_filter_tags: typed
 * on it, or the canonical or meta tag of one typed on it), so a tag used only on drafts, on deleted works
 * or (for guests) on restricted works gives nothing away.
 */
export async function suggestTags(
  db: Kysely<Database>,
  viewer: Viewer | null,
  term: string,
  type?: TagType,
): Promise<TagSuggestion[]> {
  const key = tagKey(term).slice(0, LIMITS.tagName);
  if (key === '') return [];
  const escaped = key.replace(/[\\%_]/g, (character) => `\\${character}`);
  const startsWith = sql<boolean>`tags.name_key like ${`${escaped}%`} escape '\\'`;
  let query = db
    .selectFrom('tags')
    .leftJoin('tags as canon', 'canon.id', 'tags.merger_id')
    .select([
      'tags.name',
      'tags.type',
      'tags.canonical',
      'canon.name as canonName',
      sql<number>`case when ${startsWith} then 0 else 1 end`.as('placement'),
      sql<number>`case when tags.canonical = 1 or tags.merger_id is not null then 0 else 1 end`.as(
        'standing',
      ),
    ])
    .where((eb) =>
      eb.or([
        startsWith,
        ...WORD_BOUNDARIES.map(
          (boundary) => sql<boolean>`tags.name_key like ${`%${boundary}${escaped}%`} escape '\\'`,
        ),
      ]),
    )
    .where((eb) =>
      eb.exists(
        visibleFilterTags(db, viewer)
          .select('work_filter_tags.work_id')
          .where('work_filter_tags.tag_id', '=', eb.ref('tags.id')),
      ),
    );
  if (type) query = query.where('tags.type', '=', type);
  const rows = await query
    .orderBy('placement')
    .orderBy('standing')
    .orderBy(sql`length(tags.name_key)`)
    .orderBy('tags.name_key')
    .limit(CANDIDATES)
    .execute();
  const suggestions = new Map<string, TagSuggestion>();
  for (const row of rows) {
    const name = row.canonName ?? row.name;
    if (suggestions.has(name)) continue;
    suggestions.set(name, {
      name,
      type: row.type as TagType,
      canonical: row.canonName !== null || row.canonical === 1,
    });
    if (suggestions.size === SUGGESTIONS) break;
  }
  return [...suggestions.values()];
}
