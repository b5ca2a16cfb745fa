import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  flattenDeepNesting,
  htmlToPlainText,
  MAX_NESTING_DEPTH,
  renderMarkdown,
  sanitizeWorkHtml,
  toWorkHtml,
} from '../../src/domain/htmlPolicy.ts';

describe('sanitizeWorkHtml', () => {
  it('removes script and style elements together with their content', () => {
    assert.equal(
      sanitizeWorkHtml('<p>Hi</p><script>alert("xss")</script><style>body{display:none}</style>'),
      '<p>Hi</p>',
    );
    assert.equal(sanitizeWorkHtml('<SCRIPT src="https://evil.example/x.js"></SCRIPT>ok'), 'ok');
  });

  it('removes event handler attributes', () => {
    assert.equal(
      sanitizeWorkHtml('<img src="https://example.com/a.png" onerror="alert(1)"><p onclick="alert(1)">x</p>'),
      '<img src="https://example.com/a.png" /><p>x</p>',
    );
  });

  it('drops javascript:, data: and vbscript: URLs however they are spelled', () => {
    const hostile = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'jav&#x61;script:alert(1)',
      'jav&#97;script:alert(1)',
      ' java\tscript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
    ];
    for (const url of hostile) {
      assert.equal(sanitizeWorkHtml(`<a href="${url}">x</a>`), '<a rel="nofollow noopener">x</a>', url);
      assert.equal(sanitizeWorkHtml(`<img src="${url}">`), '<img />', url);
    }
    assert.equal(sanitizeWorkHtml('<img src="data:image/png;base64,iVBORw0KGgo=">'), '<img />');
  });

  it('keeps http, https, mailto and relative URLs', () => {
    for (const url of [
      'http://example.com/',
      'https://example.com/a?b=1',
      'mailto:me@example.com',
      '/works/1',
      '#ch2',
    ]) {
      assert.equal(
        sanitizeWorkHtml(`<a href="${url}">x</a>`),
        `<a href="${url}" rel="nofollow noopener">x</a>`,
      );
    }
  });

  it('adds rel="nofollow noopener" to links, replacing any rel the author set', () => {
    assert.equal(
      sanitizeWorkHtml('<a href="https://example.com" rel="author" target="_blank" title="t">link</a>'),
      '<a href="https://example.com" rel="nofollow noopener" title="t">link</a>',
    );
  });

  it('removes style and class attributes', () => {
    assert.equal(
      sanitizeWorkHtml('<p style="position:fixed;top:0" class="x">a</p><span style="color:red">b</span>'),
      '<p>a</p><span>b</span>',
    );
  });

  it('removes embedding and form elements', () => {
    assert.equal(sanitizeWorkHtml('<iframe src="https://evil.example"></iframe>after'), 'after');
    assert.equal(sanitizeWorkHtml('<object data="x.swf"></object><embed src="x.swf">after'), 'after');
    assert.equal(
      sanitizeWorkHtml('<form action="https://evil.example"><input name="pw"></form>after'),
      'after',
    );
  });

  it('keeps the text of disallowed but harmless tags', () => {
    assert.equal(sanitizeWorkHtml('<font color="red">hi</font> <marquee>there</marquee>'), 'hi there');
  });

  it('keeps allowed markup intact', () => {
    const allowed = [
      '<p>Plain <em>em</em> <strong>strong</strong> <i>i</i> <b>b</b> <u>u</u> <s>s</s> <sup>1</sup></p>',
      '<blockquote><p>Quoted</p></blockquote>',
      '<ul><li>one</li></ul><ol><li>two</li></ol><dl><dt>t</dt><dd>d</dd></dl>',
      '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan="2" rowspan="3">d</td></tr></tbody></table>',
      '<p>line<br />break</p><hr />',
      '<img src="https://example.com/a.png" alt="A picture" title="t" width="100" height="50" />',
      '<p align="center">centred</p><div align="right">right</div><h2 align="justify">h</h2>',
      '<p dir="rtl" lang="ar">مرحبا</p><abbr title="HyperText Markup Language">HTML</abbr>',
      '<h1>1</h1><h6>6</h6><pre><code>code</code></pre><center>c</center>',
    ];
    for (const html of allowed) assert.equal(sanitizeWorkHtml(html), html);
  });

  it('only allows the standard align and dir values', () => {
    assert.equal(sanitizeWorkHtml('<p align="CENTER">a</p>'), '<p align="center">a</p>');
    assert.equal(sanitizeWorkHtml('<p align="evil" dir="sideways">a</p>'), '<p>a</p>');
    assert.equal(sanitizeWorkHtml('<span align="center">a</span>'), '<span>a</span>');
  });

  it('escapes stray angle brackets in text', () => {
    assert.equal(sanitizeWorkHtml('1 < 2 & 3 > 2'), '1 &lt; 2 &amp; 3 &gt; 2');
  });
});

