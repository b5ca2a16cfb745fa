import { RATINGS } from '../domain/vocabulary.ts';
import { LIMITS, tagDisplayName, tagKey } from '../domain/workRules.ts';
import { decodeCursor } from './cursor.ts';
import {
  addTagNames,
  intersectDayRanges,
  intersectNumberRanges,
  languageCode,
  parseCount,
  parseDay,
  parseSearchText,
  ratingNamed,
  type SearchTextFilters,
} from './queryGrammar.ts';
import {
  type CompletionChoice,
  CROSSOVER_CHOICES,
  type CrossoverChoice,
  type DayRange,
  type NumberRange,
  WORK_SORTS,
  type WorkQuery,
  type WorkSort,
} from './workSearch.ts';

// The one reading of a works listing's address (pages and API alike), and its inverse for links.
// Bad values never fail the request: each is left out and named, so the reader still sees works.

const TAG_FILTER_LIMIT = 20;

export interface ParsedWorkQuery {
  query: WorkQuery;
  /** The search text as the reader typed it (trimmed); links carry it back unchanged. */
  q: string;
  /** Parameter name → a sentence saying what was wrong and left out. */
  problems: Record<string, string>;
}

/** Where a works link goes: a parsed query and the search text it came with. */
export interface WorkQueryState {
  query: WorkQuery;
  q: string;
}

const RATING_LIST = RATINGS.join(', ');

function defaultSort(hasText: boolean): WorkSort {
  return hasText ? 'relevance' : 'updated';
}

/** Every value given for a parameter, trimmed, empties dropped; null when one was not text at all. */
function valuesOf(params: Record<string, unknown>, name: string): string[] | null {
  const given = params[name];
  const list = Array.isArray(given) ? given : given === undefined ? [] : [given];
  const values: string[] = [];
  for (const value of list) {
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    const text = String(value).trim();
    if (text !== '') values.push(text);
  }
  return values;
}

/** Lists may repeat the parameter, separate values with commas (tag names cannot hold one), or both. */
function listOf(params: Record<string, unknown>, name: string): string[] | null {
  return (
    valuesOf(params, name)
      ?.flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter((value) => value !== '') ?? null
  );
}

function inRatingOrder(ratings: string[]): string[] {
  return RATINGS.filter((rating) => ratings.includes(rating));
}

class QueryReader {
  readonly problems: Record<string, string> = {};

  constructor(private readonly params: Record<string, unknown>) {}

  note(name: string, sentence: string): void {
    this.problems[name] = this.problems[name] ? `${this.problems[name]} ${sentence}` : sentence;
  }

  /** A single-valued parameter: the last value wins (a form may carry one hidden and one visible). */
  single(name: string): string | null {
    const values = valuesOf(this.params, name);
    if (values === null) this.note(name, 'This must be text.');
    return values?.at(-1) ?? null;
  }

  list(name: string): string[] {
    const values = listOf(this.params, name);
    if (values === null) this.note(name, 'This must be a list of text values.');
    return values ?? [];
  }

  tagNames(name: string): string[] {
    const names: string[] = [];
    for (const value of this.list(name)) {
      const tag = tagDisplayName(value);
      if (tag.length > LIMITS.tagName) {
        this.note(
          name,
          `Tag names are at most ${LIMITS.tagName} characters; “${tag.slice(0, 40)}…” was left out.`,
        );
      } else {
        names.push(tag);
      }
    }
    return addTagNames([], names);
  }

  count(name: string): number | undefined {
    const text = this.single(name);
    if (text === null) return undefined;
    const value = parseCount(text);
    if (value === null) this.note(name, 'Word count must be a whole number, like 10000.');
    return value ?? undefined;
  }

  day(name: string): string | undefined {
    const text = this.single(name);
    if (text === null) return undefined;
    const day = parseDay(text);
    if (day === null) this.note(name, 'Dates must be real days written YYYY-MM-DD, like 2024-01-31.');
    return day ?? undefined;
  }

  choice<T extends string>(name: string, choices: readonly T[], sentence: string): T | null {
    const text = this.single(name);
    if (text === null) return null;
    const choice = choices.find((candidate) => candidate === text.toLowerCase());
    if (choice === undefined) this.note(name, sentence);
    return choice ?? null;
  }
}

