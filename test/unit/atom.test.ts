import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { ATOM_TYPE, buildWorksAtomFeed, type WorksAtomFeed, xmlLine } from '../../src/formats/atom.ts';
import type { WorkDocument } from '../../src/formats/workDocument.ts';

const ARCHIVE = 'https://fic.example.org';
const TRICKY_TITLE = 'Tea & <Biscuits> at "Noon"';

function work(overrides: Partial<WorkDocument> = {}): WorkDocument {
  return {
    id: 7,
    url: `${ARCHIVE}/works/7`,
    title: TRICKY_TITLE,
    summary: '<p>Two hobbits argue about <em>second</em> breakfast &amp; lose track of time.</p>',
    notes: '',
    endNotes: '',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: ['The Lord of the Rings - J. R. R. Tolkien'],
    relationships: ['Sam & Frodo'],
    characters: ['Samwise Gamgee', 'Frodo Baggins'],
    freeforms: ['Fluff', 'Food'],
    language: 'en',
    complete: false,
    expectedChapters: null,
    wordCount: 12345,
    chapterCount: 2,
    kudosCount: 3,
    commentsCount: 1,
    bookmarksCount: 0,
    hits: 40,
    creators: [{ name: 'marigold', url: `${ARCHIVE}/users/marigold` }],
    publishedAt: '2024-01-02T03:04:05Z',
    updatedAt: '2024-02-03T04:05:06Z',
    revisedAt: '2024-02-03T04:05:06Z',
    series: [],
    chapters: [],
    archiveName: 'Fic Example',
    archiveUrl: ARCHIVE,
    ...overrides,
  };
}

const second = work({
  id: 3,
  url: `${ARCHIVE}/works/3`,
  title: 'Quiet Harbour',
  summary: '',
  rating: 'Teen And Up Audiences',
  warnings: ['Creator Chose Not To Use Archive Warnings'],
  categories: [],
  relationships: [],
  characters: [],
  freeforms: [],
  complete: true,
  chapterCount: 3,
  wordCount: 900,
  creators: [
    { name: 'marigold', url: `${ARCHIVE}/users/marigold` },
    { name: 'rowan', url: `${ARCHIVE}/users/rowan` },
  ],
  publishedAt: '2023-05-06T07:08:09Z',
  updatedAt: '2023-06-07T08:09:10Z',
});

