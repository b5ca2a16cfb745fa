import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, TagParentKind } from '../db/schema.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { canWrangle, type Viewer } from '../domain/permissions.ts';
import { TAG_TYPE_LABELS, type TagType, USER_TAG_TYPES } from '../domain/vocabulary.ts';
import { tagDisplayName, tagKey, tagListSchema } from '../domain/workRules.ts';
import { queueFilterTagsRebuild } from '../jobs/filterTagsJob.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { tagTypeFilter } from './tags.ts';

// Tag wrangling as AO3's wranglers know it: canonical tags, synonyms merged into them, characters,
// relationships and additional tags attached to their fandoms, subtags under meta tags. Changing
// synonyms or meta tags changes which tags works are found under; that closure is rebuilt by a job.

type Executor = Kysely<Database> | Transaction<Database>;

interface TagRow {
  id: number;
  name: string;
  type: TagType;
  canonical: boolean;
  mergerId: number | null;
}

/**
 * What a wrangler asks of one tag in one go, in the wrangling form's names: the canonical box, "Synonym
 * of", fandoms and meta tags to add (comma-separated) and the links ticked for removal. Names that are
 * not linked, or already linked, change nothing.
 */
const wranglingSchema = z.object({
  // A ticked box arrives as "on" (forms) or true; anything else leaves it unticked.
  canonical: z
    .unknown()
    .optional()
    .transform((value) => value === 'on' || value === true),
  synonym_of: z
    .string({ error: 'Synonym of must be one tag name.' })
    .optional()
    .transform((value) => tagDisplayName(value ?? '')),
  fandoms: tagListSchema('Fandoms'),
  meta_tags: tagListSchema('Meta tags'),
  remove_fandoms: tagListSchema('Fandoms to remove'),
  remove_meta_tags: tagListSchema('Meta tags to remove'),
  remove_sub_tags: tagListSchema('Subtags to remove'),
});

type TagWrangling = z.infer<typeof wranglingSchema>;

/** The tags that may belong to fandoms (a fandom tag itself does not). */
export const FANDOM_MEMBER_TYPES: readonly TagType[] = ['character', 'relationship', 'freeform'];

/** A wrangling request refused: the form's field that asked for it carries the reason. */
function refusal(field: string, reason: string): ValidationError {
  return new ValidationError('Nothing was changed.', { [field]: reason });
}

function requireWrangler(viewer: Viewer | null): void {
  if (!canWrangle(viewer)) throw new ForbiddenError('Only tag wranglers can wrangle tags.');
}

