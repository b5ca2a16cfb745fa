import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCursor } from '../../src/search/cursor.ts';
import { type ParsedWorkQuery, parseWorkQuery, workQueryParams } from '../../src/search/queryParams.ts';
import type { WorkQuery } from '../../src/search/workSearch.ts';

const EMPTY: WorkQuery = {
  includeTags: [],
  excludeTags: [],
  ratings: [],
  completion: 'all',
  crossovers: 'include',
  words: {},
  kudos: {},
  hits: {},
  comments: {},
  bookmarks: {},
  updated: {},
  posted: {},
  language: null,
  text: null,
  sort: 'updated',
  cursor: null,
};

/** Parameters as Fastify's query parser hands them over: repeated names become arrays. */
function asParams(search: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    params[name] = values.length === 1 ? values[0] : values;
  }
  return params;
}

function roundTrip(parsed: ParsedWorkQuery): ParsedWorkQuery {
  return parseWorkQuery(asParams(workQueryParams(parsed)));
}

describe('parseWorkQuery: parameters', () => {
  it('is the unfiltered listing, newest update first, when nothing is given', () => {
    assert.deepEqual(parseWorkQuery({}), { query: EMPTY, q: '', problems: {} });
  });

  it('reads tag lists repeated, comma-separated or both, trimmed, empties and repeats dropped', () => {
    const { query, problems } = parseWorkQuery({
      include: ['Harry Potter, Draco Malfoy/Harry Potter', ' ', ' harry  potter '],
      exclude: 'Major Character Death,,',
    });
    assert.deepEqual(query.includeTags, ['Harry Potter', 'Draco Malfoy/Harry Potter']);
    assert.deepEqual(query.excludeTags, ['Major Character Death']);
    assert.deepEqual(problems, {});
  });

  it('keeps a tag both included and excluded: the contradiction simply matches nothing', () => {
    const { query, problems } = parseWorkQuery({ include: 'Fluff', exclude: 'Fluff' });
    assert.deepEqual([query.includeTags, query.excludeTags], [['Fluff'], ['Fluff']]);
    assert.deepEqual(problems, {});
  });

  it('caps tag lists and tag name length', () => {
    const many = Array.from({ length: 25 }, (_, index) => `Tag ${index}`);
    const { query, problems } = parseWorkQuery({ include: many, exclude: ['x'.repeat(151), 'Angst'] });
    assert.deepEqual(query.includeTags, many.slice(0, 20));
    assert.deepEqual(query.excludeTags, ['Angst']);
    assert.equal(problems.include, 'At most 20 tags can be used here; the rest were left out.');
    assert.equal(
      problems.exclude,
      `Tag names are at most 150 characters; “${'x'.repeat(40)}…” was left out.`,
    );
  });

  it('reads ratings in any case, in the archive order, and names the ones that are not ratings', () => {
    const { query, problems } = parseWorkQuery({ rating: ['explicit,teen and up audiences', 'Spicy'] });
    assert.deepEqual(query.ratings, ['Teen And Up Audiences', 'Explicit']);
    assert.equal(
      problems.rating,
      '“Spicy” is not a rating; the ratings are Not Rated, General Audiences, Teen And Up Audiences, Mature, Explicit.',
    );
  });

  it('reads complete, crossover and language', () => {
    assert.equal(parseWorkQuery({ complete: 'true' }).query.completion, 'complete');
    assert.equal(parseWorkQuery({ complete: 'false' }).query.completion, 'incomplete');
    assert.equal(parseWorkQuery({ complete: '' }).query.completion, 'all');
    assert.equal(parseWorkQuery({ crossover: 'only' }).query.crossovers, 'only');
    assert.equal(parseWorkQuery({ language: 'pt-br' }).query.language, 'pt-BR');

    const bad = parseWorkQuery({ complete: 'maybe', crossover: 'sometimes', language: 'klingon' });
    assert.deepEqual(
      [bad.query.completion, bad.query.crossovers, bad.query.language],
      ['all', 'include', null],
    );
    assert.deepEqual(bad.problems, {
      complete: 'Complete must be true or false.',
      crossover: 'Crossovers must be include, exclude or only.',
      language: '“klingon” is not a language this archive knows.',
    });
  });

  it('reads word counts as non-negative whole numbers, and leaves a swapped range as given', () => {
    assert.deepEqual(parseWorkQuery({ words_from: '1000', words_to: '5,000' }).query.words, {
      min: 1000,
      max: 5000,
    });
    assert.deepEqual(parseWorkQuery({ words_from: '9000', words_to: '10' }).query.words, {
      min: 9000,
      max: 10,
    });
    const bad = parseWorkQuery({ words_from: '-5', words_to: '1e4' });
    assert.deepEqual(bad.query.words, {});
    assert.deepEqual(bad.problems, {
      words_from: 'Word count must be a whole number, like 10000.',
      words_to: 'Word count must be a whole number, like 10000.',
    });
    assert.equal(
      parseWorkQuery({ words_to: '99999999999999999999' }).problems.words_to,
      bad.problems.words_to,
    );
  });

  it('reads update dates as real days', () => {
    assert.deepEqual(parseWorkQuery({ updated_from: '2024-01-01', updated_to: '2024-12-31' }).query.updated, {
      from: '2024-01-01',
      to: '2024-12-31',
    });
    const bad = parseWorkQuery({ updated_from: '2024-02-30', updated_to: 'yesterday' });
    assert.deepEqual(bad.query.updated, {});
    assert.equal(bad.problems.updated_from, 'Dates must be real days written YYYY-MM-DD, like 2024-01-31.');
    assert.equal(bad.problems.updated_to, bad.problems.updated_from);
  });

  it('sorts by relevance when there is text to search for, by date updated otherwise', () => {
    assert.equal(parseWorkQuery({ q: 'dragons' }).query.sort, 'relevance');
    assert.equal(parseWorkQuery({ q: 'words>5' }).query.sort, 'updated');
    assert.equal(parseWorkQuery({ q: 'dragons', sort: 'KUDOS' }).query.sort, 'kudos');
    const bad = parseWorkQuery({ sort: 'random' });
    assert.equal(bad.query.sort, 'updated');
    assert.equal(
      bad.problems.sort,
      'Sort must be one of: relevance, updated, posted, kudos, hits, comments, bookmarks, words, title, creator.',
    );
    const noText = parseWorkQuery({ sort: 'relevance' });
    assert.equal(noText.query.sort, 'updated');
    assert.match(noText.problems.sort, /relevance needs words to search for/);
  });

  it('keeps a cursor made for the sort, and starts over on one that is not', () => {
    const cursor = encodeCursor({ sort: 'kudos', value: 12, workId: 7 });
    assert.equal(parseWorkQuery({ sort: 'kudos', cursor }).query.cursor, cursor);
    for (const params of [{ cursor }, { sort: 'kudos', cursor: 'not-a-cursor' }]) {
      const { query, problems } = parseWorkQuery(params);
      assert.equal(query.cursor, null);
      assert.equal(
        problems.cursor,
        'This page link is out of date or was altered; showing the first page instead.',
      );
    }
  });

  it('takes the last value of a repeated single parameter and names values that are not text', () => {
    assert.equal(parseWorkQuery({ sort: ['kudos', 'hits'] }).query.sort, 'hits');
    assert.deepEqual(parseWorkQuery({ words_from: 500 }).query.words, { min: 500 });
    const odd = parseWorkQuery({ include: { a: 'b' }, words_from: [['1']] });
    assert.deepEqual(odd.query, EMPTY);
    assert.deepEqual(odd.problems, {
      include: 'This must be a list of text values.',
      words_from: 'This must be text.',
    });
  });

  it('ignores parameters it does not know', () => {
    assert.deepEqual(parseWorkQuery({ page: '3', utm_source: 'x' }), { query: EMPTY, q: '', problems: {} });
  });

  it('never throws', () => {
    for (const params of [
      { q: '"' },
      { q: ['a', 'b'] },
      { include: [null] },
      { cursor: '' },
      { rating: ',,,' },
    ]) {
      assert.doesNotThrow(() => parseWorkQuery(params as Record<string, unknown>));
    }
  });
});

