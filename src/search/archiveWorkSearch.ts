import type { Kysely } from 'kysely';
import type { ArchiveDatabase } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { unionOf, type WorkSet, workSet } from './bitmaps.ts';
import { decodeCursor, encodeCursor, type WorkCursor } from './cursor.ts';
import { emptyFacets, FacetCounter } from './facets.ts';
import type { FilterIndex } from './filterIndex.ts';
import { IndexFollower } from './indexFollower.ts';
import { ascending, descending, selectPage, type WorkOrder } from './pageSelection.ts';
import { PostgresTextSearch } from './postgresTextSearch.ts';
import { SqliteTextSearch } from './sqliteTextSearch.ts';
import { CachedTextSearch } from './textCache.ts';
import type { TextMatches } from './textSearch.ts';
import type {
  DayRange,
  NumberRange,
  WorkFacets,
  WorkQuery,
  WorkSearch,
  WorkSearchPage,
  WorkSearchRequest,
  WorkSearchScope,
} from './workSearch.ts';

// Plans every listing from the smallest set: the per-tag work sets in memory are intersected first,
// then each remaining work's facts are checked, one page is picked with a bounded heap, and the tags of
// the whole result are counted. SQL answers only what the index does not hold (creators, mutes, text).

/** Works per page, whatever a caller asks for. */
const MAX_LIMIT = 200;
const DAY_MS = 86_400_000;

/** Results past this size keep their tag counts, which take longer to count than the rest of a search. */
const CACHED_FACETS_FROM = 5_000;
const CACHED_FACET_RESULTS = 16;

/** One index per database per process, however often a WorkSearch is asked for. */
const searches = new WeakMap<ArchiveDatabase, ArchiveWorkSearch>();

export function createWorkSearch(archive: ArchiveDatabase): WorkSearch {
  let search = searches.get(archive);
  if (!search) {
    const text =
      archive.dialect === 'postgres' ? new PostgresTextSearch(archive.db) : new SqliteTextSearch(archive.db);
    search = new ArchiveWorkSearch(archive.db, new IndexFollower(archive), new CachedTextSearch(text));
    searches.set(archive, search);
  }
  return search;
}

/** Two 32-bit hashes of a result's work ids: with its size, what its cached tag counts are kept under. */
function resultKey(works: Uint32Array): string {
  let first = 0x811c9dc5;
  let second = 0x2545f491;
  for (let at = 0; at < works.length; at++) {
    first = Math.imul(first ^ works[at], 0x01000193);
    second = Math.imul(second + works[at], 0x5bd1e995) ^ (second >>> 15);
  }
  return `${works.length}:${first >>> 0}:${second >>> 0}`;
}

interface ResolvedTags {
  include: number[];
  exclude: number[];
  /** The rating tags a work may have one of; null when any rating will do. */
  ratings: number[] | null;
  scopeTag: number | null;
  unknown: string[];
}

function resolveTags(index: FilterIndex, query: WorkQuery, scope: WorkSearchScope): ResolvedTags | null {
  const unknown: string[] = [];
  const include: number[] = [];
  for (const name of query.includeTags) {
    const tagId = index.resolveTagName(name);
    if (tagId === undefined) unknown.push(name);
    else include.push(tagId);
  }
  const exclude = query.excludeTags.flatMap((name) => index.resolveTagName(name) ?? []);
  const ratings =
    query.ratings.length === 0
      ? null
      : query.ratings.flatMap((name) => {
          const tagId = index.resolveTagName(name);
          return tagId !== undefined && index.tagType(tagId) === 'rating' ? [tagId] : [];
        });
  let scopeTag: number | null = null;
  if (scope.tagId !== undefined) {
    const canonical = index.canonicalOf(scope.tagId);
    if (canonical === undefined) return null;
    scopeTag = canonical;
  }
  if (ratings?.length === 0) return null;
  return { include, exclude, ratings, scopeTag, unknown };
}

function emptyPage(unknownTags: string[] = []): WorkSearchPage {
  return { workIds: [], total: 0, nextCursor: null, facets: emptyFacets(), unknownTags };
}

/** Inclusive millisecond bounds of a day range; a missing or unreadable end is open. */
function dayBounds(range: DayRange): [number, number] {
  const from = range.from ? Date.parse(`${range.from}T00:00:00.000Z`) : Number.NaN;
  const to = range.to ? Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS - 1 : Number.NaN;
  return [Number.isNaN(from) ? -Infinity : from, Number.isNaN(to) ? Infinity : to];
}

function numberBounds(range: NumberRange): [number, number] {
  return [range.min ?? -Infinity, range.max ?? Infinity];
}

function isOpen([min, max]: [number, number]): boolean {
  return min === -Infinity && max === Infinity;
}

async function worksOfUser(db: Kysely<Database>, userId: number): Promise<WorkSet> {
  const rows = await db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('work_creators.work_id')
    .where('pseuds.user_id', '=', userId)
    .execute();
  return workSet(rows.map((row) => row.work_id));
}

