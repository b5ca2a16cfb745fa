import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { XMLParser } from 'fast-xml-parser';
import {
  buildAcquisitionFeed,
  buildNavigationFeed,
  buildOpenSearchDescription,
  EPUB_TYPE,
  OPDS_ACQUISITION_TYPE,
  OPDS_NAVIGATION_TYPE,
  OPENSEARCH_TYPE,
  type OpdsAcquisitionFeed,
  type OpdsNavigationFeed,
} from '../../src/formats/opds.ts';
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
    freeforms: ['Fluff'],
    language: 'en',
    complete: false,
    expectedChapters: null,
    wordCount: 12345,
    chapterCount: 2,
    kudosCount: 3,
    commentsCount: 1,
    bookmarksCount: 0,
    hits: 40,
    creators: [
      { name: 'marigold', url: `${ARCHIVE}/users/marigold` },
      { name: 'rowan', url: `${ARCHIVE}/users/rowan` },
    ],
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
  language: 'fr',
  creators: [{ name: 'rowan', url: `${ARCHIVE}/users/rowan` }],
  publishedAt: '2023-05-06T07:08:09Z',
  updatedAt: '2023-06-07T08:09:10Z',
});

const CATALOG = `${ARCHIVE}/opds`;
const SEARCH = `${ARCHIVE}/opds/search.xml`;

function navigationInput(overrides: Partial<OpdsNavigationFeed> = {}): OpdsNavigationFeed {
  return {
    id: CATALOG,
    title: 'Fic Example & Friends',
    selfUrl: CATALOG,
    startUrl: CATALOG,
    searchUrl: SEARCH,
    updated: '2024-02-03T04:05:06Z',
    entries: [
      {
        id: `${CATALOG}/new`,
        title: 'Recently updated',
        url: `${CATALOG}/new`,
        content: 'The newest works first.',
        kind: 'acquisition',
        rel: 'http://opds-spec.org/sort/new',
      },
      {
        id: `${CATALOG}/fandoms`,
        title: 'Fandoms',
        url: `${CATALOG}/fandoms`,
        kind: 'navigation',
      },
      {
        id: `${CATALOG}/tags/Sam%20*a*%20Frodo`,
        title: 'Sam & Frodo',
        url: `${CATALOG}/tags/Sam%20*a*%20Frodo?sort=kudos&page=1`,
        kind: 'acquisition',
        count: 12,
      },
    ],
    ...overrides,
  };
}

