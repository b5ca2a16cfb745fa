import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TAG_TYPE_LABELS, TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { tagDisplayName, tagKey } from '../domain/workRules.ts';
import { ValidationError } from './errors.ts';

export interface TagRequest {
  name: string;
  type: TagType;
  /** The form field to blame if this tag cannot be used. */
  field: string;
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
    if (tag.type !== request.type) {
      fields[request.field] ??=
        `"${tag.name}" is already in the archive as a ${TAG_TYPE_LABELS[tag.type as TagType].one} tag; tag names are unique, so try a more specific name (for example add the fandom in brackets).`;
      continue;
    }
    ids.push(tag.id);
  }
  if (Object.keys(fields).length > 0) throw new ValidationError('Some tags could not be used.', fields);
  return ids;
}

export interface TagPage {
  id: number;
  name: string;
  type: TagType;
  typeLabel: string;
  canonical: boolean;
}

export async function findTag(db: Kysely<Database>, name: string): Promise<TagPage | null> {
  const tag = await db
    .selectFrom('tags')
    .select(['id', 'name', 'type', 'canonical'])
    .where('name_key', '=', tagKey(name))
    .executeTakeFirst();
  if (!tag || !TAG_TYPES.includes(tag.type as TagType)) return null;
  const type = tag.type as TagType;
  return {
    id: tag.id,
    name: tag.name,
    type,
    typeLabel: TAG_TYPE_LABELS[type].one,
    canonical: tag.canonical === 1,
  };
}