describe('parseWorkQuery: the search text', () => {
  it('keeps the text as typed, trimmed, and the words it asks for', () => {
    const { query, q } = parseWorkQuery({ q: '  "slow burn" -angst ' });
    assert.equal(q, '"slow burn" -angst');
    assert.deepEqual(query.text, {
      must: [{ anyOf: [{ kind: 'phrase', words: ['slow', 'burn'] }] }],
      mustNot: [{ anyOf: [{ kind: 'word', word: 'angst' }] }],
    });
  });

  it('intersects ranges from the text with the parameters', () => {
    const { query } = parseWorkQuery({
      q: 'words>5000 updated<2024-06-01 kudos>100',
      words_from: '1000',
      words_to: '20000',
      updated_from: '2024-01-01',
    });
    assert.deepEqual(query.words, { min: 5001, max: 20000 });
    assert.deepEqual(query.updated, { from: '2024-01-01', to: '2024-05-31' });
    assert.deepEqual(query.kudos, { min: 101 });
  });

  it('adds tags from the text to the included and excluded tags', () => {
    const { query } = parseWorkQuery({
      q: 'fandom:Sherlock -tag:Angst',
      include: 'sherlock,John Watson',
      exclude: 'Major Character Death',
    });
    assert.deepEqual(query.includeTags, ['Sherlock', 'John Watson']);
    assert.deepEqual(query.excludeTags, ['Angst', 'Major Character Death']);
    assert.equal(query.text, null);
  });

  it('narrows ratings to those both name; the text wins where they disagree', () => {
    assert.deepEqual(parseWorkQuery({ rating: 'Mature,Explicit', q: 'rating:e rating:g' }).query.ratings, [
      'Explicit',
    ]);
    const disagree = parseWorkQuery({
      rating: 'Mature',
      q: 'rating:explicit',
      complete: 'false',
      language: 'de',
    });
    assert.deepEqual(disagree.query.ratings, ['Explicit']);
    assert.equal(disagree.problems.rating, 'The rating in the search text was used instead.');
    const settled = parseWorkQuery({ q: 'complete:yes language:fr', complete: 'false', language: 'de' });
    assert.deepEqual([settled.query.completion, settled.query.language], ['complete', 'fr']);
    assert.deepEqual(settled.problems, {
      complete: 'The complete: in the search text was used instead.',
      language: 'The language: in the search text was used instead.',
    });
  });

  it('reports what the text parser left out under q', () => {
    assert.deepEqual(parseWorkQuery({ q: 'a OR words>lots' }).problems, {
      q:
        '“words>lots” was left out: word count must be a whole number, like words>100 or words:100-500. ' +
        'An “OR” was left out: it needs a word or phrase (not an excluded one) on each side.',
    });
  });
});

