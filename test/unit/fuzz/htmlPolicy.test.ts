import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import fc from 'fast-check';
import { sanitizeStoredHtml, sanitizeWorkHtml } from '../../../src/domain/htmlPolicy.ts';

// The sanitiser against HTML-shaped input built from a grammar of tags, attributes, entities and the
// fragments that break parsers (unclosed tags, comments, CDATA, foreign content), its output read back
// the way a browser reads it (cheerio's parse5), not the way the sanitiser's own parser does.

const tagNames = fc.constantFrom(
  // allowed
  'a',
  'b',
  'i',
  'p',
  'div',
  'span',
  'img',
  'table',
  'tr',
  'td',
  'ul',
  'li',
  'blockquote',
  'pre',
  'h1',
  'br',
  'hr',
  'q',
  // refused
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'svg',
  'math',
  'mglyph',
  'malignmark',
  'noscript',
  'template',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
  'title',
  'base',
  'meta',
  'link',
  'frameset',
  'frame',
  'font',
  'marquee',
  'details',
  'video',
  'audio',
  'source',
  'SCRIPT',
  'ScRiPt',
);

const attributeNames = fc.constantFrom(
  'href',
  'src',
  'cite',
  'title',
  'alt',
  'dir',
  'lang',
  'align',
  'name',
  'rel',
  'width',
  'colspan',
  'style',
  'class',
  'id',
  'onclick',
  'onerror',
  'onload',
  'ONMOUSEOVER',
  'onfocus',
  'formaction',
  'action',
  'srcdoc',
  'srcset',
  'xlink:href',
  'xmlns',
  'background',
  'data-x',
  'autofocus',
  'target',
);

const attributeValues = fc.oneof(
  fc.constantFrom(
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java&#x09;script:alert(1)',
    '&#106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:image/svg+xml;base64,PHN2Zz4=',
    'vbscript:msgbox(1)',
    'https://example.org/a?b=1&c=2',
    'http://example.org/',
    '//evil.example/',
    '/works/1',
    'mailto:a@example.org',
    'rtl',
    'LTR',
    'center',
    'x" onmouseover="alert(1)',
    "x' onmouseover='alert(1)",
    'expression(alert(1))',
    'color:red',
    '',
  ),
  fc.string({ maxLength: 12 }),
);

const attribute = fc
  .tuple(attributeNames, attributeValues, fc.constantFrom('"', "'", ''))
  .map(([name, value, quote]) =>
    quote === '' ? `${name}=${value.replace(/[\s>"'`=<]/g, '')}` : `${name}=${quote}${value}${quote}`,
  );

const entity = fc.constantFrom(
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&#39;',
  '&#0;',
  '&#x3C;',
  '&#60',
  '&lt',
  '&nbsp;',
  '&Tab;',
  '&NewLine;',
  '&colon;',
  '&LT;',
  '&amp;lt;',
  '&#x110000;',
  '&#xD800;',
  '&bogus;',
  '&',
);

// Pieces that are not well-formed elements: what mutation XSS and parser differentials are made of.
const fragment = fc.constantFrom(
  '<',
  '>',
  '</',
  '<!--',
  '-->',
  '--!>',
  '<!-->',
  '<![CDATA[',
  ']]>',
  '<?xml ?>',
  '<!DOCTYPE html>',
  '<script',
  '</script>',
  '</style>',
  '</textarea>',
  '</title>',
  '<img src=x onerror=alert(1)>',
  '<svg><style><img src=x onerror=alert(1)></style></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="javascript:alert(1)">x</a>',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<div\n',
  '\n\n',
  '\n',
  '\u0000',
  '`',
);

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('Once upon a time', 'one-word', 'l’été', '東京', ' ', "one's"),
);

const html = fc.letrec<{ node: string; element: string }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, entity, fragment, tie('element')),
  element: fc
    .record({
      name: tagNames,
      attributes: fc.array(attribute, { maxLength: 3 }),
      children: fc.array(tie('node'), { maxLength: 4 }),
      closed: fc.boolean(),
    })
    .map(({ name, attributes, children, closed }) => {
      const open = `<${[name, ...attributes].join(' ')}>`;
      return `${open}${children.join('')}${closed ? `</${name}>` : ''}`;
    }),
})).node;

const document = fc.array(html, { maxLength: 6 }).map((nodes) => nodes.join(''));

const REFUSED_ELEMENTS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'svg',
  'math',
  'base',
  'meta',
  'link',
  'template',
  'noscript',
]);

const URL_ATTRIBUTES = ['href', 'src', 'cite', 'action', 'formaction', 'background', 'xlink:href', 'srcset'];

/** What a browser would find harmful in the output, read the way a browser reads it. */
function harmIn(output: string): string | null {
  const $ = cheerio.load(output);
  let found: string | null = null;
  $('*').each((_index, node: AnyNode) => {
    if (found || node.type !== 'tag') return;
    const element = node;
    // cheerio.load wraps a fragment in html/head/body; those are its own, not the output's.
    if (['html', 'head', 'body'].includes(element.name)) return;
    if (REFUSED_ELEMENTS.has(element.name)) found = `a <${element.name}> element`;
    for (const [name, value] of Object.entries(element.attribs)) {
      if (/^on/i.test(name)) found = `an event handler (${name})`;
      else if (name === 'style') found = 'a style attribute';
      else if (name === 'srcdoc') found = 'a srcdoc attribute';
      else if (URL_ATTRIBUTES.includes(name)) {
        // Browsers ignore whitespace and controls inside a scheme, and compare it in any case.
        const scheme = Array.from(value)
          .filter((character) => character > ' ')
          .join('')
          .toLowerCase();
        if (/^(javascript|data|vbscript):/.test(scheme)) found = `a ${scheme.split(':')[0]}: URL in ${name}`;
      }
    }
  });
  return found;
}

const RUNS = 1500;

describe('the HTML sanitiser (fuzzed)', () => {
  it('never lets through an element, attribute or URL a browser could run', () => {
    fc.assert(
      fc.property(document, (input) => {
        const output = sanitizeWorkHtml(input);
        assert.equal(harmIn(output), null, `sanitised to ${JSON.stringify(output)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps stored HTML harmless too (the allowlist alone, as export bundles use it)', () => {
    fc.assert(
      fc.property(document, (input) => {
        const output = sanitizeStoredHtml(input);
        assert.equal(harmIn(output), null, `sanitised to ${JSON.stringify(output)}`);
      }),
      { numRuns: RUNS / 3 },
    );
  });

  it('is idempotent: sanitising its own output changes nothing', () => {
    fc.assert(
      fc.property(document, (input) => {
        const once = sanitizeWorkHtml(input);
        assert.equal(sanitizeWorkHtml(once), once);
      }),
      { numRuns: RUNS },
    );
  });
});