describe('renderMarkdown', () => {
  it('renders emphasis, strong text, lists and paragraphs', () => {
    assert.equal(renderMarkdown('*em* and **strong**'), '<p><em>em</em> and <strong>strong</strong></p>\n');
    assert.equal(renderMarkdown('- one\n- two'), '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');
    assert.equal(renderMarkdown('1. one\n2. two'), '<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n');
    assert.equal(renderMarkdown('> quoted'), '<blockquote>\n<p>quoted</p>\n</blockquote>\n');
  });

  it('shows raw HTML as text instead of running it', () => {
    assert.equal(
      renderMarkdown('<script>alert(1)</script>'),
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
    assert.equal(
      renderMarkdown('<img src=x onerror=alert(1)>'),
      '<p>&lt;img src=x onerror=alert(1)&gt;</p>\n',
    );
  });

  it('links bare URLs and markdown links with rel, but not javascript: links', () => {
    assert.equal(
      renderMarkdown('see https://example.com'),
      '<p>see <a href="https://example.com" rel="nofollow noopener">https://example.com</a></p>\n',
    );
    assert.equal(
      renderMarkdown('[site](https://example.com)'),
      '<p><a href="https://example.com" rel="nofollow noopener">site</a></p>\n',
    );
    assert.doesNotMatch(renderMarkdown('[x](javascript:alert(1))'), /href/);
    assert.doesNotMatch(renderMarkdown('![x](data:image/png;base64,AAAA)'), /data:/);
  });

  it('keeps typography as typed', () => {
    assert.equal(renderMarkdown('"quotes" -- (c)'), '<p>"quotes" -- (c)</p>\n');
  });
});

describe('toWorkHtml', () => {
  it('dispatches on format', () => {
    assert.equal(toWorkHtml('*hi*<script>x</script>', 'html'), '*hi*');
    assert.equal(toWorkHtml('*hi*', 'markdown'), '<p><em>hi</em></p>\n');
  });
});

describe('htmlToPlainText', () => {
  it('returns the visible text with entities decoded and whitespace collapsed', () => {
    assert.equal(
      htmlToPlainText('<p>One&nbsp;&amp; <em>only</em></p>\n\n<p>Ryan&#8217;s &lt;tag&gt;</p>'),
      'One & only Ryan’s <tag>',
    );
    assert.equal(htmlToPlainText('a<br>b<li>c</li>d'), 'a b c d');
    assert.equal(htmlToPlainText('<script>hidden()</script><style>p{}</style><!-- c -->shown'), 'shown');
    assert.equal(htmlToPlainText('&amp;lt; stays literal'), '&lt; stays literal');
    assert.equal(htmlToPlainText(''), '');
  });
});

describe('plain text pasted into an HTML field', () => {
  it('turns blank lines into paragraphs and single line breaks into <br>', () => {
    assert.equal(
      sanitizeWorkHtml('First line\nsame paragraph\n\nSecond <em>paragraph</em>'),
      '<p>First line<br />same paragraph</p>\n<p>Second <em>paragraph</em></p>',
    );
  });

  it('leaves text that already has block markup as it is', () => {
    assert.equal(sanitizeWorkHtml('<p>One</p>\n\n<p>Two</p>'), '<p>One</p>\n\n<p>Two</p>');
  });
});

describe('nesting depth', () => {
  const VOID = new Set(['br', 'hr', 'img', 'col']);
  /** How many elements deep the markup goes (the output of the sanitiser is well formed). */
  function depthOf(html: string): number {
    let depth = 0;
    let deepest = 0;
    for (const [, closing, name] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g)) {
      if (closing) depth--;
      else if (!VOID.has(name.toLowerCase())) deepest = Math.max(deepest, ++depth);
    }
    return deepest;
  }
  /** `levels` openings, each followed by a numbered piece of text, closed by `close` as often. */
  const nested = (open: string, close: string, levels: number) =>
    `${Array.from({ length: levels }, (_, level) => `${open}level ${level} `).join('')}${close.repeat(levels)}`;

  it('is deep enough for any real work', () => {
    assert.ok(MAX_NESTING_DEPTH >= 32 && MAX_NESTING_DEPTH <= 64, String(MAX_NESTING_DEPTH));
  });

  it('flattens elements nested deeper than the cap, keeping every piece of their text in order', () => {
    for (const [open, close] of [
      ['<div>', '</div>'],
      ['<b>', ''],
      ['<table><tr><td>', ''],
      ['<blockquote><p><em>', '</em></p></blockquote>'],
      ['<ul><li>', '</li></ul>'],
    ]) {
      const clean = sanitizeWorkHtml(nested(open, close, 3000));
      assert.ok(depthOf(clean) <= MAX_NESTING_DEPTH, `${open}: ${depthOf(clean)} levels`);
      const text = `${htmlToPlainText(clean)} `;
      let from = 0;
      for (let level = 0; level < 3000; level++) {
        const at = text.indexOf(`level ${level} `, from);
        assert.ok(at >= from, `${open}: the text of level ${level} is kept, in order`);
        from = at;
      }
    }
  });

  it('leaves markup within the cap exactly as written', () => {
    const deepest = nested('<div>', '</div>', MAX_NESTING_DEPTH);
    assert.equal(depthOf(deepest), MAX_NESTING_DEPTH);
    assert.equal(sanitizeWorkHtml(deepest), deepest);
  });

  it('flattens stored HTML from before the cap without touching anything else', () => {
    const stored = `<p align="center" title="t">Kept <a href="#n" name="top">as</a> written</p>${nested('<div>', '</div>', 3000)}`;
    const flattened = flattenDeepNesting(stored);
    assert.ok(depthOf(flattened) <= MAX_NESTING_DEPTH);
    assert.ok(
      flattened.startsWith('<p align="center" title="t">Kept <a href="#n" name="top">as</a> written</p>'),
    );
    assert.equal(htmlToPlainText(flattened), htmlToPlainText(stored));
    const shallow = '<table><tr><td colspan="2">cell</td></tr></table><p>One<br />two</p>';
    assert.equal(flattenDeepNesting(shallow), shallow);
  });
});