function acquisitionInput(overrides: Partial<OpdsAcquisitionFeed> = {}): OpdsAcquisitionFeed {
  return {
    id: `${CATALOG}/new`,
    title: 'Recently updated',
    selfUrl: `${CATALOG}/new?page=2`,
    startUrl: CATALOG,
    searchUrl: SEARCH,
    updated: '2024-02-03T04:05:06Z',
    works: [work(), second],
    epubUrl: (item) => `${ARCHIVE}/downloads/${item.id}/work.epub?updated_at=1&format=epub`,
    next: `${CATALOG}/new?page=3`,
    previous: `${CATALOG}/new?page=1`,
    first: `${CATALOG}/new?page=1`,
    totalResults: 42,
    itemsPerPage: 20,
    startIndex: 21,
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

function linksWithRel(links: Parsed[], rel: string): Parsed[] {
  return links.filter((candidate) => candidate['@_rel'] === rel);
}

function linkWithRel(links: Parsed[], rel: string): Parsed {
  const [link] = linksWithRel(links, rel);
  assert.ok(link, `no link rel=${rel}`);
  return link;
}

function assertXmllintAccepts(xml: string): void {
  const directory = mkdtempSync(join(tmpdir(), 'quire-opds-'));
  try {
    const file = join(directory, 'feed.xml');
    writeFileSync(file, xml);
    const result = spawnSync('xmllint', ['--noout', '--nonet', file], { encoding: 'utf8' });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('xmllint is missing: install it: apt-get install -y libxml2-utils');
    }
    assert.equal(result.status, 0, `xmllint rejected the document:\n${result.stderr}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('media types', () => {
  it('are the OPDS 1.2 profile strings', () => {
    assert.equal(OPDS_NAVIGATION_TYPE, 'application/atom+xml;profile=opds-catalog;kind=navigation');
    assert.equal(OPDS_ACQUISITION_TYPE, 'application/atom+xml;profile=opds-catalog;kind=acquisition');
    assert.equal(OPENSEARCH_TYPE, 'application/opensearchdescription+xml');
    assert.equal(EPUB_TYPE, 'application/epub+zip');
  });
});

describe('buildNavigationFeed', () => {
  const xml = buildNavigationFeed(navigationInput());
  const feed = parser.parse(xml).feed;

  it('has the feed id, title, updated, author and catalog links', () => {
    assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
    assert.equal(feed['@_xmlns:opds'], 'http://opds-spec.org/2010/catalog');
    assert.equal(feed.id, CATALOG);
    assert.equal(feed.title['#text'], 'Fic Example & Friends');
    assert.equal(feed.updated, '2024-02-03T04:05:06Z');
    assert.deepEqual(feed.author, [{ name: 'fic.example.org', uri: ARCHIVE }]);

    assert.equal(linkWithRel(feed.link, 'self')['@_type'], OPDS_NAVIGATION_TYPE);
    assert.equal(linkWithRel(feed.link, 'self')['@_href'], CATALOG);
    assert.equal(linkWithRel(feed.link, 'start')['@_type'], OPDS_NAVIGATION_TYPE);
    assert.equal(linkWithRel(feed.link, 'start')['@_href'], CATALOG);
    assert.equal(linkWithRel(feed.link, 'search')['@_type'], OPENSEARCH_TYPE);
    assert.equal(linkWithRel(feed.link, 'search')['@_href'], SEARCH);
    assert.deepEqual(linksWithRel(feed.link, 'next'), []);
  });

  it('links each entry to its sub-catalog with the right rel and profile', () => {
    const [latest, fandoms, tag] = feed.entry;
    assert.equal(latest.id, `${CATALOG}/new`);
    assert.equal(latest.title['#text'], 'Recently updated');
    assert.equal(latest.updated, '2024-02-03T04:05:06Z');
    assert.equal(latest.content['#text'], 'The newest works first.');
    assert.equal(latest.link.length, 1);
    assert.equal(latest.link[0]['@_rel'], 'http://opds-spec.org/sort/new');
    assert.equal(latest.link[0]['@_type'], OPDS_ACQUISITION_TYPE);
    assert.equal(latest.link[0]['@_href'], `${CATALOG}/new`);

    assert.equal(fandoms.link[0]['@_rel'], 'subsection');
    assert.equal(fandoms.link[0]['@_type'], OPDS_NAVIGATION_TYPE);
    assert.equal(fandoms.content['@_type'], 'text');

    assert.equal(tag.title['#text'], 'Sam & Frodo');
    assert.equal(tag.link[0]['@_rel'], 'subsection');
    assert.equal(tag.link[0]['@_type'], OPDS_ACQUISITION_TYPE);
    assert.equal(tag.link[0]['@_href'], `${CATALOG}/tags/Sam%20*a*%20Frodo?sort=kudos&page=1`);
    assert.equal(tag.link[0]['@_thr:count'], '12');
    assert.equal(tag.content['#text'], '12 works');
  });

  it('has next and previous links when given', () => {
    const paged = parser.parse(
      buildNavigationFeed(
        navigationInput({ next: `${CATALOG}/fandoms?page=2`, previous: `${CATALOG}/fandoms` }),
      ),
    ).feed;
    assert.equal(linkWithRel(paged.link, 'next')['@_href'], `${CATALOG}/fandoms?page=2`);
    assert.equal(linkWithRel(paged.link, 'next')['@_type'], OPDS_NAVIGATION_TYPE);
    assert.equal(linkWithRel(paged.link, 'previous')['@_href'], `${CATALOG}/fandoms`);
  });

  it('is well-formed XML by xmllint', () => {
    assertXmllintAccepts(xml);
  });

  it('gives the same output for the same input', () => {
    assert.equal(buildNavigationFeed(navigationInput()), xml);
  });
});

describe('buildAcquisitionFeed', () => {
  const xml = buildAcquisitionFeed(acquisitionInput());
  const feed = parser.parse(xml).feed;

  it('declares the Atom, Dublin Core, OPDS and OpenSearch namespaces', () => {
    assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
    assert.equal(feed['@_xmlns:dc'], 'http://purl.org/dc/terms/');
    assert.equal(feed['@_xmlns:opds'], 'http://opds-spec.org/2010/catalog');
    assert.equal(feed['@_xmlns:opensearch'], 'http://a9.com/-/spec/opensearch/1.1/');
  });

  it('has the feed id, title, updated, author, catalog and paging links', () => {
    assert.equal(feed.id, `${CATALOG}/new`);
    assert.equal(feed.title['#text'], 'Recently updated');
    assert.equal(feed.updated, '2024-02-03T04:05:06Z');
    assert.deepEqual(feed.author, [{ name: 'Fic Example', uri: ARCHIVE }]);

    const self = linkWithRel(feed.link, 'self');
    assert.equal(self['@_href'], `${CATALOG}/new?page=2`);
    assert.equal(self['@_type'], OPDS_ACQUISITION_TYPE);
    assert.equal(linkWithRel(feed.link, 'start')['@_href'], CATALOG);
    assert.equal(linkWithRel(feed.link, 'start')['@_type'], OPDS_NAVIGATION_TYPE);
    assert.equal(linkWithRel(feed.link, 'search')['@_href'], SEARCH);
    assert.equal(linkWithRel(feed.link, 'search')['@_type'], OPENSEARCH_TYPE);
    for (const [rel, page] of [
      ['next', 3],
      ['previous', 1],
      ['first', 1],
    ] as const) {
      const link = linkWithRel(feed.link, rel);
      assert.equal(link['@_href'], `${CATALOG}/new?page=${page}`);
      assert.equal(link['@_type'], OPDS_ACQUISITION_TYPE);
    }
  });

  it('has the OpenSearch paging figures when given', () => {
    assert.equal(feed['opensearch:totalResults'], '42');
    assert.equal(feed['opensearch:itemsPerPage'], '20');
    assert.equal(feed['opensearch:startIndex'], '21');
  });

  it('leaves out paging when not given', () => {
    const single = parser.parse(
      buildAcquisitionFeed(
        acquisitionInput({
          next: undefined,
          previous: undefined,
          first: undefined,
          totalResults: undefined,
          itemsPerPage: undefined,
          startIndex: undefined,
        }),
      ),
    ).feed;
    for (const rel of ['next', 'previous', 'first']) assert.deepEqual(linksWithRel(single.link, rel), []);
    assert.equal(single['opensearch:totalResults'], undefined);
    assert.equal(single['opensearch:itemsPerPage'], undefined);
    assert.equal(single['opensearch:startIndex'], undefined);
  });

  it('describes each work: id, title, dates, creators, language and tags', () => {
    assert.equal(feed.entry.length, 2);
    const [first, other] = feed.entry;
    assert.equal(first.id, `${ARCHIVE}/works/7`);
    assert.equal(first.title['#text'], TRICKY_TITLE);
    assert.equal(first.updated, '2024-02-03T04:05:06Z');
    assert.equal(first.published, '2024-01-02T03:04:05Z');
    assert.deepEqual(first.author, [
      { name: 'marigold', uri: `${ARCHIVE}/users/marigold` },
      { name: 'rowan', uri: `${ARCHIVE}/users/rowan` },
    ]);
    assert.equal(first['dc:language'], 'en');
    assert.equal(first['dc:issued'], '2024-01-02');
    assert.equal(other['dc:language'], 'fr');
    assert.equal(other.title['#text'], 'Quiet Harbour');

    const relationship = first.category.find((category: Parsed) => category['@_term'] === 'Sam & Frodo');
    assert.ok(relationship, 'no category for Sam & Frodo');
    assert.equal(relationship['@_scheme'], `${ARCHIVE}/tags#relationship`);
    assert.equal(relationship['@_label'], 'Sam & Frodo');
    assert.equal(first.category.length, 8);
  });

  it('has a plain-text summary and the HTML blurb', () => {
    const [first, other] = feed.entry;
    assert.equal(first.summary['@_type'], 'text');
    assert.equal(first.summary['#text'], 'Two hobbits argue about second breakfast & lose track of time.');
    assert.equal(other.summary, undefined);
    assert.equal(first.content['@_type'], 'html');
    const $ = cheerio.load(first.content['#text']);
    assert.equal($('blockquote em').text(), 'second');
    const items = $('li')
      .map((_, item) => $(item).text())
      .get();
    assert.ok(items.includes('Relationships: Sam & Frodo'));
    assert.ok(items.includes('Words: 12,345'));
    assert.ok(items.includes('Chapters: 2/?'));
  });

  it('links each work to its EPUB and its page', () => {
    const entry = feed.entry[0];
    const acquisitions = linksWithRel(entry.link, 'http://opds-spec.org/acquisition');
    assert.equal(acquisitions.length, 1);
    assert.equal(acquisitions[0]['@_type'], EPUB_TYPE);
    assert.equal(acquisitions[0]['@_href'], `${ARCHIVE}/downloads/7/work.epub?updated_at=1&format=epub`);
    const alternate = linkWithRel(entry.link, 'alternate');
    assert.equal(alternate['@_type'], 'text/html');
    assert.equal(alternate['@_href'], `${ARCHIVE}/works/7`);
  });

  it('offers an HTML download too when htmlUrl is given', () => {
    const withHtml = parser.parse(
      buildAcquisitionFeed(
        acquisitionInput({ htmlUrl: (item) => `${ARCHIVE}/downloads/${item.id}/work.html` }),
      ),
    ).feed;
    const acquisitions = linksWithRel(withHtml.entry[0].link, 'http://opds-spec.org/acquisition');
    assert.deepEqual(
      acquisitions.map((link: Parsed) => [link['@_type'], link['@_href']]),
      [
        [EPUB_TYPE, `${ARCHIVE}/downloads/7/work.epub?updated_at=1&format=epub`],
        ['text/html', `${ARCHIVE}/downloads/7/work.html`],
      ],
    );
  });

  it('is well-formed XML by xmllint, with and without works', () => {
    assertXmllintAccepts(xml);
    assertXmllintAccepts(buildAcquisitionFeed(acquisitionInput({ works: [] })));
    assertXmllintAccepts(buildAcquisitionFeed(acquisitionInput({ works: [work({ title: 'Nul\u0000l' })] })));
  });

  it('gives the same output for the same input', () => {
    assert.equal(buildAcquisitionFeed(acquisitionInput()), xml);
  });
});

