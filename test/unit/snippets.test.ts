import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSearchText } from '../../src/search/queryGrammar.ts';
import { highlightSnippet, type SnippetPart } from '../../src/search/snippets.ts';
import type { TextQuery } from '../../src/search/workSearch.ts';

function textQuery(q: string): TextQuery {
  const { text } = parseSearchText(q);
  assert.ok(text, `"${q}" has words to search for`);
  return text;
}

/** The snippet as a view shows it, with matches in brackets. */
function shown(parts: SnippetPart[] | null): string | null {
  return parts === null ? null : parts.map((part) => (part.match ? `[${part.text}]` : part.text)).join('');
}

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, index) => `w${from + index}`).join(' ');

describe('highlightSnippet', () => {
  it('marks the matching words of a short text, keeping its punctuation and spelling', () => {
    const parts = highlightSnippet('“Harry!” said Draco, and Harry turned.', textQuery('harry'));
    assert.deepEqual(parts, [
      { text: '“', match: false },
      { text: 'Harry', match: true },
      { text: '!” said Draco, and ', match: false },
      { text: 'Harry', match: true },
      { text: ' turned.', match: false },
    ]);
  });

  it('matches phrases word by word, across punctuation and spacing, case-insensitively', () => {
    assert.equal(
      shown(highlightSnippet('He met HARRY,\n\n  potter at last.', textQuery('"harry potter"'))),
      'He met [HARRY, potter] at last.',
    );
    assert.equal(highlightSnippet('harry met a potter', textQuery('"harry potter"')), null);
  });

  it("matches the index's tokens, so one's matches one’s", () => {
    assert.equal(shown(highlightSnippet('It was one’s duty.', textQuery("one's"))), 'It was [one’s] duty.');
  });

  it('cuts a long text to a window around the first match, with … where it was cut', () => {
    const text = `${numbered(0, 100)} dragon ${numbered(100, 200)}`;
    assert.equal(
      shown(highlightSnippet(text, textQuery('dragon'), 8)),
      '… w99 [dragon] w100 w101 w102 w103 w104 w105 …',
    );
  });

  it('starts at the beginning when the match is near it, and ends at the end when near it', () => {
    const text = `${numbered(0, 50)} dragon.`;
    assert.equal(shown(highlightSnippet(`dragon ${text}`, textQuery('dragon'), 4)), '[dragon] w0 w1 w2 …');
    assert.equal(shown(highlightSnippet(text, textQuery('dragon'), 4)), '… w47 w48 w49 [dragon].');
    assert.equal(shown(highlightSnippet('w0 dragon', textQuery('dragon'), 40)), 'w0 [dragon]');
  });

  it('uses the earliest match of any required word or alternative, and marks the others in the window', () => {
    const text = `${numbered(0, 30)} knight ${numbered(30, 33)} dragon ${numbered(33, 80)}`;
    assert.equal(
      shown(highlightSnippet(text, textQuery('dragon OR knight'), 8)),
      '… w29 [knight] w30 w31 w32 [dragon] w33 w34 …',
    );
  });

  it('widens the window to hold a phrase longer than it', () => {
    const text = 'a b c d e f g h i j k';
    assert.equal(shown(highlightSnippet(text, textQuery('"c d e f g"'), 3)), '… [c d e f g] …');
  });

  it('is null when no required word is in the text, or when the query only excludes', () => {
    assert.equal(highlightSnippet('A quiet story.', textQuery('dragon')), null);
    assert.equal(highlightSnippet('A quiet story.', textQuery('-dragon')), null);
    assert.equal(highlightSnippet('', textQuery('dragon')), null);
  });

  it('ignores excluded words when marking', () => {
    assert.equal(
      shown(highlightSnippet('dragon and knight', textQuery('dragon -knight'))),
      '[dragon] and knight',
    );
  });
});
