import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { tagSlug } from '../../src/domain/archivePaths.ts';
import { ApiWriter } from '../support/apiClient.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Text people type must reach a feed reader as exactly that text, and never break the XML around it:
// entity names that XML does not define, what looks like an escape already, CDATA markers, markup,
// quotes, emoji and right-to-left text, in every place a feed shows user text.

const HOSTILE_TITLES = [
  'Tom &nbsp; Jerry',
  '&lt;x&gt; and &amp;amp; and &#169; and &#x1F98A;',
  ']]> <![CDATA[ <script>alert(1)</script>',
  `"Quoted" 'single' & <b>bold</b>`,
  'Fox 🦊 and ‏שלום עליכם‏ مرحبا',
];
// Tag names may not hold < > , * % and the like, but may hold & and ;.
const HOSTILE_TAGS = ['Tom &nbsp; Jerry', '&colon;', '&Tab;', '&LT;', '&amp;amp;', '🦊 ‏שלום‏ "Q"'];
const HOSTILE_FANDOM = 'Fandom &nbsp; of &lt;Foxes&gt;';
const HOSTILE_CREATORS = ['Ann &nbsp; Onymous', '&lt;b&gt;Bold&lt;/b&gt;', ']]> 🦊 "Q"'];
// The summary is HTML, as typed in the work form: what a reader sees is its text.
const SUMMARY_HTML =
  '<p>Tom &amp;nbsp; Jerry &amp;lt;x&amp;gt; ]]&gt; &lt;![CDATA[ &lt;script&gt; "q" 🦊</p>';
const SUMMARY_TEXT = 'Tom &nbsp; Jerry &lt;x&gt; ]]> <![CDATA[ <script> "q" 🦊';

// biome-ignore lint/suspicious/noExplicitAny: cheerio's node types vary by version
type Selection = cheerio.Cheerio<any>;

function xmllint(xml: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-feed-text-'));
  try {
    const file = path.join(directory, 'feed.xml');
    fs.writeFileSync(file, xml);
    const result = spawnSync('xmllint', ['--noout', '--nonet', file], { encoding: 'utf8' });
    if (result.error)
      assert.fail(`xmllint could not run (apt-get install -y libxml2-utils): ${result.error}`);
    return result.status === 0 ? '' : result.stderr;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** Children of an element by local name, whatever namespace prefix they carry. */
function children(element: Selection, name: string): Selection {
  return element.children().filter((_, child) => 'name' in child && child.name.split(':').pop() === name);
}

describe(`feeds carry hostile user text as plain text (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;

  async function feed(url: string) {
    const response = await archive.app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
    assert.equal(xmllint(response.body), '', `${url} is not well-formed XML`);
    return cheerio.load(response.body, { xml: true });
  }

  function entryTitles($: cheerio.CheerioAPI): string[] {
    return $('entry')
      .map((_, entry) => children($(entry), 'title').text())
      .get();
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await ApiWriter.signUp(archive.app, 'quillmischief');
    for (const [index, title] of HOSTILE_TITLES.entries()) {
      const work = await writer.postWork({
        title,
        summary: SUMMARY_HTML,
        fandoms: [HOSTILE_FANDOM],
        freeforms: index === 0 ? HOSTILE_TAGS : [],
      });
      if (index === 0) {
        // What an AO3 import credits: the original creators' names as the download gave them.
        await archive.archive.db
          .updateTable('works')
          .set({ imported_creators: HOSTILE_CREATORS.join(', ') })
          .where('id', '=', work.id)
          .execute();
      }
    }
  });
  after(async () => archive.close());

  it("keeps titles, summaries, tags and creators exact in a creator's Atom feed", async () => {
    const $ = await feed('/users/quillmischief/works/feed.atom');
    assert.deepEqual(entryTitles($).sort(), [...HOSTILE_TITLES].sort());
    const first = $('entry').filter((_, entry) => children($(entry), 'title').text() === HOSTILE_TITLES[0]);
    const terms = first
      .find('category')
      .map((_, category) => [[$(category).attr('term'), $(category).attr('label')]])
      .get();
    for (const tag of [...HOSTILE_TAGS, HOSTILE_FANDOM])
      assert.deepEqual(
        terms.find(([term]) => term === tag),
        [tag, tag],
      );
    assert.deepEqual(
      first
        .find('author > name')
        .map((_, name) => $(name).text())
        .get(),
      HOSTILE_CREATORS,
    );
    // The entry's content is HTML; once the XML is read, a browser shows the text as typed.
    const content = cheerio.load(children(first, 'content').text());
    assert.equal(content('blockquote').text(), SUMMARY_TEXT);
    assert.deepEqual(
      content('p a')
        .map((_, link) => content(link).text())
        .get(),
      HOSTILE_CREATORS,
    );
    const tagLinks = content('li a')
      .map((_, link) => content(link).text())
      .get();
    for (const tag of [...HOSTILE_TAGS, HOSTILE_FANDOM])
      assert.ok(tagLinks.includes(tag), `no link for ${tag}`);
  });

  it("keeps each tag's name exact in the tag's Atom feed", async () => {
    for (const tag of [...HOSTILE_TAGS, HOSTILE_FANDOM]) {
      const $ = await feed(`/tags/${tagSlug(tag)}/feed.atom`);
      assert.equal(children($('feed'), 'title').text(), `${tag} works on Quire`);
      assert.ok(entryTitles($).includes(HOSTILE_TITLES[0]), tag);
    }
  });

  it('keeps the OPDS catalog well-formed and exact: root, recent, popular, fandoms, a fandom, search', async () => {
    await feed('/opds');
    await feed('/opds/opensearch.xml');
    for (const url of ['/opds/recent', '/opds/popular', `/opds/tags/${tagSlug(HOSTILE_FANDOM)}`]) {
      const $ = await feed(url);
      assert.deepEqual(entryTitles($).sort(), [...HOSTILE_TITLES].sort(), url);
      const summaries = $('entry')
        .map((_, entry) => children($(entry), 'summary').text())
        .get();
      assert.deepEqual(new Set(summaries), new Set([SUMMARY_TEXT]), url);
    }
    const fandoms = await feed('/opds/fandoms');
    assert.deepEqual(entryTitles(fandoms), [HOSTILE_FANDOM]);
    const fandom = await feed(`/opds/tags/${tagSlug(HOSTILE_FANDOM)}`);
    assert.equal(children(fandom('feed'), 'title').text(), HOSTILE_FANDOM);
    for (const title of HOSTILE_TITLES) {
      const $ = await feed(`/opds/search?q=${encodeURIComponent(title)}`);
      assert.equal(children($('feed'), 'title').text(), `Search: ${title}`);
      assert.deepEqual(entryTitles($), [title]);
    }
  });
});
