import type { Viewer } from '../domain/permissions.ts';
import type { TagType } from '../domain/vocabulary.ts';

// The one interface every works listing (all works, a tag's works, a user's works, search, the API)
// asks. What a reader typed arrives here already parsed (queryParams.ts and queryGrammar.ts).

export const WORK_SORTS = [
  'relevance',
  'updated',
  'posted',
  'kudos',
  'hits',
  'comments',
  'bookmarks',
  'words',
  'title',
  'creator',
] as const;
export type WorkSort = (typeof WORK_SORTS)[number];

export const CROSSOVER_CHOICES = ['include', 'exclude', 'only'] as const;
export type CrossoverChoice = (typeof CROSSOVER_CHOICES)[number];

export const COMPLETION_CHOICES = ['all', 'complete', 'incomplete'] as const;
export type CompletionChoice = (typeof COMPLETION_CHOICES)[number];

/** Both ends inclusive; a missing end is open. */
export interface NumberRange {
  min?: number;
  max?: number;
}

/** Calendar days (YYYY-MM-DD, UTC), both ends inclusive. */
export interface DayRange {
  from?: string;
  to?: string;
}

/** One word, or several that must appear next to each other in this order. */
export type TextAlternative = { kind: 'word'; word: string } | { kind: 'phrase'; words: string[] };

/** Matches when any of its alternatives matches (the reader's `OR`). */
export interface TextClause {
  anyOf: TextAlternative[];
}

/** Words as the index holds them (lowercased tokens): every `must` clause matches, no `mustNot` does. */
export interface TextQuery {
  must: TextClause[];
  mustNot: TextClause[];
}

export interface WorkQuery {
  /** Tag names as typed; a work must be found under every one (synonyms resolve to their canonical). */
  includeTags: string[];
  /** Tag names; a work found under any of them is left out. */
  excludeTags: string[];
  /** Rating names; a work with any one of them is kept. Empty means any rating. */
  ratings: string[];
  completion: CompletionChoice;
  crossovers: CrossoverChoice;
  words: NumberRange;
  kudos: NumberRange;
  hits: NumberRange;
  comments: NumberRange;
  bookmarks: NumberRange;
  updated: DayRange;
  posted: DayRange;
  /** A language code from domain/languages.ts, or null for any. */
  language: string | null;
  text: TextQuery | null;
  sort: WorkSort;
  /** The opaque position after which this page starts, from a previous page's `nextCursor`. */
  cursor: string | null;
}

/** Which works a listing starts from, before the reader's filters narrow it. */
export interface WorkSearchScope {
  /** Only works this user is a creator of. */
  creatorUserId?: number;
  /** Also show this user's drafts, when the viewer is that user. */
  includeDraftsOf?: number;
  /** Only works found under this tag (its synonyms and subtags included). */
  tagId?: number;
}

export interface TagFacet {
  tagId: number;
  name: string;
  /** How many works of the whole result (not only this page) are found under the tag. */
  count: number;
}

export type WorkFacets = Record<TagType, TagFacet[]>;

export interface WorkSearchPage {
  /** This page's works, in order. */
  workIds: number[];
  /** How many works match in all. */
  total: number;
  nextCursor: string | null;
  /** The most frequent canonical (or not yet wrangled) tags of each type in the whole result. */
  facets: WorkFacets;
  /** Included tag names that name no tag in the archive; the result is then empty. */
  unknownTags: string[];
}

export interface WorkSearchRequest {
  viewer: Viewer | null;
  query: WorkQuery;
  scope: WorkSearchScope;
  /** Works per page. */
  limit: number;
}

export interface WorkSearch {
  findWorks(request: WorkSearchRequest): Promise<WorkSearchPage>;
  /** Builds what the first search would otherwise wait for (at start-up, not in a reader's request). */
  warm(): Promise<void>;
}
