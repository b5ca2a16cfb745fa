import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { ApiWriter } from '../support/apiClient.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['entry', 'link', 'author', 'category'].includes(name),
});

type Link = { rel?: string; href: string; type?: string };

/** An Atom text construct's text, whether or not it carried a type attribute. */
function text(node: unknown): string {
  return typeof node === 'object' && node !== null
    ? String((node as { '#text': unknown })['#text'])
    : String(node);
}

function assertWellFormed(xml: string): void {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quire-feed-')), 'feed.xml');
  fs.writeFileSync(file, xml);
  execFileSync('xmllint', ['--noout', file]);
}

describe(`Atom feeds and the OPDS catalog (${testDialect})`, () => {
  let archive: TestArchive;

  async function fetchFeed(url: string) {
    const response = await archive.app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
    assertWellFormed(response.body);
    return {
      type: response.headers['content-type'] as string,
      feed: parser.parse(response.body).feed ?? parser.parse(response.body),
    };
  }

  before(async () => {
    archive = await startTestArchive();
    const writer = await ApiWriter.signUp(archive.app, 'beaconwright');
    for (let index = 1; index <= 22; index++) {
      await writer.postWork({
        title: `Harbour Tale ${index}`,
        fandoms: ['Harbour Tales'],
        freeforms: ['Lighthouses'],
      });
    }
    await writer.postWork({
      title: 'Sam & Frodo <Walk>',
      fandoms: ['Shire Stories'],
      relationships: ['Sam & Frodo'],
    });
    await writer.postWork({ title: 'Members Only Tale', fandoms: ['Harbour Tales'], restricted: true });
    await writer.postWork({ title: 'Lamp Post', fandoms: ['Shire Stories'], freeforms: ['Lamps'] });
  });
  after(async () => archive.close());

  it('serves a tag feed as Atom with the newest works first', async () => {
    const { type, feed } = await fetchFeed('/tags/Shire%20Stories/feed.atom');
    assert.match(type, /^application\/atom\+xml/);
    assert.equal(text(feed.title), 'Shire Stories works on Quire');
    assert.ok(feed.id && feed.updated);
    assert.ok(
      feed.link.some(
        (link: Link) => link.rel === 'self' && link.href.endsWith('/tags/Shire%20Stories/feed.atom'),
      ),
    );
    assert.deepEqual(
      feed.entry.map((entry: { title: unknown }) => text(entry.title)),
      ['Lamp Post', 'Sam & Frodo <Walk>'],
    );
  });

  it("follows a synonym to its canonical tag's feed", async () => {
    const db = archive.archive.db;
    const lamps = await db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'Lamps')
      .executeTakeFirstOrThrow();
    const lighthouses = await db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'Lighthouses')
      .executeTakeFirstOrThrow();
    await db.updateTable('tags').set({ merger_id: lighthouses.id }).where('id', '=', lamps.id).execute();
    const response = await archive.app.inject({ method: 'GET', url: '/tags/Lamps/feed.atom' });
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, '/tags/Lighthouses/feed.atom');
  });

  it("serves a user's works as Atom, leaving out restricted works", async () => {
    const { feed } = await fetchFeed('/users/beaconwright/works/feed.atom');
    const titles = feed.entry.map((entry: { title: unknown }) => text(entry.title));
    assert.equal(titles.length, 20);
    assert.ok(!titles.includes('Members Only Tale'));
    assert.equal(feed.author[0].name, 'beaconwright');
  });

  it('opens the OPDS catalog with navigation to recent, popular and fandoms', async () => {
    const { type, feed } = await fetchFeed('/opds');
    assert.match(type, /profile=opds-catalog;kind=navigation/);
    for (const rel of ['self', 'start', 'search'])
      assert.ok(
        feed.link.some((link: Link) => link.rel === rel),
        `missing ${rel} link`,
      );
    const search = feed.link.find((link: Link) => link.rel === 'search');
    assert.equal(search.type, 'application/opensearchdescription+xml');
    const targets = feed.entry.map((entry: { link: Link[] }) => entry.link[0]);
    assert.ok(
      targets.some(
        (link: Link) => link.href.endsWith('/opds/recent') && /kind=acquisition/.test(link.type ?? ''),
      ),
    );
    assert.ok(
      targets.some(
        (link: Link) => link.href.endsWith('/opds/fandoms') && /kind=navigation/.test(link.type ?? ''),
      ),
    );
  });

  it('lists fandoms with the number of works a guest can read', async () => {
    const { feed } = await fetchFeed('/opds/fandoms');
    const fandoms = feed.entry.map((entry: { title: unknown; link: (Link & { 'thr:count'?: string })[] }) => [
      text(entry.title),
      Number(entry.link[0]['thr:count']),
    ]);
    assert.deepEqual(fandoms, [
      ['Harbour Tales', 22],
      ['Shire Stories', 2],
    ]);
  });

  it('offers EPUB acquisition links, paginated with next links', async () => {
    const { type, feed } = await fetchFeed('/opds/tags/Harbour%20Tales');
    assert.match(type, /kind=acquisition/);
    assert.equal(feed.entry.length, 20);
    assert.equal(Number(feed['opensearch:totalResults']), 22);
    const acquisition = feed.entry[0].link.find(
      (link: Link) => link.rel === 'http://opds-spec.org/acquisition',
    );
    assert.equal(acquisition.type, 'application/epub+zip');
    assert.match(acquisition.href, /\/downloads\/\d+\/harbour_tale_22\.epub$/);
    const next = feed.link.find((link: Link) => link.rel === 'next');
    assert.ok(next, 'the first page links to the next');
    const second = await fetchFeed(new URL(next.href).pathname + new URL(next.href).search);
    assert.equal(second.feed.entry.length, 2);
    assert.ok(!second.feed.link.some((link: Link) => link.rel === 'next'));
  });

  it('searches the catalog by title, with an OpenSearch description for reading apps', async () => {
    const description = await archive.app.inject({ method: 'GET', url: '/opds/opensearch.xml' });
    assert.equal(description.statusCode, 200);
    assertWellFormed(description.body);
    const template = parser.parse(description.body).OpenSearchDescription.Url.template as string;
    assert.match(template, /\/opds\/search\?q=\{searchTerms\}$/);
    const { feed } = await fetchFeed('/opds/search?q=frodo%20walk');
    assert.equal(feed.entry.length, 1);
    const nothing = await fetchFeed('/opds/search?q=%25%25%25');
    assert.equal(nothing.feed.entry, undefined, 'LIKE wildcards are matched literally');
  });

  it('answers unknown tags and users with 404', async () => {
    for (const url of ['/tags/Nope/feed.atom', '/users/nobody/works/feed.atom', '/opds/tags/Nope']) {
      const response = await archive.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
    }
  });
});
