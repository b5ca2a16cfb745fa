import { LANGUAGES } from '../domain/languages.ts';
import { RATING_SYMBOLS, RATINGS } from '../domain/vocabulary.ts';
import { LIMITS, tagDisplayName, tagKey } from '../domain/workRules.ts';
import type {
  CompletionChoice,
  DayRange,
  NumberRange,
  TextAlternative,
  TextClause,
  TextQuery,
} from './workSearch.ts';

// What a reader types in the search box: words, "phrases", -exclusions, OR, and field filters such as
// words>10000 or fandom:"Harry Potter". Nothing here throws: a part that cannot be understood is left
// out and named in a problem sentence, because a search box is no place for a syntax error.

export const SEARCH_TEXT_LIMITS = {
  /** Characters of the search text that are read. */
  length: 500,
  /** Words and phrases (each alternative of an OR counts). */
  terms: 20,
  wordsPerPhrase: 10,
} as const;

/** The filters a reader wrote into the search text; what was not written is empty or null. */
export interface SearchTextFilters {
  includeTags: string[];
  excludeTags: string[];
  ratings: string[];
  completion: CompletionChoice | null;
  language: string | null;
  words: NumberRange;
  kudos: NumberRange;
  hits: NumberRange;
  comments: NumberRange;
  bookmarks: NumberRange;
  updated: DayRange;
  posted: DayRange;
}

export interface SearchTextParse {
  text: TextQuery | null;
  filters: SearchTextFilters;
  /** Sentences for a reader, one for each part of the text that was left out. */
  problems: string[];
}

export interface SearchToken {
  word: string;
  start: number;
  end: number;
}

// The tokens both full-text indexes hold (SQLite unicode61 without diacritic folding, PostgreSQL
// 'simple'): lowercased runs of letters, digits and marks. Searching with any other split would look
// for words the index never stored.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/** The indexed words of a text, with where each one stands in it. */
export function* searchTokenSpans(text: string): Generator<SearchToken> {
  for (const match of text.matchAll(TOKEN)) {
    yield { word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length };
  }
}

export function searchTokens(text: string): string[] {
  return Array.from(searchTokenSpans(text), (token) => token.word);
}

/** A count as readers write it: digits, optionally grouped with commas (10,000). */
export function parseCount(text: string): number | null {
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(text)) return null;
  const value = Number(text.replaceAll(',', ''));
  return Number.isSafeInteger(value) ? value : null;
}

/** A real calendar day written YYYY-MM-DD, or null. */
export function parseDay(text: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  const real = year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? text : null;
}

/** The rating named (any case), or its listing symbol (E, M, T, G, NR). */
export function ratingNamed(text: string): string | null {
  const wanted = text.trim().toLowerCase();
  return (
    RATINGS.find(
      (rating) => rating.toLowerCase() === wanted || RATING_SYMBOLS[rating].toLowerCase() === wanted,
    ) ?? null
  );
}

/** The archive's spelling of a language code (any case), or null when the archive has no such language. */
export function languageCode(text: string): string | null {
  const wanted = text.trim().toLowerCase();
  return (
    LANGUAGES.find(
      (language) => language.code.toLowerCase() === wanted || language.name.toLowerCase() === wanted,
    )?.code ?? null
  );
}

/** The stricter of two bounds, either of which may be open. */
function stricter<T>(a: T | undefined, b: T | undefined, keepFirst: (a: T, b: T) => boolean): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return keepFirst(a, b) ? a : b;
}

export function intersectNumberRanges(a: NumberRange, b: NumberRange): NumberRange {
  const range: NumberRange = {};
  const min = stricter(a.min, b.min, (x, y) => x >= y);
  const max = stricter(a.max, b.max, (x, y) => x <= y);
  if (min !== undefined) range.min = min;
  if (max !== undefined) range.max = max;
  return range;
}

export function intersectDayRanges(a: DayRange, b: DayRange): DayRange {
  const range: DayRange = {};
  const from = stricter(a.from, b.from, (x, y) => x >= y);
  const to = stricter(a.to, b.to, (x, y) => x <= y);
  if (from !== undefined) range.from = from;
  if (to !== undefined) range.to = to;
  return range;
}

