import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { BookmarksTable, Database } from '../db/schema.ts';
import {
  type BookmarkFields,
  type BookmarkFilters,
  type BookmarkTarget,
  bookmarkFieldsSchema,
  bookmarkTargetSchema,
} from '../domain/bookmarkRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { sanitizeWorkHtml } from '../domain/htmlPolicy.ts';
import type { Viewer } from '../domain/permissions.ts';
import { tagKey } from '../domain/workRules.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from './errors.ts';
import { creditedPseud, pseudChoiceOf } from './pseuds.ts';
import { visibleSeries } from './series.ts';
import { type SeriesSummary, summariseSeries } from './seriesEditing.ts';
import { resolveTags } from './tags.ts';
import { mutedUserIds } from './userRelations.ts';
import { getWork } from './works.ts';
import { summariseWorks, type WorkSummary } from './workViews.ts';
import { readableWork } from './workVisibility.ts';

// Bookmarks of works and series: one per reader per work or series. A work's bookmarks_count counts its
// public bookmarks and changes in the same transaction as they do, guarded so that two simultaneous
// requests can never count one change twice.

export const BOOKMARKS_PER_PAGE = 20;

export function parseBookmarkTarget(input: unknown): BookmarkTarget {
  const parsed = bookmarkTargetSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Say what to bookmark.', fieldErrorsFrom(parsed.error));
  return parsed.data;
}

function parseBookmarkFields(input: unknown): BookmarkFields {
  const parsed = bookmarkFieldsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Please fix the bookmark.', fieldErrorsFrom(parsed.error));
  return parsed.data;
}

/**
 * Refuses to bookmark what the viewer may not read, or a draft that is not yet there to recommend; a
 * series the viewer may not see is a missing one.
 */
async function checkBookmarkable(db: Kysely<Database>, viewer: Viewer | null, target: BookmarkTarget) {
  if ('workId' in target) {
    const work = await getWork(db, viewer, target.workId);
    if (work.draft) throw new ValidationError('A draft cannot be bookmarked until it is posted.');
    return;
  }
  const series = await db
    .selectFrom('series')
    .select('series.id')
    .where('series.id', '=', target.seriesId)
    .where(visibleSeries(viewer))
    .executeTakeFirst();
  if (!series) throw new NotFoundError('We could not find that series.');
}

/** Moves the work's public bookmark count by one, inside the transaction that changed the bookmark. */
async function countPublicBookmark(trx: Transaction<Database>, workId: number | null, change: 1 | -1) {
  if (workId === null) return;
  await trx
    .updateTable('works')
    .set((eb) => ({ bookmarks_count: eb('bookmarks_count', change === 1 ? '+' : '-', 1) }))
    .where('id', '=', workId)
    .execute();
}

async function replaceBookmarkTags(trx: Transaction<Database>, bookmarkId: number, names: string[]) {
  await trx.deleteFrom('bookmark_tags').where('bookmark_id', '=', bookmarkId).execute();
  if (names.length === 0) return;
  const ids = await resolveTags(
    trx,
    names.map((name) => ({ name, type: 'freeform' as const, field: 'tags', anyType: true })),
  );
  await trx
    .insertInto('bookmark_tags')
    .values(
      [...new Set(ids)].map((tagId, position) => ({ bookmark_id: bookmarkId, tag_id: tagId, position })),
    )
    .execute();
}

