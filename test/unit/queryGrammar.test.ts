import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDay, parseSearchText, searchTokens } from '../../src/search/queryGrammar.ts';
import type { TextAlternative, TextClause } from '../../src/search/workSearch.ts';

const word = (text: string): TextAlternative => ({ kind: 'word', word: text });
const phrase = (...words: string[]): TextAlternative => ({ kind: 'phrase', words });
const clause = (...anyOf: TextAlternative[]): TextClause => ({ anyOf });

describe('searchTokens', () => {
  it('splits as both full-text indexes do: lowercase runs of letters, digits and marks', () => {
    assert.deepEqual(searchTokens("One's Spider-Man, 2nd!"), ['one', 's', 'spider', 'man', '2nd']);
    assert.deepEqual(searchTokens('Café naïve Ñandú 東京'), ['café', 'naïve', 'ñandú', '東京']);
    assert.deepEqual(searchTokens(' -- !! '), []);
  });
});

describe('parseSearchText: words and phrases', () => {
  it('needs every bare word', () => {
    const { text, problems } = parseSearchText('Harry  draco');
    assert.deepEqual(text, { must: [clause(word('harry')), clause(word('draco'))], mustNot: [] });
    assert.deepEqual(problems, []);
  });

  it('reads a quoted phrase as its words in order, and a one-word phrase as a word', () => {
    assert.deepEqual(parseSearchText('"Slow Burn" "angst"').text, {
      must: [clause(phrase('slow', 'burn')), clause(word('angst'))],
      mustNot: [],
    });
  });

  it("reads a bare word the index splits (one's, spider-man) as a phrase of its parts", () => {
    assert.deepEqual(parseSearchText("one's spider-man").text?.must, [
      clause(phrase('one', 's')),
      clause(phrase('spider', 'man')),
    ]);
  });

  it('excludes -word and -"phrase"', () => {
    assert.deepEqual(parseSearchText('fluff -angst -"major character death"').text, {
      must: [clause(word('fluff'))],
      mustNot: [clause(word('angst')), clause(phrase('major', 'character', 'death'))],
    });
  });

  it('keeps only exclusions when nothing is required, and is null when there is no text at all', () => {
    assert.deepEqual(parseSearchText('-angst').text, { must: [], mustNot: [clause(word('angst'))] });
    assert.equal(parseSearchText('').text, null);
    assert.equal(parseSearchText('   ').text, null);
    assert.equal(parseSearchText('words>100').text, null);
  });

  it('makes one any-of clause from terms joined by OR', () => {
    assert.deepEqual(parseSearchText('a OR b OR "c d" e').text?.must, [
      clause(word('a'), word('b'), phrase('c', 'd')),
      clause(word('e')),
    ]);
  });

  it('treats lowercase or, and OR inside quotes, as words', () => {
    assert.deepEqual(parseSearchText('a or b').text?.must, [
      clause(word('a')),
      clause(word('or')),
      clause(word('b')),
    ]);
    assert.deepEqual(parseSearchText('"this OR that"').text?.must, [clause(phrase('this', 'or', 'that'))]);
  });

  it('drops repeated terms', () => {
    assert.deepEqual(parseSearchText('a A -b -b a OR c c OR a').text, {
      must: [clause(word('a')), clause(word('a'), word('c'))],
      mustNot: [clause(word('b'))],
    });
  });
});