/** Works by users the viewer muted, except on the works page of the muted user themself. */
async function mutedWorks(db: Kysely<Database>, viewerId: number, pageOwner: number | undefined) {
  let query = db
    .selectFrom('mutes')
    .innerJoin('pseuds', 'pseuds.user_id', 'mutes.target_id')
    .innerJoin('work_creators', 'work_creators.pseud_id', 'pseuds.id')
    .select('work_creators.work_id')
    .where('mutes.user_id', '=', viewerId);
  if (pageOwner !== undefined) query = query.where('mutes.target_id', '<>', pageOwner);
  const rows = await query.execute();
  return workSet(rows.map((row) => row.work_id));
}

function intersection(sets: WorkSet[]): WorkSet {
  const [smallest, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  const result = smallest.clone();
  for (const set of rest) {
    if (result.size === 0) break;
    result.andInPlace(set);
  }
  return result;
}

export class ArchiveWorkSearch implements WorkSearch {
  private readonly facets = new FacetCounter();
  private readonly cachedFacets = new Map<
    string,
    { index: FilterIndex; shape: number; facets: WorkFacets }
  >();
  private scores = new Float64Array(0);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly follower: IndexFollower,
    private readonly text: CachedTextSearch,
  ) {}

  async warm(): Promise<void> {
    await this.follower.current();
  }

  async findWorks(request: WorkSearchRequest): Promise<WorkSearchPage> {
    const { viewer, query, scope } = request;
    const limit = Number.isInteger(request.limit) ? Math.min(Math.max(request.limit, 1), MAX_LIMIT) : 20;
    const index = await this.follower.current();
    const tags = resolveTags(index, query, scope);
    if (!tags) return emptyPage();
    if (tags.unknown.length > 0) return emptyPage(tags.unknown);
    if (query.language !== null && index.languageCode(query.language) === undefined) return emptyPage();

    const draftsOf = viewer !== null && scope.includeDraftsOf === viewer.id ? viewer.id : undefined;
    const [creatorWorks, ownWorks, muted, text] = await Promise.all([
      scope.creatorUserId === undefined ? null : worksOfUser(this.db, scope.creatorUserId),
      draftsOf === undefined || draftsOf === scope.creatorUserId ? null : worksOfUser(this.db, draftsOf),
      viewer ? mutedWorks(this.db, viewer.id, scope.creatorUserId) : null,
      query.text ? this.text.find(index, query.text, query.sort === 'relevance') : null,
    ]);
    // Nothing is awaited from here on, so the index cannot change under this search.
    const allowed = this.visibleWorks(
      index,
      viewer,
      draftsOf === undefined ? null : (ownWorks ?? creatorWorks),
    );
    const narrowing: WorkSet[] = tags.include.map((tagId) => index.worksUnder(tagId));
    if (tags.scopeTag !== null) narrowing.push(index.worksUnder(tags.scopeTag));
    if (tags.ratings) narrowing.push(unionOf(tags.ratings.map((tagId) => index.worksUnder(tagId))));
    if (creatorWorks) narrowing.push(creatorWorks);
    if (text?.kind === 'matching') narrowing.push(workSet(text.workIds));
    const result = intersection([...narrowing, allowed.works]);
    for (const tagId of tags.exclude) result.andNotInPlace(index.worksUnder(tagId));
    if (muted && muted.size > 0) result.andNotInPlace(muted);
    if (text?.kind === 'excluding' && text.workIds.length > 0) result.andNotInPlace(workSet(text.workIds));

    const works = this.checkFacts(index, query, result.toUint32Array());
    const order = this.order(index, query, text);
    const page = selectPage(works, order, this.cursorOf(query), limit);
    const last = page.workIds[page.workIds.length - 1];
    const leaveOut = new Set([...tags.include, ...(tags.scopeTag === null ? [] : [tags.scopeTag])]);
    return {
      workIds: page.workIds,
      total: works.length,
      nextCursor:
        page.more && last !== undefined
          ? encodeCursor({ sort: query.sort, value: order.key(last), workId: last })
          : null,
      facets: this.countFacets(index, works, allowed, leaveOut),
      unknownTags: [],
    };
  }

  /**
   * What the viewer may see before any filter: posted works (guests: unrestricted ones only), plus
   * their own drafts on their own works page.
   */
  private visibleWorks(
    index: FilterIndex,
    viewer: Viewer | null,
    ownWorks: WorkSet | null,
  ): { works: WorkSet; counts: Uint32Array | null } {
    const base = viewer ? index.postedWorks : index.openWorks;
    const counts = viewer ? index.postedCounts : index.openCounts;
    if (!ownWorks) return { works: base, counts };
    const drafts = intersection([index.draftWorks, ownWorks]);
    return drafts.size === 0 ? { works: base, counts } : { works: unionOf([base, drafts]), counts: null };
  }

  /** Keeps the works whose own facts (not tags) pass the reader's filters, in place. */
  private checkFacts(index: FilterIndex, query: WorkQuery, candidates: Uint32Array): Uint32Array {
    const ranges = (
      [
        [index.words, numberBounds(query.words)],
        [index.kudos, numberBounds(query.kudos)],
        [index.hits, numberBounds(query.hits)],
        [index.comments, numberBounds(query.comments)],
        [index.bookmarks, numberBounds(query.bookmarks)],
        [index.updated, dayBounds(query.updated)],
        [index.posted, dayBounds(query.posted)],
      ] as Array<[ArrayLike<number>, [number, number]]>
    ).filter(([, bounds]) => !isOpen(bounds));
    // Parallel arrays and an indexed loop: this runs once per candidate, up to a million times.
    const rangeValues = ranges.map(([values]) => values);
    const mins = ranges.map(([, [min]]) => min);
    const maxes = ranges.map(([, [, max]]) => max);
    const completion = query.completion;
    const crossovers = query.crossovers;
    const language = query.language === null ? -1 : (index.languageCode(query.language) ?? -1);
    if (ranges.length === 0 && completion === 'all' && crossovers === 'include' && language < 0)
      return candidates;
    let kept = 0;
    nextWork: for (let at = 0; at < candidates.length; at++) {
      const workId = candidates[at];
      if (completion !== 'all' && index.isComplete(workId) !== (completion === 'complete')) continue;
      if (crossovers !== 'include' && index.fandoms[workId] > 1 !== (crossovers === 'only')) continue;
      if (language >= 0 && index.language[workId] !== language) continue;
      for (let range = 0; range < rangeValues.length; range++) {
        const value = rangeValues[range][workId];
        if (value < mins[range] || value > maxes[range]) continue nextWork;
      }
      candidates[kept++] = workId;
    }
    return candidates.subarray(0, kept);
  }

  private order(index: FilterIndex, query: WorkQuery, text: TextMatches | null): WorkOrder {
    switch (query.sort) {
      case 'relevance':
        if (text?.kind !== 'matching') return descending(index.updated);
        return descending(this.scoresOf(index, text));
      case 'updated':
        return descending(index.updated);
      case 'posted':
        return descending(index.posted);
      case 'kudos':
        return descending(index.kudos);
      case 'hits':
        return descending(index.hits);
      case 'comments':
        return descending(index.comments);
      case 'bookmarks':
        return descending(index.bookmarks);
      case 'words':
        return descending(index.words);
      case 'title':
        return ascending(index.titleKeys, index.titleLeads);
      case 'creator':
        return ascending(index.creatorKeys, index.creatorLeads);
    }
  }

  /** Text scores by work id, in a buffer reused across searches. */
  private scoresOf(index: FilterIndex, text: { workIds: Uint32Array; scores: Float64Array }): Float64Array {
    if (this.scores.length < index.flags.length) this.scores = new Float64Array(index.flags.length);
    const { workIds, scores } = text;
    for (let at = 0; at < workIds.length; at++) {
      if (workIds[at] < this.scores.length) this.scores[workIds[at]] = scores[at];
    }
    return this.scores;
  }

  private cursorOf(query: WorkQuery): WorkCursor | null {
    if (!query.cursor) return null;
    const cursor = decodeCursor(query.cursor, query.sort);
    const keyType = query.sort === 'title' || query.sort === 'creator' ? 'string' : 'number';
    return cursor && typeof cursor.value === keyType ? cursor : null;
  }

  private countFacets(
    index: FilterIndex,
    works: Uint32Array,
    allowed: { works: WorkSet; counts: Uint32Array | null },
    leaveOut: ReadonlySet<number>,
  ): WorkFacets {
    if (works.length < CACHED_FACETS_FROM) return this.facets.ofWorks(index, works, leaveOut);
    // The same works give the same counts until a tag or a work's tags change (the index's shape moves).
    const key = `${resultKey(works)}:${[...leaveOut].sort((a, b) => a - b).join(',')}`;
    const cached = this.cachedFacets.get(key);
    if (cached && cached.index === index && cached.shape === index.shape) return cached.facets;
    // Past half the visible works, counting what the result leaves out is the shorter walk.
    let facets: WorkFacets;
    if (allowed.counts && works.length > allowed.works.size / 2) {
      const missing = allowed.works.clone();
      missing.andNotInPlace(workSet(works));
      facets = this.facets.ofBaseWithout(index, allowed.counts, missing.toUint32Array(), leaveOut);
    } else facets = this.facets.ofWorks(index, works, leaveOut);
    this.cachedFacets.delete(key);
    this.cachedFacets.set(key, { index, shape: index.shape, facets });
    for (const oldest of this.cachedFacets.keys()) {
      if (this.cachedFacets.size <= CACHED_FACET_RESULTS) break;
      this.cachedFacets.delete(oldest);
    }
    return facets;
  }
}