export async function createBookmark(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: BookmarkTarget,
  input: unknown,
): Promise<{ id: number }> {
  if (!viewer) throw new AuthenticationError('Log in to bookmark.');
  const fields = parseBookmarkFields(input);
  await checkBookmarkable(db, viewer, target);
  const workId = 'workId' in target ? target.workId : null;
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const pseud = await creditedPseud(trx, viewer, pseudChoiceOf(input));
    // The unique constraints decide between simultaneous requests: one bookmark, the other is told.
    const created = await trx
      .insertInto('bookmarks')
      .values({
        user_id: viewer.id,
        pseud_id: pseud.id,
        work_id: workId,
        series_id: 'seriesId' in target ? target.seriesId : null,
        notes: sanitizeWorkHtml(fields.notes),
        private: fields.private ? 1 : 0,
        rec: fields.rec ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!created) throw new ConflictError('You have already bookmarked this; edit that bookmark instead.');
    await replaceBookmarkTags(trx, created.id, fields.tags);
    if (!fields.private) await countPublicBookmark(trx, workId, 1);
    return created;
  });
}

/** The viewer's bookmark of the target, if they have one (for the Bookmark / Edit Bookmark button). */
export async function bookmarkIdOf(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: BookmarkTarget,
): Promise<number | null> {
  if (!viewer) return null;
  const row = await db
    .selectFrom('bookmarks')
    .select('id')
    .where('user_id', '=', viewer.id)
    .where(
      'workId' in target ? 'work_id' : 'series_id',
      '=',
      'workId' in target ? target.workId : target.seriesId,
    )
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface BookmarkForEditing {
  id: number;
  target: BookmarkTarget;
  /** The bookmarked work's or series' title. */
  title: string;
  notes: string;
  tags: string[];
  private: boolean;
  rec: boolean;
  /** The pseud it was made under ('' if that pseud is gone). */
  pseud: string;
}

async function tagsOfBookmarks(db: Kysely<Database>, bookmarkIds: number[]): Promise<Map<number, string[]>> {
  const tags = new Map<number, string[]>();
  if (bookmarkIds.length === 0) return tags;
  const rows = await db
    .selectFrom('bookmark_tags')
    .innerJoin('tags', 'tags.id', 'bookmark_tags.tag_id')
    .select(['bookmark_tags.bookmark_id', 'tags.name'])
    .where('bookmark_tags.bookmark_id', 'in', bookmarkIds)
    .orderBy('bookmark_tags.bookmark_id')
    .orderBy('bookmark_tags.position')
    .execute();
  for (const row of rows) tags.set(row.bookmark_id, [...(tags.get(row.bookmark_id) ?? []), row.name]);
  return tags;
}

/** Loads one of the viewer's own bookmarks to change it; anyone else's is refused. */
export async function bookmarkForEditing(
  db: Kysely<Database>,
  viewer: Viewer | null,
  bookmarkId: number,
): Promise<BookmarkForEditing> {
  if (!viewer) throw new AuthenticationError('Log in to change your bookmarks.');
  const row = await db
    .selectFrom('bookmarks')
    .leftJoin('works', 'works.id', 'bookmarks.work_id')
    .leftJoin('series', 'series.id', 'bookmarks.series_id')
    .leftJoin('pseuds', 'pseuds.id', 'bookmarks.pseud_id')
    .selectAll('bookmarks')
    .select(['works.title as work_title', 'series.title as series_title', 'pseuds.name as pseud'])
    .where('bookmarks.id', '=', bookmarkId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('We could not find that bookmark. It may have been deleted.');
  if (row.user_id !== viewer.id)
    throw new ForbiddenError('Only the reader who made a bookmark can change it.');
  return {
    id: row.id,
    target: row.work_id !== null ? { workId: row.work_id } : { seriesId: row.series_id as number },
    title: row.work_title ?? row.series_title ?? '',
    notes: row.notes,
    tags: (await tagsOfBookmarks(db, [row.id])).get(row.id) ?? [],
    private: row.private === 1,
    rec: row.rec === 1,
    pseud: row.pseud ?? '',
  };
}

export async function updateBookmark(
  db: Kysely<Database>,
  viewer: Viewer | null,
  bookmarkId: number,
  input: unknown,
): Promise<void> {
  const bookmark = await bookmarkForEditing(db, viewer, bookmarkId);
  const fields = parseBookmarkFields(input);
  const choice = pseudChoiceOf(input);
  const workId = 'workId' in bookmark.target ? bookmark.target.workId : null;
  const hidden = fields.private ? 1 : 0;
  await db.transaction().execute(async (trx) => {
    // A bookmark keeps its pseud unless another is named.
    const pseud = choice === undefined || choice === '' ? null : await creditedPseud(trx, viewer, choice);
    // Only the request that really flips the privacy moves the count, however many arrive at once.
    const flipped = await trx
      .updateTable('bookmarks')
      .set({ private: hidden })
      .where('id', '=', bookmarkId)
      .where('private', '<>', hidden)
      .executeTakeFirst();
    if (Number(flipped.numUpdatedRows) > 0) await countPublicBookmark(trx, workId, hidden ? -1 : 1);
    await trx
      .updateTable('bookmarks')
      .set({
        notes: sanitizeWorkHtml(fields.notes),
        rec: fields.rec ? 1 : 0,
        ...(pseud ? { pseud_id: pseud.id } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', bookmarkId)
      .execute();
    await replaceBookmarkTags(trx, bookmarkId, fields.tags);
  });
}

/** Deletes one of the viewer's bookmarks; returns what it was of, so the page can lead back there. */
export async function deleteBookmark(
  db: Kysely<Database>,
  viewer: Viewer | null,
  bookmarkId: number,
): Promise<BookmarkTarget> {
  const bookmark = await bookmarkForEditing(db, viewer, bookmarkId);
  await db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('bookmarks')
      .where('id', '=', bookmarkId)
      .returning(['work_id', 'private'])
      .executeTakeFirst();
    if (deleted && deleted.private === 0) await countPublicBookmark(trx, deleted.work_id, -1);
  });
  return bookmark.target;
}

export type BookmarkScope = { userId: number } | { workId: number } | { seriesId: number };

export interface BookmarkEntry {
  id: number;
  bookmarker: string;
  /** The pseud the bookmark was made under (the bookmarker's login when that is the pseud). */
  pseud: string;
  notes: string;
  tags: string[];
  private: boolean;
  rec: boolean;
  createdAt: string;
  updatedAt: string;
  /** Exactly one of these is set. */
  work: WorkSummary | null;
  series: SeriesSummary | null;
}

export interface TagCount {
  name: string;
  count: number;
}

export interface BookmarkListing {
  bookmarks: BookmarkEntry[];
  total: number;
  page: number;
  pages: number;
  /** What the filter sidebar offers: the bookmarkers' tags and the bookmarked works' fandoms, most used first. */
  facets: { tags: TagCount[]; fandoms: TagCount[] };
}

/**
 * The bookmarks in scope that the viewer may see: private ones only to their owner, none of works the
 * viewer cannot open or of series they may not see, none of works or series by users the viewer muted, and in a work's or series'
 * list none by readers the viewer muted.
 */
function visibleBookmarks(
  db: Kysely<Database>,
  viewer: Viewer | null,
  scope: BookmarkScope,
  muted: number[],
) {
  let query = db
    .selectFrom('bookmarks')
    .innerJoin('users', 'users.id', 'bookmarks.user_id')
    .leftJoin('works', 'works.id', 'bookmarks.work_id')
    .leftJoin('series', 'series.id', 'bookmarks.series_id');
  if ('userId' in scope) query = query.where('bookmarks.user_id', '=', scope.userId);
  else if ('workId' in scope) query = query.where('bookmarks.work_id', '=', scope.workId);
  else query = query.where('bookmarks.series_id', '=', scope.seriesId);
  if (!('userId' in scope && viewer?.id === scope.userId)) query = query.where('bookmarks.private', '=', 0);
  query = query
    .where((eb) => eb.or([eb('bookmarks.work_id', 'is', null), readableWork(viewer)(eb)]))
    .where((eb) => eb.or([eb('bookmarks.series_id', 'is', null), visibleSeries(viewer)(eb)]));
  if (muted.length > 0) {
    // A muted reader's bookmarks leave the lists of everyone's bookmarks, not their own page, which the
    // muter opened on purpose (as with their works page).
    if (!('userId' in scope)) query = query.where('bookmarks.user_id', 'not in', muted);
    query = query
      .where((eb) =>
        eb.or([
          eb('bookmarks.work_id', 'is', null),
          eb(
            'bookmarks.work_id',
            'not in',
            eb
              .selectFrom('work_creators')
              .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
              .select('work_creators.work_id')
              .where('pseuds.user_id', 'in', muted),
          ),
        ]),
      )
      .where((eb) => eb.or([eb('bookmarks.series_id', 'is', null), eb('series.user_id', 'not in', muted)]));
  }
  return query;
}

/** A tag and its synonyms, so a filter by any spelling finds them all. */
async function tagFamily(db: Kysely<Database>, name: string, type?: string): Promise<number[]> {
  let query = db.selectFrom('tags').select(['id', 'merger_id']).where('name_key', '=', tagKey(name));
  if (type) query = query.where('type', '=', type);
  const tag = await query.executeTakeFirst();
  if (!tag) return [];
  const canonical = tag.merger_id ?? tag.id;
  const family = await db
    .selectFrom('tags')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', canonical), eb('merger_id', '=', canonical)]))
    .execute();
  return family.map((row) => row.id);
}

function facetCounts(rows: { name: string; count: number | string | bigint }[]): TagCount[] {
  return rows.map((row) => ({ name: row.name, count: Number(row.count) }));
}

const FACETS_SHOWN = 50;

export async function listBookmarks(
  db: Kysely<Database>,
  viewer: Viewer | null,
  scope: BookmarkScope,
  filters: BookmarkFilters,
  page: number,
): Promise<BookmarkListing> {
  const muted = await mutedUserIds(db, viewer?.id);
  const visible = visibleBookmarks(db, viewer, scope, muted);
  const [tagFacets, fandomFacets] = await Promise.all([
    visible
      .innerJoin('bookmark_tags', 'bookmark_tags.bookmark_id', 'bookmarks.id')
      .innerJoin('tags', 'tags.id', 'bookmark_tags.tag_id')
      .select((eb) => ['tags.name', eb.fn.countAll<number>().as('count')])
      .groupBy(['tags.id', 'tags.name'])
      .orderBy('count', 'desc')
      .orderBy('tags.name')
      .limit(FACETS_SHOWN)
      .execute(),
    visible
      .innerJoin('work_tags', 'work_tags.work_id', 'bookmarks.work_id')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .where('tags.type', '=', 'fandom')
      .select((eb) => ['tags.name', eb.fn.countAll<number>().as('count')])
      .groupBy(['tags.id', 'tags.name'])
      .orderBy('count', 'desc')
      .orderBy('tags.name')
      .limit(FACETS_SHOWN)
      .execute(),
  ]);
  const facets = { tags: facetCounts(tagFacets), fandoms: facetCounts(fandomFacets) };

  let query = visible;
  if (filters.rec) query = query.where('bookmarks.rec', '=', 1);
  if (filters.complete) {
    query = query.where((eb) => eb.or([eb('works.complete', '=', 1), eb('series.complete', '=', 1)]));
  }
  if (filters.rating) {
    const rating = filters.rating;
    query = query.where('bookmarks.work_id', 'in', (eb) =>
      eb
        .selectFrom('work_tags')
        .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
        .select('work_tags.work_id')
        .where('tags.type', '=', 'rating')
        .where('tags.name', '=', rating),
    );
  }
  // A tag nobody ever used cannot match anything.
  const nothing: BookmarkListing = { bookmarks: [], total: 0, page: 1, pages: 1, facets };
  if (filters.tag !== undefined) {
    const family = await tagFamily(db, filters.tag);
    if (family.length === 0) return nothing;
    query = query.where('bookmarks.id', 'in', (eb) =>
      eb.selectFrom('bookmark_tags').select('bookmark_id').where('tag_id', 'in', family),
    );
  }
  if (filters.fandom !== undefined) {
    const family = await tagFamily(db, filters.fandom, 'fandom');
    if (family.length === 0) return nothing;
    query = query.where('bookmarks.work_id', 'in', (eb) =>
      eb.selectFrom('work_tags').select('work_id').where('tag_id', 'in', family),
    );
  }

  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const total = Number(counted.total);
  const pages = Math.max(1, Math.ceil(total / BOOKMARKS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  let ordered = query.selectAll('bookmarks').select('users.username');
  ordered =
    filters.sort === 'updated'
      ? ordered.orderBy(sql`coalesce(works.updated_at, series.updated_at)`, 'desc')
      : ordered.orderBy('bookmarks.created_at', 'desc');
  const rows = await ordered
    .orderBy('bookmarks.id', 'desc')
    .limit(BOOKMARKS_PER_PAGE)
    .offset((current - 1) * BOOKMARKS_PER_PAGE)
    .execute();

  return { bookmarks: await bookmarkEntries(db, viewer, rows), total, page: current, pages, facets };
}

type BookmarkRow = Selectable<BookmarksTable> & { username: string };

/** Bookmark rows with what they are of, loading the works, series and tags of all of them at once. */
async function bookmarkEntries(
  db: Kysely<Database>,
  viewer: Viewer | null,
  rows: BookmarkRow[],
): Promise<BookmarkEntry[]> {
  const workIds = rows.flatMap((row) => (row.work_id === null ? [] : [row.work_id]));
  const seriesIds = rows.flatMap((row) => (row.series_id === null ? [] : [row.series_id]));
  const pseudIds = rows.flatMap((row) => (row.pseud_id === null ? [] : [row.pseud_id]));
  const [works, series, tags, pseuds] = await Promise.all([
    workIds.length > 0
      ? db
          .selectFrom('works')
          .selectAll()
          .where('id', 'in', workIds)
          .execute()
          .then((workRows) => summariseWorks(db, workRows))
      : Promise.resolve([]),
    summariseSeries(db, viewer, seriesIds),
    tagsOfBookmarks(
      db,
      rows.map((row) => row.id),
    ),
    pseudIds.length > 0
      ? db.selectFrom('pseuds').select(['id', 'name']).where('id', 'in', pseudIds).execute()
      : Promise.resolve([]),
  ]);
  const pseudNames = new Map(pseuds.map((pseud) => [pseud.id, pseud.name]));
  const worksById = new Map(works.map((work) => [work.id, work]));
  const seriesById = new Map(series.map((entry) => [entry.id, entry]));
  return rows.map((row) => ({
    id: row.id,
    bookmarker: row.username,
    pseud: (row.pseud_id !== null ? pseudNames.get(row.pseud_id) : undefined) ?? row.username,
    notes: row.notes,
    tags: tags.get(row.id) ?? [],
    private: row.private === 1,
    rec: row.rec === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    work: row.work_id === null ? null : (worksById.get(row.work_id) ?? null),
    series: row.series_id === null ? null : (seriesById.get(row.series_id) ?? null),
  }));
}

/** One of the viewer's own bookmarks as listings show it (what the API answers after a change). */
export async function ownBookmark(
  db: Kysely<Database>,
  viewer: Viewer | null,
  bookmarkId: number,
): Promise<BookmarkEntry> {
  await bookmarkForEditing(db, viewer, bookmarkId);
  const row = await db
    .selectFrom('bookmarks')
    .innerJoin('users', 'users.id', 'bookmarks.user_id')
    .selectAll('bookmarks')
    .select('users.username')
    .where('bookmarks.id', '=', bookmarkId)
    .executeTakeFirstOrThrow();
  const [entry] = await bookmarkEntries(db, viewer, [row]);
  return entry;
}