/** Adds names not already in the list (compared as tag names are), keeping the first spelling. */
export function addTagNames(list: string[], names: string[]): string[] {
  const seen = new Set(list.map(tagKey));
  const result = [...list];
  for (const name of names) {
    if (seen.has(tagKey(name))) continue;
    seen.add(tagKey(name));
    result.push(name);
  }
  return result;
}

/** A piece of what the reader typed, short enough to quote back in a sentence. */
function quoted(raw: string): string {
  return raw.length > 60 ? `“${raw.slice(0, 60)}…”` : `“${raw}”`;
}

type Operator = ':' | '>' | '<' | '>=' | '<=';

/** One space-separated piece of the search text. */
interface Lexeme {
  /** As typed, for problem sentences. */
  raw: string;
  negated: boolean;
  field: string | null;
  operator: Operator | null;
  value: string;
  quoted: boolean;
}

const COUNT_FIELDS = {
  words: 'Word count',
  kudos: 'Kudos',
  hits: 'Hits',
  comments: 'Comments',
  bookmarks: 'Bookmarks',
} as const;
type CountField = keyof typeof COUNT_FIELDS;

const DAY_FIELDS = ['updated', 'posted'] as const;
type DayField = (typeof DAY_FIELDS)[number];

// Warnings and categories are tags too, so they filter the same way as the types writers type.
const TAG_FIELDS = ['fandom', 'relationship', 'character', 'freeform', 'warning', 'category', 'tag'];

const FIELDS = new Set<string>([
  ...Object.keys(COUNT_FIELDS),
  ...DAY_FIELDS,
  ...TAG_FIELDS,
  'rating',
  'complete',
  'language',
]);

const FIELD_PREFIX = /^([A-Za-z]+)(>=|<=|:|>|<)/;