function feedInput(overrides: Partial<WorksAtomFeed> = {}): WorksAtomFeed {
  return {
    id: `${ARCHIVE}/tags/Sam%20*a*%20Frodo/feed.atom`,
    title: 'Fic Example works tagged "Sam & Frodo"',
    selfUrl: `${ARCHIVE}/tags/Sam%20*a*%20Frodo/feed.atom`,
    alternateUrl: `${ARCHIVE}/tags/Sam%20*a*%20Frodo/works`,
    updated: '2024-02-03T04:05:06Z',
    works: [work(), second],
    ...overrides,
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['entry', 'link', 'author', 'category'].includes(name),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML is untyped
type Parsed = any;

function linkWithRel(links: Parsed[], rel: string): Parsed {
  const link = links.find((candidate) => candidate['@_rel'] === rel);
  assert.ok(link, `no link rel=${rel}`);
  return link;
}

function assertXmllintAccepts(xml: string): void {
  const directory = mkdtempSync(join(tmpdir(), 'quire-atom-'));
  try {
    const file = join(directory, 'feed.xml');
    writeFileSync(file, xml);
    const result = spawnSync('xmllint', ['--noout', '--nonet', file], { encoding: 'utf8' });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('xmllint is missing: install it: apt-get install -y libxml2-utils');
    }
    assert.equal(result.status, 0, `xmllint rejected the feed:\n${result.stderr}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('buildWorksAtomFeed', () => {
  const xml = buildWorksAtomFeed(feedInput());
  const feed = parser.parse(xml).feed;

  it('is an Atom feed with id, title, updated, author, generator and links', () => {
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
    assert.equal(feed.id, `${ARCHIVE}/tags/Sam%20*a*%20Frodo/feed.atom`);
    assert.equal(feed.title['#text'], 'Fic Example works tagged "Sam & Frodo"');
    assert.equal(feed.updated, '2024-02-03T04:05:06Z');
    assert.deepEqual(feed.author, [{ name: 'Fic Example', uri: ARCHIVE }]);
    assert.equal(feed.generator, 'Quire');

    const self = linkWithRel(feed.link, 'self');
    assert.equal(self['@_href'], `${ARCHIVE}/tags/Sam%20*a*%20Frodo/feed.atom`);
    assert.equal(self['@_type'], ATOM_TYPE);
    const alternate = linkWithRel(feed.link, 'alternate');
    assert.equal(alternate['@_href'], `${ARCHIVE}/tags/Sam%20*a*%20Frodo/works`);
    assert.equal(alternate['@_type'], 'text/html');
  });

  it('has one entry per work, in the order given', () => {
    assert.deepEqual(
      feed.entry.map((entry: Parsed) => entry.id),
      [`${ARCHIVE}/works/7`, `${ARCHIVE}/works/3`],
    );
  });

  it('gives each entry id, title, dates, creators and a link to the work', () => {
    const [first, other] = feed.entry;
    assert.equal(first.title['#text'], TRICKY_TITLE);
    assert.equal(first.published, '2024-01-02T03:04:05Z');
    assert.equal(first.updated, '2024-02-03T04:05:06Z');
    assert.deepEqual(first.author, [{ name: 'marigold', uri: `${ARCHIVE}/users/marigold` }]);
    const alternate = linkWithRel(first.link, 'alternate');
    assert.equal(alternate['@_href'], `${ARCHIVE}/works/7`);
    assert.equal(alternate['@_type'], 'text/html');
    assert.deepEqual(
      other.author.map((author: Parsed) => author.name),
      ['marigold', 'rowan'],
    );
  });

  it('has a category for every tag, escaped names intact', () => {
    const terms = feed.entry[0].category.map((category: Parsed) => category['@_term']);
    assert.deepEqual(terms, [
      'General Audiences',
      'No Archive Warnings Apply',
      'Gen',
      'The Lord of the Rings - J. R. R. Tolkien',
      'Sam & Frodo',
      'Samwise Gamgee',
      'Frodo Baggins',
      'Fluff',
      'Food',
    ]);
    const relationship = feed.entry[0].category.find(
      (category: Parsed) => category['@_term'] === 'Sam & Frodo',
    );
    assert.equal(relationship['@_scheme'], `${ARCHIVE}/tags#relationship`);
    assert.equal(relationship['@_label'], 'Sam & Frodo');
  });

  it('carries the work blurb as HTML content', () => {
    const content = feed.entry[0].content;
    assert.equal(content['@_type'], 'html');
    const $ = cheerio.load(content['#text']);
    assert.equal($('p').first().text(), 'by marigold');
    assert.equal($('p').first().find('a').attr('href'), `${ARCHIVE}/users/marigold`);
    assert.equal(
      $('blockquote').html(),
      '<p>Two hobbits argue about <em>second</em> breakfast &amp; lose track of time.</p>',
    );
    const items = $('li')
      .map((_, item) => $(item).text())
      .get();
    assert.deepEqual(items, [
      'Rating: General Audiences',
      'Warnings: No Archive Warnings Apply',
      'Categories: Gen',
      'Fandoms: The Lord of the Rings - J. R. R. Tolkien',
      'Relationships: Sam & Frodo',
      'Characters: Samwise Gamgee, Frodo Baggins',
      'Additional Tags: Fluff, Food',
      'Language: English',
      'Words: 12,345',
      'Chapters: 2/?',
    ]);
    const tagLink = $('a').filter((_, link) => $(link).text() === 'Sam & Frodo');
    assert.equal(tagLink.attr('href'), `${ARCHIVE}/tags/Sam%20*a*%20Frodo`);
  });

  it('leaves out empty tag groups and shows a complete work as n/n', () => {
    const $ = cheerio.load(feed.entry[1].content['#text']);
    assert.equal($('blockquote').length, 0);
    const items = $('li')
      .map((_, item) => $(item).text())
      .get();
    assert.deepEqual(items, [
      'Rating: Teen And Up Audiences',
      'Warnings: Creator Chose Not To Use Archive Warnings',
      'Fandoms: The Lord of the Rings - J. R. R. Tolkien',
      'Language: English',
      'Words: 900',
      'Chapters: 3/3',
    ]);
    assert.equal($('p').first().text(), 'by marigold, rowan');
  });

  it('is well-formed XML by xmllint', () => {
    assertXmllintAccepts(xml);
  });

  it('drops characters XML cannot carry and stays well-formed', () => {
    const messy = buildWorksAtomFeed(
      feedInput({
        works: [work({ title: `Bell\u0007 ${TRICKY_TITLE}\u0000`, relationships: ['Sam & Frodo\u001b'] })],
      }),
    );
    assertXmllintAccepts(messy);
    const entry = parser.parse(messy).feed.entry[0];
    assert.equal(entry.title['#text'], `Bell ${TRICKY_TITLE}`);
  });

  it('is well-formed with no works, with the serving host as author', () => {
    const empty = buildWorksAtomFeed(feedInput({ works: [] }));
    assertXmllintAccepts(empty);
    const parsed = parser.parse(empty).feed;
    assert.equal(parsed.entry, undefined);
    assert.deepEqual(parsed.author, [{ name: 'fic.example.org', uri: ARCHIVE }]);
  });

  it('normalises dates to RFC 3339 UTC and rejects non-dates', () => {
    const shifted = parser.parse(
      buildWorksAtomFeed(feedInput({ updated: '2024-02-03T06:05:06+02:00', works: [] })),
    ).feed;
    assert.equal(shifted.updated, '2024-02-03T04:05:06Z');
    assert.throws(() => buildWorksAtomFeed(feedInput({ updated: 'yesterday' })), RangeError);
  });

  it('gives the same output for the same input', () => {
    assert.equal(buildWorksAtomFeed(feedInput()), xml);
  });
});