function numberRange(min: number | undefined, max: number | undefined): NumberRange {
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

function dayRange(from: string | undefined, to: string | undefined): DayRange {
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

function mergeTags(reader: QueryReader, name: string, fromText: string[], fromParams: string[]): string[] {
  const tags = addTagNames(fromText, fromParams);
  if (tags.length <= TAG_FILTER_LIMIT) return tags;
  reader.note(name, `At most ${TAG_FILTER_LIMIT} tags can be used here; the rest were left out.`);
  return tags.slice(0, TAG_FILTER_LIMIT);
}

export function parseWorkQuery(params: Record<string, unknown>): ParsedWorkQuery {
  const reader = new QueryReader(params);
  const q = reader.single('q') ?? '';
  const parsedText = parseSearchText(q);
  const found = parsedText.filters;
  if (parsedText.problems.length > 0) reader.note('q', parsedText.problems.join(' '));

  const ratings: string[] = [];
  for (const name of reader.list('rating')) {
    const rating = ratingNamed(name);
    if (rating === null)
      reader.note('rating', `“${name.slice(0, 40)}” is not a rating; the ratings are ${RATING_LIST}.`);
    else ratings.push(rating);
  }
  let mergedRatings = ratings;
  if (found.ratings.length > 0) {
    const both = ratings.filter((rating) => found.ratings.includes(rating));
    if (ratings.length > 0 && both.length === 0) {
      reader.note('rating', 'The rating in the search text was used instead.');
    }
    mergedRatings = both.length > 0 ? both : found.ratings;
  }

  const completeText = reader.single('complete');
  let completion: CompletionChoice = 'all';
  if (completeText === 'true') completion = 'complete';
  else if (completeText === 'false') completion = 'incomplete';
  else if (completeText !== null) reader.note('complete', 'Complete must be true or false.');
  if (found.completion !== null) {
    if (completion !== 'all' && completion !== found.completion) {
      reader.note('complete', 'The complete: in the search text was used instead.');
    }
    completion = found.completion;
  }

  const crossovers: CrossoverChoice =
    reader.choice('crossover', CROSSOVER_CHOICES, 'Crossovers must be include, exclude or only.') ??
    'include';

  const languageText = reader.single('language');
  let language = languageText === null ? null : languageCode(languageText);
  if (languageText !== null && language === null) {
    reader.note('language', `“${languageText.slice(0, 40)}” is not a language this archive knows.`);
  }
  if (found.language !== null) {
    if (language !== null && language !== found.language) {
      reader.note('language', 'The language: in the search text was used instead.');
    }
    language = found.language;
  }

  let sort =
    reader.choice('sort', WORK_SORTS, `Sort must be one of: ${WORK_SORTS.join(', ')}.`) ??
    defaultSort(parsedText.text !== null);
  if (sort === 'relevance' && parsedText.text === null) {
    reader.note('sort', 'Sorting by relevance needs words to search for; sorted by date updated instead.');
    sort = 'updated';
  }

  const cursorText = reader.single('cursor');
  const cursor = cursorText !== null && decodeCursor(cursorText, sort) !== null ? cursorText : null;
  if (cursorText !== null && cursor === null) {
    reader.note('cursor', 'This page link is out of date or was altered; showing the first page instead.');
  }

  const query: WorkQuery = {
    includeTags: mergeTags(reader, 'include', found.includeTags, reader.tagNames('include')),
    excludeTags: mergeTags(reader, 'exclude', found.excludeTags, reader.tagNames('exclude')),
    ratings: inRatingOrder(mergedRatings),
    completion,
    crossovers,
    words: intersectNumberRanges(
      numberRange(reader.count('words_from'), reader.count('words_to')),
      found.words,
    ),
    kudos: found.kudos,
    hits: found.hits,
    comments: found.comments,
    bookmarks: found.bookmarks,
    updated: intersectDayRanges(
      dayRange(reader.day('updated_from'), reader.day('updated_to')),
      found.updated,
    ),
    posted: found.posted,
    language,
    text: parsedText.text,
    sort,
    cursor,
  };
  return { query, q, problems: reader.problems };
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/** The part of a query's filters the search text does not already say, as parameters. */
function filterParams(query: WorkQuery, found: SearchTextFilters, params: URLSearchParams): void {
  const inText = (names: string[]) => new Set(names.map(tagKey));
  const includedByText = inText(found.includeTags);
  const excludedByText = inText(found.excludeTags);
  for (const name of query.includeTags) if (!includedByText.has(tagKey(name))) params.append('include', name);
  for (const name of query.excludeTags) if (!excludedByText.has(tagKey(name))) params.append('exclude', name);
  if (!sameSet(query.ratings, found.ratings))
    for (const rating of query.ratings) params.append('rating', rating);
  if (query.completion !== 'all' && query.completion !== found.completion) {
    params.set('complete', query.completion === 'complete' ? 'true' : 'false');
  }
  if (query.crossovers !== 'include') params.set('crossover', query.crossovers);
  if (query.words.min !== undefined && query.words.min !== found.words.min) {
    params.set('words_from', String(query.words.min));
  }
  if (query.words.max !== undefined && query.words.max !== found.words.max) {
    params.set('words_to', String(query.words.max));
  }
  if (query.updated.from !== undefined && query.updated.from !== found.updated.from) {
    params.set('updated_from', query.updated.from);
  }
  if (query.updated.to !== undefined && query.updated.to !== found.updated.to) {
    params.set('updated_to', query.updated.to);
  }
  if (query.language !== null && query.language !== found.language) params.set('language', query.language);
}

/**
 * The parameters of a works link: the current query with `overrides` applied (a facet's include or
 * exclude, a removed filter, the next page). Defaults are left out so links stay short. Filters the
 * search text already holds (and the ranges only it can express: kudos, hits, comments, bookmarks,
 * posted) travel inside `q`, as the reader typed them. A link that changes anything but the cursor
 * starts again at the first page.
 */
export function workQueryParams(
  state: WorkQueryState,
  overrides: Partial<WorkQuery> & { q?: string } = {},
): URLSearchParams {
  const { q: overriddenQ, ...queryOverrides } = overrides;
  const q = overriddenQ ?? state.q;
  const changesPage = Object.keys(overrides).some((key) => key !== 'cursor');
  const query: WorkQuery = {
    ...state.query,
    ...(changesPage ? { cursor: null } : {}),
    ...queryOverrides,
  };
  const parsedText = parseSearchText(q);
  const params = new URLSearchParams();
  if (q !== '') params.set('q', q);
  filterParams(query, parsedText.filters, params);
  // Relevance means nothing without words, so a link that drops the words drops it too.
  const hasText = parsedText.text !== null;
  if (query.sort !== defaultSort(hasText) && (hasText || query.sort !== 'relevance')) {
    params.set('sort', query.sort);
  }
  if (query.cursor !== null) params.set('cursor', query.cursor);
  return params;
}
