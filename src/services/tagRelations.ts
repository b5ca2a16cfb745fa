import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { TAG_TYPE_LABELS, TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { visibleFilterTags } from './tags.ts';

/** Where a tag stands among the others: what its page shows around its name. */
export interface TagRelations {
  /** Tags wrangled as synonyms of this one. */
  synonyms: string[];
  /** The fandoms a character, relationship or additional tag belongs to. */
  fandoms: string[];
  metaTags: string[];
  subTags: string[];
  /** For a fandom: the canonical tags wrangled into it, by type (relationships, then characters, …). */
  fandomTags: { type: TagType; label: string; names: string[] }[];
  /** Works the viewer can see that are found under this tag (its synonyms' and subtags' included). */
  worksCount: number;
}

export async function tagRelations(
  db: Kysely<Database>,
  viewer: Viewer | null,
  tagId: number,
): Promise<TagRelations> {
  const [synonyms, parents, children, counted] = await Promise.all([
    db.selectFrom('tags').select('name').where('merger_id', '=', tagId).orderBy('name_key').execute(),
    db
      .selectFrom('tag_parents')
      .innerJoin('tags', 'tags.id', 'tag_parents.parent_id')
      .select(['tags.name', 'tag_parents.kind'])
      .where('tag_parents.child_id', '=', tagId)
      .orderBy('tags.name_key')
      .execute(),
    db
      .selectFrom('tag_parents')
      .innerJoin('tags', 'tags.id', 'tag_parents.child_id')
      .select(['tags.name', 'tags.type', 'tags.canonical', 'tag_parents.kind'])
      .where('tag_parents.parent_id', '=', tagId)
      .orderBy('tags.name_key')
      .execute(),
    visibleFilterTags(db, viewer)
      .select((eb) => eb.fn.countAll<number>().as('works'))
      .where('work_filter_tags.tag_id', '=', tagId)
      .executeTakeFirstOrThrow(),
  ]);
  const inFandom = children.filter((child) => child.kind === 'fandom' && child.canonical === 1);
  return {
    synonyms: synonyms.map((row) => row.name),
    fandoms: parents.filter((row) => row.kind === 'fandom').map((row) => row.name),
    metaTags: parents.filter((row) => row.kind === 'meta').map((row) => row.name),
    subTags: children.filter((row) => row.kind === 'meta').map((row) => row.name),
    fandomTags: TAG_TYPES.map((type) => ({
      type,
      label: TAG_TYPE_LABELS[type].many,
      names: inFandom.filter((child) => child.type === type).map((child) => child.name),
    })).filter((group) => group.names.length > 0),
    worksCount: Number(counted.works),
  };
}