describe('workQueryParams', () => {
  it('leaves out defaults, so the plain listing has no parameters', () => {
    assert.equal(workQueryParams({ query: EMPTY, q: '' }).toString(), '');
    assert.equal(
      workQueryParams(parseWorkQuery({ q: 'dragons', sort: 'relevance' })).toString(),
      'q=dragons',
    );
  });

  it('writes every filter the parameters can hold', () => {
    const cursor = encodeCursor({ sort: 'kudos', value: 3, workId: 9 });
    const parsed = parseWorkQuery({
      include: 'Harry Potter,Draco Malfoy/Harry Potter',
      exclude: 'Angst',
      rating: 'Explicit,Mature',
      complete: 'false',
      crossover: 'exclude',
      words_from: '1000',
      words_to: '5000',
      updated_from: '2024-01-01',
      updated_to: '2024-06-30',
      language: 'en',
      sort: 'kudos',
      cursor,
    });
    assert.deepEqual(parsed.problems, {});
    assert.deepEqual(
      [...workQueryParams(parsed)],
      [
        ['include', 'Harry Potter'],
        ['include', 'Draco Malfoy/Harry Potter'],
        ['exclude', 'Angst'],
        ['rating', 'Mature'],
        ['rating', 'Explicit'],
        ['complete', 'false'],
        ['crossover', 'exclude'],
        ['words_from', '1000'],
        ['words_to', '5000'],
        ['updated_from', '2024-01-01'],
        ['updated_to', '2024-06-30'],
        ['language', 'en'],
        ['sort', 'kudos'],
        ['cursor', cursor],
      ],
    );
    assert.deepEqual(roundTrip(parsed), parsed);
  });

  it('carries filters written in the search text inside q only, as the reader typed them', () => {
    const q =
      'fandom:Sherlock words>5000 kudos>10 posted>2020-01-01 rating:E complete:yes language:fr "slow burn"';
    const parsed = parseWorkQuery({ q, include: 'John Watson', words_from: '7000', rating: 'Explicit' });
    assert.deepEqual(
      [...workQueryParams(parsed)],
      [
        ['q', q],
        ['include', 'John Watson'],
        ['words_from', '7000'],
      ],
    );
    assert.deepEqual(roundTrip(parsed).query, parsed.query);
  });

  it('round-trips parsed queries', () => {
    const cases: Record<string, unknown>[] = [
      {},
      { q: 'a OR b -c', sort: 'updated' },
      { q: 'fandom:X', include: 'x,Y', exclude: 'Z' },
      { q: 'words>5000 words<100', words_from: '10', words_to: '20000' },
      { q: 'rating:e rating:m', rating: 'Explicit' },
      { q: 'updated:2024-01-01..2024-02-01', updated_from: '2024-01-15' },
      { rating: 'Spicy', words_from: 'x', sort: 'relevance', cursor: 'bad' },
      { include: Array.from({ length: 30 }, (_, index) => `T${index}`), q: 'tag:Q' },
    ];
    for (const params of cases) {
      const parsed = parseWorkQuery(params);
      assert.deepEqual(roundTrip(parsed).query, parsed.query, JSON.stringify(params));
      assert.equal(roundTrip(parsed).q, parsed.q);
    }
  });

  it('builds a facet link: the tag added, back to the first page', () => {
    const cursor = encodeCursor({ sort: 'updated', value: '2024-01-01T00:00:00.000Z', workId: 3 });
    const state = parseWorkQuery({ include: 'Fluff', cursor });
    assert.equal(state.query.cursor, cursor);
    const include = workQueryParams(state, { includeTags: [...state.query.includeTags, 'Hurt/Comfort'] });
    assert.deepEqual(
      [...include],
      [
        ['include', 'Fluff'],
        ['include', 'Hurt/Comfort'],
      ],
    );
    const exclude = workQueryParams(state, { excludeTags: ['Angst'] });
    assert.equal(exclude.toString(), 'include=Fluff&exclude=Angst');
  });

  it('builds the next page link and the link without one filter', () => {
    const state = parseWorkQuery({ q: 'dragons', include: 'Fluff', language: 'en' });
    const next = encodeCursor({ sort: 'relevance', value: 1.5, workId: 4 });
    assert.equal(workQueryParams(state, { cursor: next }).get('cursor'), next);
    assert.equal(workQueryParams(state, { language: null }).toString(), 'q=dragons&include=Fluff');
    assert.equal(workQueryParams(state, { q: '' }).toString(), 'include=Fluff&language=en');
  });
});