function lex(text: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let at = 0;
  const readQuoted = (): string => {
    const close = text.indexOf('"', at + 1);
    const end = close === -1 ? text.length : close;
    const value = text.slice(at + 1, end);
    at = close === -1 ? text.length : close + 1;
    return value;
  };
  while (at < text.length) {
    if (/\s/.test(text[at])) {
      at += 1;
      continue;
    }
    const start = at;
    const negated = text[at] === '-';
    if (negated) at += 1;
    const lexeme: Lexeme = { raw: '', negated, field: null, operator: null, value: '', quoted: false };
    if (text[at] === '"') {
      lexeme.value = readQuoted();
      lexeme.quoted = true;
    } else {
      const run = /^[^\s"]*/.exec(text.slice(at))![0];
      at += run.length;
      const prefix = FIELD_PREFIX.exec(run);
      if (prefix && FIELDS.has(prefix[1].toLowerCase())) {
        lexeme.field = prefix[1].toLowerCase();
        lexeme.operator = prefix[2] as Operator;
        lexeme.value = run.slice(prefix[0].length);
        if (lexeme.value === '' && text[at] === '"') {
          lexeme.value = readQuoted();
          lexeme.quoted = true;
        }
      } else {
        lexeme.value = run;
      }
    }
    lexeme.raw = text.slice(start, at).trim();
    lexemes.push(lexeme);
  }
  return lexemes;
}

type Item =
  | { kind: 'term'; negated: boolean; alternative: TextAlternative }
  | { kind: 'or' }
  | { kind: 'other' };

function emptyFilters(): SearchTextFilters {
  return {
    includeTags: [],
    excludeTags: [],
    ratings: [],
    completion: null,
    language: null,
    words: {},
    kudos: {},
    hits: {},
    comments: {},
    bookmarks: {},
    updated: {},
    posted: {},
  };
}

function shiftDay(day: string, days: number): string | null {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return parseDay(date.toISOString().slice(0, 10));
}

function countRange(operator: Operator, value: string): NumberRange | null {
  if (operator === ':') {
    const span = /^([^-]*)-([^-]*)$/.exec(value);
    if (!span) {
      const exact = parseCount(value);
      return exact === null ? null : { min: exact, max: exact };
    }
    const [min, max] = [
      span[1] === '' ? undefined : parseCount(span[1]),
      span[2] === '' ? undefined : parseCount(span[2]),
    ];
    if (min === null || max === null || (min === undefined && max === undefined)) return null;
    return intersectNumberRanges(min === undefined ? {} : { min }, max === undefined ? {} : { max });
  }
  const bound = parseCount(value);
  if (bound === null) return null;
  if (operator === '>') return { min: bound + 1 };
  if (operator === '>=') return { min: bound };
  if (operator === '<') return { max: bound - 1 };
  return { max: bound };
}

function dayRange(operator: Operator, value: string): DayRange | null {
  if (operator === ':') {
    const ends = value.split('..');
    if (ends.length > 2) return null;
    const [from, to = from] = ends;
    const range = { from: parseDay(from), to: parseDay(to) };
    return range.from === null || range.to === null ? null : { from: range.from, to: range.to };
  }
  const day = parseDay(value);
  if (day === null) return null;
  const shifted = operator === '>' ? shiftDay(day, 1) : operator === '<' ? shiftDay(day, -1) : day;
  if (shifted === null) return null;
  return operator.startsWith('>') ? { from: shifted } : { to: shifted };
}

/** Applies one field filter; the problem sentence when it had to be left out. */
function applyFilter(filters: SearchTextFilters, lexeme: Lexeme): string | null {
  const { field, operator, negated, raw } = lexeme;
  const value = lexeme.quoted ? tagDisplayName(lexeme.value) : lexeme.value;
  if (field === null || operator === null) return null;
  if (field in COUNT_FIELDS) {
    const label = COUNT_FIELDS[field as CountField];
    if (negated) return `${quoted(raw)} was left out: a range cannot be excluded.`;
    const range = countRange(operator, value);
    if (range === null) {
      return `${quoted(raw)} was left out: ${label.toLowerCase()} must be a whole number, like ${field}>100 or ${field}:100-500.`;
    }
    filters[field as CountField] = intersectNumberRanges(filters[field as CountField], range);
    return null;
  }
  if ((DAY_FIELDS as readonly string[]).includes(field)) {
    if (negated) return `${quoted(raw)} was left out: a date range cannot be excluded.`;
    const range = dayRange(operator, value);
    if (range === null) {
      return `${quoted(raw)} was left out: dates are real days written like ${field}>2024-01-31.`;
    }
    filters[field as DayField] = intersectDayRanges(filters[field as DayField], range);
    return null;
  }
  if (operator !== ':') return `${quoted(raw)} was left out: write it as ${field}:something.`;
  if (value === '') return `${quoted(raw)} was left out: it needs something after the colon.`;
  if (TAG_FIELDS.includes(field) || (field === 'rating' && negated)) {
    const name = field === 'rating' ? ratingNamed(value) : value;
    if (name === null) return `${quoted(raw)} was left out: the ratings are ${RATINGS.join(', ')}.`;
    if (name.length > LIMITS.tagName) {
      return `${quoted(raw)} was left out: tag names are at most ${LIMITS.tagName} characters.`;
    }
    if (negated) filters.excludeTags = addTagNames(filters.excludeTags, [name]);
    else filters.includeTags = addTagNames(filters.includeTags, [name]);
    return null;
  }
  if (field === 'rating') {
    const rating = ratingNamed(value);
    if (rating === null) return `${quoted(raw)} was left out: the ratings are ${RATINGS.join(', ')}.`;
    if (!filters.ratings.includes(rating)) filters.ratings.push(rating);
    return null;
  }
  if (field === 'complete') {
    const answer = value.toLowerCase();
    if (!['yes', 'no', 'true', 'false'].includes(answer)) {
      return `${quoted(raw)} was left out: write complete:yes or complete:no.`;
    }
    const complete = (answer === 'yes' || answer === 'true') !== negated;
    filters.completion = complete ? 'complete' : 'incomplete';
    return null;
  }
  if (negated) return `${quoted(raw)} was left out: a language cannot be excluded.`;
  const code = languageCode(value);
  if (code === null) return `${quoted(raw)} was left out: this archive has no language with that code.`;
  filters.language = code;
  return null;
}

/** The search word or phrase a lexeme stands for; null when it holds no letters or digits. */
function alternativeOf(lexeme: Lexeme, problems: string[]): TextAlternative | null {
  let words = searchTokens(lexeme.value);
  if (words.length === 0) return null;
  if (words.length > SEARCH_TEXT_LIMITS.wordsPerPhrase) {
    words = words.slice(0, SEARCH_TEXT_LIMITS.wordsPerPhrase);
    problems.push(
      `Only the first ${SEARCH_TEXT_LIMITS.wordsPerPhrase} words of a phrase are searched for: ${quoted(lexeme.raw)} was shortened.`,
    );
  }
  return words.length === 1 ? { kind: 'word', word: words[0] } : { kind: 'phrase', words };
}

function toItems(lexemes: Lexeme[], filters: SearchTextFilters, problems: string[]): Item[] {
  return lexemes.map((lexeme): Item => {
    if (!lexeme.negated && !lexeme.quoted && lexeme.field === null && lexeme.value === 'OR')
      return { kind: 'or' };
    if (lexeme.negated && !lexeme.quoted && lexeme.field === null && lexeme.value === '') {
      problems.push('A “-” with nothing after it was left out.');
      return { kind: 'other' };
    }
    if (lexeme.field !== null) {
      const problem = applyFilter(filters, lexeme);
      if (problem !== null) problems.push(problem);
      return { kind: 'other' };
    }
    const alternative = alternativeOf(lexeme, problems);
    if (alternative === null) {
      problems.push(`${quoted(lexeme.raw)} has no letters or digits to search for, so it was left out.`);
      return { kind: 'other' };
    }
    return { kind: 'term', negated: lexeme.negated, alternative };
  });
}

function isPositiveTerm(item: Item | undefined): boolean {
  return item?.kind === 'term' && !item.negated;
}

function clauseKey(alternative: TextAlternative): string {
  return alternative.kind === 'word' ? alternative.word : alternative.words.join(' ');
}

/** Groups terms into clauses: OR joins its neighbours into one any-of clause. */
function toTextQuery(items: Item[], problems: string[]): TextQuery | null {
  const must: TextClause[] = [];
  const mustNot: TextClause[] = [];
  let joinNext = false;
  let terms = 0;
  items.forEach((item, index) => {
    if (item.kind === 'or') {
      joinNext = isPositiveTerm(items[index - 1]) && isPositiveTerm(items[index + 1]);
      if (!joinNext) {
        problems.push('An “OR” was left out: it needs a word or phrase (not an excluded one) on each side.');
      }
      return;
    }
    if (item.kind !== 'term') return;
    const joined = joinNext;
    joinNext = false;
    if (terms === SEARCH_TEXT_LIMITS.terms) {
      problems.push(
        `Only the first ${SEARCH_TEXT_LIMITS.terms} words and phrases are searched for; the rest were left out.`,
      );
    }
    terms += 1;
    if (terms > SEARCH_TEXT_LIMITS.terms) return;
    const clauses = item.negated ? mustNot : must;
    const previous = clauses.at(-1);
    if (joined && previous) {
      if (!previous.anyOf.some((alternative) => clauseKey(alternative) === clauseKey(item.alternative))) {
        previous.anyOf.push(item.alternative);
      }
    } else {
      clauses.push({ anyOf: [item.alternative] });
    }
  });
  const unique = (clauses: TextClause[]) => {
    const seen = new Set<string>();
    return clauses.filter((clause) => {
      const key = clause.anyOf
        .map((alternative) => `${alternative.kind}:${clauseKey(alternative)}`)
        .sort()
        .join('|');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  if (must.length === 0 && mustNot.length === 0) return null;
  return { must: unique(must), mustNot: unique(mustNot) };
}

export function parseSearchText(q: string): SearchTextParse {
  const problems: string[] = [];
  let text = q.trim();
  const characters = Array.from(text);
  if (characters.length > SEARCH_TEXT_LIMITS.length) {
    text = characters.slice(0, SEARCH_TEXT_LIMITS.length).join('');
    problems.push(`Only the first ${SEARCH_TEXT_LIMITS.length} characters of the search are used.`);
  }
  const filters = emptyFilters();
  const items = toItems(lex(text), filters, problems);
  const textQuery = toTextQuery(items, problems);
  return { text: textQuery, filters, problems: [...new Set(problems)] };
}
