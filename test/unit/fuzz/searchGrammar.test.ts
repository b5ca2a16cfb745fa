import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type ArchiveDatabase, createDatabase } from '../../../src/db/database.ts';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { parseSearchText, SEARCH_TEXT_LIMITS } from '../../../src/search/queryGrammar.ts';
import { parseWorkQuery } from '../../../src/search/queryParams.ts';
import { SqliteTextSearch } from '../../../src/search/sqliteTextSearch.ts';
import type { TextQuery } from '../../../src/search/workSearch.ts';

// The search box's grammar against what readers (and people poking at it) type: it never throws, it
// reads a bounded amount of whatever it is given, and what it hands FTS5 is never FTS5 syntax.

const word = fc.oneof(
  fc.constantFrom('lamp', 'Harry', "one's", 'spider-man', 'café', 'Cafe\u0301', '東京', 'x', '2nd', '10,000'),
  fc.string({ minLength: 1, maxLength: 6 }),
);

const fieldValue = fc.oneof(
  word,
  fc.constantFrom(
    '10000',
    '1000-5000',
    '-5',
    '2024-01-31',
    '2024-02-30',
    '0000-01-01',
    'E',
    'nr',
    'yes',
    'fr',
  ),
  word.map((value) => `"${value}`),
  word.map((value) => `"${value} ${value}"`),
);

const token = fc.oneof(
  word,
  word.map((value) => `-${value}`),
  fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => `"${words.join(' ')}"`),
  word.map((value) => `"${value}`),
  fc.constantFrom(
    'OR',
    'or',
    '|',
    '-',
    '"',
    '""',
    '*',
    '^',
    'NEAR',
    'NEAR(',
    '(',
    ')',
    ':',
    'AND',
    'NOT',
    '{a}',
  ),
  fc
    .tuple(
      fc.constantFrom('', '-'),
      fc.constantFrom(
        'words',
        'kudos',
        'hits',
        'comments',
        'bookmarks',
        'updated',
        'posted',
        'fandom',
        'character',
        'relationship',
        'freeform',
        'tag',
        'warning',
        'category',
        'rating',
        'complete',
        'language',
        'WORDS',
        'title',
        'body',
      ),
      fc.constantFrom(':', '>', '<', '>=', '<=', '=', '::'),
      fieldValue,
    )
    .map((parts) => parts.join('')),
);

const separator = fc.constantFrom(' ', '  ', '\t', '\n', '\u3000', '');
const searchText = fc
  .array(fc.tuple(token, separator), { maxLength: 40 })
  .map((pairs) => pairs.map(([piece, space]) => piece + space).join(''));

const RUNS = 1000;

/** Every word the parse asks the index for, OR alternatives and excluded ones included. */
function termCount(text: TextQuery | null): number {
  if (!text) return 0;
  return [...text.must, ...text.mustNot].reduce((sum, clause) => sum + clause.anyOf.length, 0);
}

describe('the search grammar (fuzzed)', () => {
  let archive: ArchiveDatabase;
  before(async () => {
    archive = createDatabase({ dialect: 'sqlite', file: ':memory:' });
    await migrateToLatest(archive);
  });
  after(() => archive.close());

  it('never throws, and asks for at most its limits of terms and phrase words', () => {
    fc.assert(
      fc.property(fc.oneof(searchText, fc.string({ maxLength: 80 })), (q) => {
        const { text, problems } = parseSearchText(q);
        assert.ok(termCount(text) <= SEARCH_TEXT_LIMITS.terms, `${termCount(text)} terms from ${q}`);
        for (const clause of [...(text?.must ?? []), ...(text?.mustNot ?? [])]) {
          for (const alternative of clause.anyOf) {
            if (alternative.kind === 'phrase')
              assert.ok(alternative.words.length <= SEARCH_TEXT_LIMITS.wordsPerPhrase);
          }
        }
        assert.ok(problems.every((problem) => typeof problem === 'string' && problem.length < 1000));
      }),
      { numRuns: RUNS },
    );
  });

  it(`reads at most ${SEARCH_TEXT_LIMITS.length} characters however long the text`, () => {
    fc.assert(
      fc.property(searchText, searchText, (start, rest) => {
        const long = `${start} ${rest}`.repeat(Math.ceil(600 / (start.length + rest.length + 1)));
        const head = Array.from(long.trim()).slice(0, SEARCH_TEXT_LIMITS.length).join('');
        const whole = parseSearchText(long);
        const cut = parseSearchText(head);
        assert.deepEqual(whole.text, cut.text);
        assert.deepEqual(whole.filters, cut.filters);
      }),
      { numRuns: RUNS / 5 },
    );
  });

  it('reads any listing address without throwing, naming what it could not use', () => {
    const value = fc.oneof(
      searchText,
      fc.array(fc.oneof(word, fieldValue), { maxLength: 3 }),
      fc.constantFrom('', 'true', 'false', 'abc', '-1', '1e9', '99999999999999999999', 'kudos'),
    );
    const params = fc.dictionary(
      fc.constantFrom(
        'q',
        'include',
        'exclude',
        'rating',
        'complete',
        'crossover',
        'language',
        'words_from',
        'words_to',
        'date_from',
        'date_to',
        'sort',
        'cursor',
        'page',
        'other',
      ),
      value,
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(params, (given) => {
        const parsed = parseWorkQuery(given);
        for (const [name, problem] of Object.entries(parsed.problems)) {
          assert.equal(typeof problem, 'string', name);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('hands FTS5 only quoted words: no search text is an FTS5 syntax error', async () => {
    const search = new SqliteTextSearch(archive.db);
    await fc.assert(
      fc.asyncProperty(searchText, fc.boolean(), async (q, scored) => {
        const { text } = parseSearchText(q);
        if (text) await search.find(text, scored);
      }),
      { numRuns: RUNS / 2 },
    );
  });
});