describe('parseSearchText: field filters', () => {
  it('reads count ranges: > and < are strict, >= and <= are not, : takes a value or a span', () => {
    const { filters, problems } = parseSearchText(
      'words>10000 kudos>=5 hits<500 comments<=3 bookmarks:7 WORDS:1,000-50,000',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(filters.words, { min: 10001, max: 50000 });
    assert.deepEqual(filters.kudos, { min: 5 });
    assert.deepEqual(filters.hits, { max: 499 });
    assert.deepEqual(filters.comments, { max: 3 });
    assert.deepEqual(filters.bookmarks, { min: 7, max: 7 });
    assert.deepEqual(parseSearchText('words:1000-').filters.words, { min: 1000 });
    assert.deepEqual(parseSearchText('words:-5000').filters.words, { max: 5000 });
  });

  it('intersects repeated ranges, keeping contradictions for the engine to find nothing', () => {
    assert.deepEqual(parseSearchText('words>1000 words<5000 words>2000').filters.words, {
      min: 2001,
      max: 4999,
    });
    assert.deepEqual(parseSearchText('words>5000 words<100').filters.words, { min: 5001, max: 99 });
  });

  it('reads date ranges: strict > and <, a single day, or a span with ..', () => {
    const { filters, problems } = parseSearchText(
      'updated>2024-01-31 updated<2024-03-01 posted:2023-02-01..2023-02-28',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(filters.updated, { from: '2024-02-01', to: '2024-02-29' });
    assert.deepEqual(filters.posted, { from: '2023-02-01', to: '2023-02-28' });
    assert.deepEqual(parseSearchText('Posted:2024-05-05').filters.posted, {
      from: '2024-05-05',
      to: '2024-05-05',
    });
    assert.deepEqual(parseSearchText('updated>=2024-01-01 updated<=2024-12-31').filters.updated, {
      from: '2024-01-01',
      to: '2024-12-31',
    });
  });

  it('reads tag fields, quoted or running to the next space, and -field to exclude', () => {
    const { filters, text } = parseSearchText(
      'fandom:"Harry  Potter" character:Hermione -relationship:"Ron Weasley/Hermione Granger" Freeform:Fluff ' +
        'tag:AU -warning:"Major Character Death" category:F/F',
    );
    assert.deepEqual(filters.includeTags, ['Harry Potter', 'Hermione', 'Fluff', 'AU', 'F/F']);
    assert.deepEqual(filters.excludeTags, ['Ron Weasley/Hermione Granger', 'Major Character Death']);
    assert.equal(text, null);
  });

  it('keeps one spelling of a tag named twice in different case', () => {
    assert.deepEqual(parseSearchText('fandom:Sherlock tag:sherlock').filters.includeTags, ['Sherlock']);
  });

  it('reads ratings by name in any case or by symbol; -rating excludes the rating tag', () => {
    const { filters } = parseSearchText('rating:"teen and up audiences" rating:E -rating:nr');
    assert.deepEqual(filters.ratings, ['Teen And Up Audiences', 'Explicit']);
    assert.deepEqual(filters.excludeTags, ['Not Rated']);
  });

  it('reads complete:yes|no and language codes', () => {
    assert.equal(parseSearchText('complete:yes').filters.completion, 'complete');
    assert.equal(parseSearchText('complete:NO').filters.completion, 'incomplete');
    assert.equal(parseSearchText('-complete:yes').filters.completion, 'incomplete');
    assert.equal(parseSearchText('').filters.completion, null);
    assert.equal(parseSearchText('language:pt-br').filters.language, 'pt-BR');
    assert.equal(parseSearchText('language:EN').filters.language, 'en');
  });

  it('mixes filters with words', () => {
    const { text, filters } = parseSearchText('fandom:Sherlock "slow burn" words>10000 -angst');
    assert.deepEqual(text, { must: [clause(phrase('slow', 'burn'))], mustNot: [clause(word('angst'))] });
    assert.deepEqual(filters.includeTags, ['Sherlock']);
    assert.deepEqual(filters.words, { min: 10001 });
  });
});

describe('parseSearchText: leniency', () => {
  it('closes an unbalanced quote at the end', () => {
    const { text, problems } = parseSearchText('angst "slow burn');
    assert.deepEqual(text?.must, [clause(word('angst')), clause(phrase('slow', 'burn'))]);
    assert.deepEqual(problems, []);
    assert.deepEqual(parseSearchText('fandom:"Harry Potter').filters.includeTags, ['Harry Potter']);
  });

  it('leaves out a dangling OR, or one next to an exclusion, and says so', () => {
    for (const q of ['OR a', 'a OR', 'a OR OR b', 'a OR -b', 'a OR words>5']) {
      const { text, problems } = parseSearchText(q);
      assert.ok(
        text?.must.every((one) => one.anyOf.length === 1),
        q,
      );
      assert.deepEqual(problems, [
        'An “OR” was left out: it needs a word or phrase (not an excluded one) on each side.',
      ]);
    }
  });

  it('leaves out a lone - and text with no letters or digits', () => {
    assert.deepEqual(parseSearchText('a - b').problems, ['A “-” with nothing after it was left out.']);
    const { text, problems } = parseSearchText('!!! ""');
    assert.equal(text, null);
    assert.deepEqual(problems, [
      '“!!!” has no letters or digits to search for, so it was left out.',
      '“""” has no letters or digits to search for, so it was left out.',
    ]);
  });

  it('reads an unknown field:value as plain words', () => {
    const { text, problems } = parseSearchText('Re:Zero author:bob');
    assert.deepEqual(text?.must, [clause(phrase('re', 'zero')), clause(phrase('author', 'bob'))]);
    assert.deepEqual(problems, []);
  });

  it('names each filter it could not read', () => {
    const { filters, problems, text } = parseSearchText(
      'words>ten kudos:5-x updated>2024-02-30 posted:2024-1-1 rating:x complete:maybe language:xx fandom>x tag: -words>4 -language:en',
    );
    assert.equal(text, null);
    assert.deepEqual(filters.words, {});
    assert.deepEqual(filters.updated, {});
    assert.deepEqual(problems, [
      '“words>ten” was left out: word count must be a whole number, like words>100 or words:100-500.',
      '“kudos:5-x” was left out: kudos must be a whole number, like kudos>100 or kudos:100-500.',
      '“updated>2024-02-30” was left out: dates are real days written like updated>2024-01-31.',
      '“posted:2024-1-1” was left out: dates are real days written like posted>2024-01-31.',
      '“rating:x” was left out: the ratings are Not Rated, General Audiences, Teen And Up Audiences, Mature, Explicit.',
      '“complete:maybe” was left out: write complete:yes or complete:no.',
      '“language:xx” was left out: this archive has no language with that code.',
      '“fandom>x” was left out: write it as fandom:something.',
      '“tag:” was left out: it needs something after the colon.',
      '“-words>4” was left out: a range cannot be excluded.',
      '“-language:en” was left out: a language cannot be excluded.',
    ]);
  });

  it('leaves out a tag name longer than tags can be', () => {
    const { filters, problems } = parseSearchText(`fandom:${'x'.repeat(151)} fandom:${'y'.repeat(150)}`);
    assert.deepEqual(filters.includeTags, ['y'.repeat(150)]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /tag names are at most 150 characters/);
  });

  it('caps the text, the number of terms and the words of a phrase', () => {
    const long = parseSearchText(`${'a'.repeat(499)} b`);
    assert.deepEqual(long.text?.must, [clause(word('a'.repeat(499)))]);
    assert.deepEqual(long.problems, ['Only the first 500 characters of the search are used.']);

    const many = parseSearchText(Array.from({ length: 25 }, (_, index) => `w${index}`).join(' OR '));
    assert.equal(many.text?.must[0].anyOf.length, 20);
    assert.deepEqual(many.problems, [
      'Only the first 20 words and phrases are searched for; the rest were left out.',
    ]);

    const wordy = parseSearchText('"one two three four five six seven eight nine ten eleven twelve"');
    assert.deepEqual(
      wordy.text?.must[0].anyOf[0],
      phrase(...searchTokens('one two three four five six seven eight nine ten')),
    );
    assert.match(wordy.problems[0], /^Only the first 10 words of a phrase are searched for/);
  });

  it('never throws on odd input', () => {
    for (const q of [
      '"',
      '-',
      '-"',
      'OR',
      ':',
      'words:',
      'a:"',
      '"""',
      '-"-"',
      '\u0000',
      'fandom:"',
      '😀 OR',
      'x'.repeat(5000),
    ]) {
      assert.doesNotThrow(() => parseSearchText(q), q);
    }
  });
});

describe('parseDay', () => {
  it('accepts only real days written YYYY-MM-DD', () => {
    assert.equal(parseDay('2024-02-29'), '2024-02-29');
    assert.equal(parseDay('2023-02-29'), null);
    assert.equal(parseDay('2024-13-01'), null);
    assert.equal(parseDay('2024-1-01'), null);
    assert.equal(parseDay('0000-01-01'), null);
    assert.equal(parseDay('0050-01-01'), '0050-01-01');
  });
});
