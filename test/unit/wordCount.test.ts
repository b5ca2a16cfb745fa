import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countWords } from '../../src/domain/wordCount.ts';

describe('countWords', () => {
  it('counts plain English prose', () => {
    assert.equal(countWords('The quick brown fox jumps over the lazy dog.'), 9);
    assert.equal(countWords('  Hello,\n\tworld!  '), 2);
  });

  it('is 0 for empty, whitespace-only and markup-only text', () => {
    assert.equal(countWords(''), 0);
    assert.equal(countWords('  \n '), 0);
    assert.equal(countWords('<p></p><hr><br><img src="https://example.com/a.png" alt="an image">'), 0);
  });

  it('does not count markup', () => {
    assert.equal(
      countWords('<p class="x" title="not counted">Only <em>these</em> <strong>four</strong> words</p>'),
      4,
    );
    assert.equal(
      countWords('<!-- a comment --><p>one</p><script>var notWords = 1;</script><style>p {}</style>'),
      1,
    );
  });

  it('treats block boundaries as spaces but not inline tags', () => {
    assert.equal(countWords('<p>one</p><p>two</p>'), 2);
    assert.equal(countWords('one<br>two<br/>three'), 3);
    assert.equal(
      countWords('<ul><li>one</li><li>two</li></ul><h1>three</h1><blockquote>four</blockquote>'),
      4,
    );
    assert.equal(countWords('<table><tr><td>one</td><td>two</td></tr></table>'), 2);
    assert.equal(countWords('un<em>believ</em>able'), 1);
  });

  it('joins words across hyphens and apostrophes, straight or curly', () => {
    assert.equal(countWords('a well-known one-word phrase'), 4);
    assert.equal(countWords("one's don't"), 2);
    assert.equal(countWords('one’s don’t'), 2);
    assert.equal(countWords('mother-in-law’s'), 1);
  });

  it('separates words at em dashes and does not count lone punctuation', () => {
    assert.equal(countWords('yes—no'), 2);
    assert.equal(countWords('wait – what'), 2);
    assert.equal(countWords("— ... !? -- ' ’"), 0);
    assert.equal(countWords('Well... fine.'), 2);
  });

  it('counts numbers as words', () => {
    assert.equal(countWords('I have 3 cats and 12 dogs'), 7);
    assert.equal(countWords('Chapter 2'), 2);
  });

  it('decodes entities before counting', () => {
    assert.equal(countWords('fish &amp; chips'), 2);
    assert.equal(countWords('one&nbsp;two'), 2);
    assert.equal(countWords('don&#8217;t and don&rsquo;t'), 3);
    assert.equal(countWords('yes&mdash;no'), 2);
    assert.equal(countWords('&lt;p&gt;shown as text&lt;/p&gt;'), 5);
  });

  it('counts each Han, Hiragana, Katakana and Thai character as a word', () => {
    assert.equal(countWords('日本語のテキスト'), 8);
    assert.equal(countWords('我爱你'), 3);
    assert.equal(countWords('สวัสดี'), 6);
    assert.equal(countWords('<p>日本語</p><p>です</p>'), 5);
  });

  it('handles mixed scripts', () => {
    assert.equal(countWords('I love 東京 very much'), 6);
    assert.equal(countWords('Tokyo東京'), 3);
    assert.equal(countWords('한국어 텍스트'), 2);
  });

  it('counts accented and non-Latin spaced scripts as ordinary words', () => {
    assert.equal(countWords('naïve café'), 2);
    assert.equal(countWords('cafe\u0301 au lait'), 3);
    assert.equal(countWords('Привет, мир'), 2);
  });
});