/** "a Character tag", "an Additional Tag": a tag's type as a wrangler's message names it. */
function kindOf(tag: TagRow): string {
  const label = TAG_TYPE_LABELS[tag.type].one;
  const noun = label.endsWith('Tag') ? label : `${label} tag`;
  return `${/^[AEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

const tagColumns = ['id', 'name', 'type', 'canonical', 'merger_id'] as const;

function tagRow(row: {
  id: number;
  name: string;
  type: string;
  canonical: number;
  merger_id: number | null;
}): TagRow {
  return {
    id: row.id,
    name: row.name,
    type: row.type as TagType,
    canonical: row.canonical === 1,
    mergerId: row.merger_id,
  };
}

async function tagNamed(db: Executor, name: string): Promise<TagRow | null> {
  const row = await db
    .selectFrom('tags')
    .select(tagColumns)
    .where('name_key', '=', tagKey(name))
    .executeTakeFirst();
  return row ? tagRow(row) : null;
}

async function tagNameOf(db: Executor, id: number): Promise<string> {
  const row = await db.selectFrom('tags').select('name').where('id', '=', id).executeTakeFirstOrThrow();
  return row.name;
}

/** Whether `tagId` sits below `metaId`, through any number of meta tags. */
async function isUnder(db: Executor, tagId: number, metaId: number): Promise<boolean> {
  const found = await sql<{ id: number }>`
    with recursive above (id) as (
      select parent_id from tag_parents where child_id = ${tagId} and kind = 'meta'
      union
      select tag_parents.parent_id from tag_parents
      join above on tag_parents.child_id = above.id
      where tag_parents.kind = 'meta'
    )
    select id from above where id = ${metaId}`.execute(db);
  return found.rows.length > 0;
}

async function link(db: Executor, parentId: number, childId: number, kind: TagParentKind): Promise<void> {
  await db
    .insertInto('tag_parents')
    .values({ parent_id: parentId, child_id: childId, kind })
    .onConflict((conflict) => conflict.columns(['parent_id', 'child_id']).doNothing())
    .execute();
}

/** Puts a subtag under a meta tag, refusing anything that would make the tags a loop. */
async function linkMeta(db: Executor, childId: number, parentId: number, field: string): Promise<void> {
  if (childId === parentId) {
    throw refusal(field, 'A tag cannot be its own meta tag.');
  }
  if (await isUnder(db, parentId, childId)) {
    throw refusal(
      field,
      `"${await tagNameOf(db, parentId)}" is already under "${await tagNameOf(db, childId)}".`,
    );
  }
  await link(db, parentId, childId, 'meta');
}

/** Removes the named tags' links of one kind on one side of `tag`; returns the ids on the other side. */
async function unlink(
  trx: Transaction<Database>,
  tag: TagRow,
  names: readonly string[],
  kind: TagParentKind,
  tagIs: 'child' | 'parent',
): Promise<number[]> {
  const keys = names.map(tagKey);
  if (keys.length === 0) return [];
  const [own, other] =
    tagIs === 'child' ? (['child_id', 'parent_id'] as const) : (['parent_id', 'child_id'] as const);
  const linked = await trx
    .selectFrom('tag_parents')
    .innerJoin('tags', 'tags.id', `tag_parents.${other}`)
    .select('tags.id')
    .where(`tag_parents.${own}`, '=', tag.id)
    .where('tag_parents.kind', '=', kind)
    .where('tags.name_key', 'in', keys)
    .execute();
  const ids = linked.map((row) => row.id);
  if (ids.length > 0) {
    await trx
      .deleteFrom('tag_parents')
      .where(own, '=', tag.id)
      .where(other, 'in', ids)
      .where('kind', '=', kind)
      .execute();
  }
  return ids;
}

/** The canonical tag a wrangler named, or why it cannot be used: `mismatch` explains a tag of another type. */
async function canonicalTagFor(
  trx: Transaction<Database>,
  name: string,
  field: string,
  expected: { type: TagType; mismatch: (found: TagRow) => string },
): Promise<TagRow> {
  const refuse = (reason: string) => refusal(field, reason);
  const found = await tagNamed(trx, name);
  if (!found) throw refuse(`There is no tag named "${name}".`);
  if (found.type !== expected.type) throw refuse(expected.mismatch(found));
  if (found.mergerId !== null) {
    const canonical = await tagNameOf(trx, found.mergerId);
    throw refuse(`"${found.name}" is a synonym of "${canonical}": use "${canonical}" instead.`);
  }
  if (!found.canonical) throw refuse(`"${found.name}" is not canonical yet; make it canonical first.`);
  return found;
}

/**
 * Makes `tag` a synonym of `target`. Everything wrangled onto `tag` moves to `target`: its synonyms, its
 * subtags and meta tags, its fandoms and, for a fandom, the tags in it.
 */
async function mergeInto(trx: Transaction<Database>, tag: TagRow, target: TagRow): Promise<void> {
  await trx.updateTable('tags').set({ merger_id: target.id }).where('merger_id', '=', tag.id).execute();
  await trx
    .updateTable('tags')
    .set({ canonical: 0, merger_id: target.id })
    .where('id', '=', tag.id)
    .execute();
  const links = await trx
    .selectFrom('tag_parents')
    .selectAll()
    .where((eb) => eb.or([eb('parent_id', '=', tag.id), eb('child_id', '=', tag.id)]))
    .execute();
  await trx
    .deleteFrom('tag_parents')
    .where((eb) => eb.or([eb('parent_id', '=', tag.id), eb('child_id', '=', tag.id)]))
    .execute();
  for (const moved of links) {
    const parentId = moved.parent_id === tag.id ? target.id : moved.parent_id;
    const childId = moved.child_id === tag.id ? target.id : moved.child_id;
    // A link between the two tags being merged dissolves into the merge.
    if (parentId === childId) continue;
    if (moved.kind === 'meta') await linkMeta(trx, childId, parentId, 'synonym_of');
    else await link(trx, parentId, childId, moved.kind);
  }
}

/** Applies "Synonym of"; returns whether the tag's place among the tags changed. */
async function changeSynonym(trx: Transaction<Database>, tag: TagRow, wanted: string): Promise<boolean> {
  if (wanted === '') {
    if (tag.mergerId === null) return false;
    await trx.updateTable('tags').set({ merger_id: null }).where('id', '=', tag.id).execute();
    return true;
  }
  const refuse = (reason: string) => refusal('synonym_of', reason);
  const target = await tagNamed(trx, wanted);
  if (!target) throw refuse(`There is no tag named "${wanted}".`);
  if (target.id === tag.mergerId) return false;
  if (target.id === tag.id) throw refuse('A tag cannot be a synonym of itself.');
  if (target.type !== tag.type) {
    throw refuse(
      `"${target.name}" is ${kindOf(target)}; a synonym must be of the same type as "${tag.name}" (${kindOf(tag)}).`,
    );
  }
  if (target.mergerId === tag.id) {
    throw refuse(
      `"${target.name}" is a synonym of "${tag.name}": the synonym cannot be the other way round.`,
    );
  }
  if (target.mergerId !== null) {
    const canonical = await tagNameOf(trx, target.mergerId);
    throw refuse(
      `"${target.name}" is itself a synonym of "${canonical}": make "${tag.name}" a synonym of "${canonical}" instead.`,
    );
  }
  if (!target.canonical) {
    throw refuse(
      `"${target.name}" is not canonical: only a canonical tag can have synonyms. Make it canonical first.`,
    );
  }
  await mergeInto(trx, tag, target);
  return true;
}

/** What keeps a canonical tag canonical: tags that rely on it being so. */
async function canonicalDependents(trx: Transaction<Database>, tag: TagRow): Promise<string[]> {
  const synonyms = await trx
    .selectFrom('tags')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('merger_id', '=', tag.id)
    .executeTakeFirstOrThrow();
  const links = await trx
    .selectFrom('tag_parents')
    .select(['kind', 'parent_id'])
    .where((eb) =>
      eb.or([eb('child_id', '=', tag.id).and('kind', '=', 'meta'), eb('parent_id', '=', tag.id)]),
    )
    .execute();
  const dependents: string[] = [];
  if (Number(synonyms.count) > 0) dependents.push('synonyms');
  if (links.some((row) => row.kind === 'meta' && row.parent_id !== tag.id)) dependents.push('meta tags');
  if (links.some((row) => row.kind === 'meta' && row.parent_id === tag.id)) dependents.push('subtags');
  if (links.some((row) => row.kind === 'fandom')) dependents.push('tags in its fandom');
  return dependents;
}

async function changeCanonical(trx: Transaction<Database>, tag: TagRow, canonical: boolean): Promise<void> {
  if (canonical === tag.canonical) return;
  if (!canonical) {
    const dependents = await canonicalDependents(trx, tag);
    if (dependents.length > 0) {
      const message = `"${tag.name}" still has ${dependents.join(', ')}: move or remove them before it stops being canonical.`;
      throw refusal('canonical', message);
    }
  }
  await trx
    .updateTable('tags')
    .set({ canonical: canonical ? 1 : 0 })
    .where('id', '=', tag.id)
    .execute();
}

async function addFandoms(trx: Transaction<Database>, tag: TagRow, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const refuse = (reason: string) => refusal('fandoms', reason);
  if (tag.mergerId !== null) {
    const canonical = await tagNameOf(trx, tag.mergerId);
    throw refuse(`"${tag.name}" is a synonym of "${canonical}": its fandoms live on "${canonical}".`);
  }
  if (!FANDOM_MEMBER_TYPES.includes(tag.type)) {
    throw refuse('Only characters, relationships and additional tags belong to fandoms.');
  }
  for (const name of names) {
    const fandom = await canonicalTagFor(trx, name, 'fandoms', {
      type: 'fandom',
      mismatch: (found) => `"${found.name}" is ${kindOf(found)}, not a fandom.`,
    });
    await link(trx, fandom.id, tag.id, 'fandom');
  }
}

async function addMetaTags(
  trx: Transaction<Database>,
  tag: TagRow,
  names: readonly string[],
): Promise<number[]> {
  if (names.length === 0) return [];
  if (!tag.canonical) {
    const message = `Only a canonical tag can have meta tags; "${tag.name}" is not canonical.`;
    throw refusal('meta_tags', message);
  }
  const added: number[] = [];
  for (const name of names) {
    const meta = await canonicalTagFor(trx, name, 'meta_tags', {
      type: tag.type,
      mismatch: (found) =>
        `"${found.name}" is ${kindOf(found)}; a meta tag must be of the same type as "${tag.name}" (${kindOf(tag)}).`,
    });
    await linkMeta(trx, tag.id, meta.id, 'meta_tags');
    added.push(meta.id);
  }
  return added;
}

/**
 * Wrangles one tag: removals first, then "Synonym of" (a synonym is never canonical, so it wins over the
 * canonical box), then canonical, then the fandoms and meta tags to add. All of it happens in one
 * transaction, so a refusal leaves the tag as it was; the works it changes are re-filtered by a job.
 */
export async function wrangleTag(
  db: Kysely<Database>,
  viewer: Viewer | null,
  tagId: number,
  input: unknown,
): Promise<void> {
  requireWrangler(viewer);
  const parsed = wranglingSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('Please fix the wrangling form.', fieldErrorsFrom(parsed.error));
  const changes: TagWrangling = parsed.data;
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('tags').select(tagColumns).where('id', '=', tagId).executeTakeFirst();
    if (!row) throw new NotFoundError('There is no tag with that name in the archive.');
    let tag = tagRow(row);
    if (!(USER_TAG_TYPES as readonly string[]).includes(tag.type)) {
      throw new ValidationError(
        `${TAG_TYPE_LABELS[tag.type].many} come from a fixed set; they cannot be wrangled.`,
      );
    }
    // Only synonyms and meta tags change what works are found under; fandoms and the canonical flag do not.
    const refilter = new Set<number>();
    const previousMerger = tag.mergerId;

    await unlink(trx, tag, changes.remove_fandoms, 'fandom', 'child');
    for (const id of await unlink(trx, tag, changes.remove_meta_tags, 'meta', 'child')) refilter.add(id);
    for (const id of await unlink(trx, tag, changes.remove_sub_tags, 'meta', 'parent')) refilter.add(id);

    if (await changeSynonym(trx, tag, changes.synonym_of)) {
      refilter.add(tag.id);
      if (previousMerger !== null) refilter.add(previousMerger);
    }
    tag = tagRow(
      await trx.selectFrom('tags').select(tagColumns).where('id', '=', tagId).executeTakeFirstOrThrow(),
    );
    if (tag.mergerId !== null) refilter.add(tag.mergerId);
    else await changeCanonical(trx, tag, changes.canonical);
    tag = { ...tag, canonical: tag.mergerId === null && changes.canonical };

    await addFandoms(trx, tag, changes.fandoms);
    for (const id of await addMetaTags(trx, tag, changes.meta_tags)) refilter.add(id);

    if (refilter.size > 0) await queueFilterTagsRebuild(trx, [tag.id, ...refilter]);
  });
}

export interface UnwrangledTag {
  name: string;
  type: TagType;
  /** Works carrying the tag, drafts included: they will be found under it too once it is wrangled. */
  works: number;
}

export interface UnwrangledGroup {
  /** The fandom of works the tags are used on; null for "No fandom", and for the fandom tags themselves. */
  fandom: string | null;
  tags: UnwrangledTag[];
}

export interface UnwrangledListing {
  /** The one tag type listed, if the wrangler chose one. */
  type?: TagType;
  /** Unwrangled fandoms first, then the other tags by the fandoms they are used in, then the rest. */
  fandoms: UnwrangledTag[];
  groups: UnwrangledGroup[];
  total: number;
  page: number;
  pages: number;
}

const UNWRANGLED_PER_PAGE = 100;

/**
 * Tags nobody has wrangled yet (neither canonical nor a synonym), the most used first, a page at a time;
 * each appears under every fandom of the works it is used on, so a wrangler can work one fandom through.
 */
export async function listUnwrangledTags(
  db: Kysely<Database>,
  viewer: Viewer | null,
  options: { type: string; page: number },
): Promise<UnwrangledListing> {
  requireWrangler(viewer);
  const type = tagTypeFilter(options.type);
  let unwrangled = db
    .selectFrom('tags')
    .where('tags.canonical', '=', 0)
    .where('tags.merger_id', 'is', null)
    .where('tags.type', 'in', USER_TAG_TYPES);
  if (type) unwrangled = unwrangled.where('tags.type', '=', type);
  const counted = await unwrangled
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.total);
  const pages = Math.max(1, Math.ceil(total / UNWRANGLED_PER_PAGE));
  const page = Math.min(Math.max(1, options.page), pages);
  const rows = await unwrangled
    .leftJoin('work_tags', 'work_tags.tag_id', 'tags.id')
    .select([
      'tags.id',
      'tags.name',
      'tags.type',
      (eb) => eb.fn.count<number>('work_tags.work_id').as('works'),
    ])
    .groupBy(['tags.id', 'tags.name', 'tags.type', 'tags.name_key'])
    .orderBy('works', 'desc')
    .orderBy('tags.name_key')
    .limit(UNWRANGLED_PER_PAGE)
    .offset((page - 1) * UNWRANGLED_PER_PAGE)
    .execute();
  const tags = rows.map((row) => ({
    id: row.id,
    tag: { name: row.name, type: row.type as TagType, works: Number(row.works) },
  }));
  const others = tags.filter((entry) => entry.tag.type !== 'fandom');
  const usedIn =
    others.length === 0
      ? []
      : await db
          .selectFrom('work_tags as used')
          .innerJoin('work_tags as beside', 'beside.work_id', 'used.work_id')
          .innerJoin('tags as fandom', 'fandom.id', 'beside.tag_id')
          .leftJoin('tags as canon', 'canon.id', 'fandom.merger_id')
          .select(['used.tag_id', (eb) => eb.fn.coalesce('canon.name', 'fandom.name').as('fandom')])
          .distinct()
          .where('fandom.type', '=', 'fandom')
          .where(
            'used.tag_id',
            'in',
            others.map((entry) => entry.id),
          )
          .execute();
  const byFandom = new Map<string | null, UnwrangledTag[]>();
  for (const entry of others) {
    const fandoms = usedIn.filter((row) => row.tag_id === entry.id).map((row) => row.fandom);
    for (const fandom of fandoms.length > 0 ? fandoms : [null]) {
      byFandom.set(fandom, [...(byFandom.get(fandom) ?? []), entry.tag]);
    }
  }
  const groups = [...byFandom]
    .map(([fandom, grouped]) => ({ fandom, tags: grouped }))
    .sort((a, b) =>
      a.fandom === null ? 1 : b.fandom === null ? -1 : a.fandom.localeCompare(b.fandom, 'en'),
    );
  return {
    fandoms: tags.filter((entry) => entry.tag.type === 'fandom').map((entry) => entry.tag),
    groups,
    type,
    total,
    page,
    pages,
  };
}