describe('buildOpenSearchDescription', () => {
  const template = `${CATALOG}/search?q={searchTerms}&page={startPage?}`;
  const xml = buildOpenSearchDescription({
    shortName: 'Fic Example',
    description: 'Search works on Fic Example & its friends',
    searchTemplate: template,
  });
  const description = parser.parse(xml).OpenSearchDescription;

  it('describes an OPDS acquisition search', () => {
    assert.equal(description['@_xmlns'], 'http://a9.com/-/spec/opensearch/1.1/');
    assert.equal(description.ShortName, 'Fic Example');
    assert.equal(description.Description, 'Search works on Fic Example & its friends');
    assert.equal(description.Url['@_type'], OPDS_ACQUISITION_TYPE);
    assert.equal(description.Url['@_template'], template);
  });

  it('keeps ShortName within 16 characters', () => {
    const long = parser.parse(
      buildOpenSearchDescription({
        shortName: 'An Archive With A Long Name',
        description: 'x',
        searchTemplate: template,
      }),
    ).OpenSearchDescription;
    assert.ok(long.ShortName.length <= 16);
  });

  it('needs {searchTerms} in the template', () => {
    assert.throws(
      () =>
        buildOpenSearchDescription({ shortName: 'x', description: 'x', searchTemplate: `${CATALOG}/search` }),
      RangeError,
    );
  });

  it('is well-formed XML by xmllint', () => {
    assertXmllintAccepts(xml);
  });
});