describe('buildWorksAtomFeed with any text', () => {
  // What looks like markup or an escape already, next to any characters at all (lone surrogates and
  // controls too, which XML cannot carry and the feed drops).
  const tricky = fc.constantFrom('&nbsp;', '&amp;', '&lt;x&gt;', '&#169;', '&#x41;', '&LT;', '&Tab;', ']]>');
  const markup = fc.constantFrom('<![CDATA[', '<script>', '"', "'", '&', ';', '🦊', '\u202e', 'שלום');
  const text = fc
    .array(fc.oneof(tricky, markup, fc.string({ unit: 'binary' })), { maxLength: 8 })
    .map((parts) => parts.join(''));

  it('is well-formed and reads back as the text given, once for 200 generated works', () => {
    const samples = fc.sample(fc.tuple(text, text, text), { numRuns: 200, seed: 11 });
    const works = samples.map(([title, tag, creator], index) =>
      work({
        id: index,
        url: `${ARCHIVE}/works/${index}`,
        title,
        freeforms: [tag],
        creators: [{ name: creator, url: `${ARCHIVE}/users/someone?as=${encodeURIComponent(creator)}` }],
      }),
    );
    const xml = buildWorksAtomFeed(feedInput({ works }));
    assertXmllintAccepts(xml);
    const $ = cheerio.load(xml, { xml: true });
    $('entry').each((index, entry) => {
      const [title, tag, creator] = samples[index].map(xmlLine);
      assert.equal($(entry).children('title').text(), title);
      assert.equal($(entry).children('category').last().attr('term'), tag);
      assert.equal($(entry).find('author > name').text(), creator);
      // In the HTML blurb a line break is a space like any other.
      const blurb = cheerio.load($(entry).children('content').text());
      const shown = (html: string) => html.replace(/\s+/g, ' ');
      assert.equal(shown(blurb('p a').first().text()), shown(creator));
      assert.equal(shown(blurb('li a').last().text()), shown(tag));
    });
    assert.equal($('entry').length, samples.length);
  });
});
