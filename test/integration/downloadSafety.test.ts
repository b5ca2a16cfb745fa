import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { ApiWriter } from '../support/apiClient.ts';
import { assertClean, epubcheck, unzip } from '../support/epubFiles.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Issue 11, findings 1 and 2: work text nested thousands of levels deep must neither crash nor freeze
// the archive through its downloads, and the shared download cache must not grow with each Host header.

/** `levels` openings, the text at the bottom, then `close` as often. */
const nested = (open: string, close: string, levels: number, text: string) =>
  `${open.repeat(levels)}${text}${close.repeat(levels)}`;

const HOSTILE_CHAPTERS = [
  { title: 'Divs', text: 'Three thousand divs down.', body: nested('<div>', '</div>', 3000, '') },
  { title: 'More divs', text: 'Forty-five thousand divs down.', body: nested('<div>', '</div>', 45_000, '') },
  { title: 'Bold', text: 'Sixty thousand bolds down.', body: nested('<b>', '', 60_000, '') },
  { title: 'Tables', text: 'Nine thousand tables down.', body: nested('<table><tr><td>', '', 9000, '') },
].map(({ title, text, body }) => ({ title, text, body: body.replace(/(<\/|$)/, `${text}$1`) }));

async function chapterTexts(epub: Buffer): Promise<string> {
  const { files } = await unzip(epub);
  return [...files]
    .filter(([name]) => /chapter-\d+\.xhtml$/.test(name))
    .map(([, text]) => text)
    .join('\n');
}

describe(`Downloads of hostile work text (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;
  let scratch: string;

  const get = (url: string, headers: Record<string, string> = {}) =>
    archive.app.inject({ method: 'GET', url, headers });

  async function assertValidEpub(bytes: Buffer, name: string): Promise<void> {
    const file = path.join(scratch, `${name}.epub`);
    fs.writeFileSync(file, bytes);
    assertClean(await epubcheck(file), name);
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await ApiWriter.signUp(archive.app, 'deepdiver');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-download-safety-'));
  });
  after(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await archive.close();
  });

  it('builds valid downloads of chapters nested tens of thousands of levels deep', async () => {
    const work = await writer.postWork({
      title: 'Fathoms',
      chapters: HOSTILE_CHAPTERS.map(({ title, body }) => ({ title, body })),
    });
    const epub = await get(`/downloads/${work.id}/fathoms.epub`);
    assert.equal(epub.statusCode, 200, epub.body);
    const text = await chapterTexts(epub.rawPayload);
    for (const chapter of HOSTILE_CHAPTERS) assert.ok(text.includes(chapter.text), chapter.title);
    await assertValidEpub(epub.rawPayload, 'posted');

    const html = await get(`/downloads/${work.id}/fathoms.html`);
    assert.equal(html.statusCode, 200);
    for (const chapter of HOSTILE_CHAPTERS) assert.ok(html.body.includes(chapter.text), chapter.title);
  });

  it('builds text stored before the depth cap off the main thread: /healthz answers meanwhile', async () => {
    const work = await writer.postWork({ title: 'Old Depths' });
    // As an archive that stored it before the sanitiser capped nesting would hold it.
    const deep = nested('<div>', '</div>', 45_000, '<p>Stored long ago.</p>');
    await archive.archive.db
      .updateTable('chapters')
      .set({ body: deep })
      .where('work_id', '=', work.id)
      .execute();

    let settled = false;
    const pending = get(`/downloads/${work.id}/old_depths.epub`).finally(() => {
      settled = true;
    });
    let answered = 0;
    while (!settled) {
      const health = await get('/healthz');
      assert.equal(health.statusCode, 200);
      answered++;
      // Back to the event loop between checks, as between two clients' requests (an injected request
      // on SQLite can complete without it, which would never let the build's answer in).
      await new Promise(setImmediate);
    }
    assert.ok(answered >= 3, `/healthz answered ${answered} times while the EPUB was being built`);
    const epub = await pending;
    assert.equal(epub.statusCode, 200, epub.body);
    // The same markup as the posted chapters once capped, which epubcheck passed above: well-formed is enough.
    const chapter = await chapterTexts(epub.rawPayload);
    assert.equal(XMLValidator.validate(chapter), true);
    assert.ok(chapter.includes('Stored long ago.'));
  });

  it('keeps one cached file per work and format, whatever Host the requests name', async () => {
    const work = await writer.postWork({ title: 'Many Harbours' });
    const cachedRows = () =>
      archive.archive.db
        .selectFrom('download_cache')
        .select(['cache_key', 'revision'])
        .where('cache_key', 'like', `work:${work.id}:%`)
        .execute();
    for (let i = 0; i < 40; i++) {
      const response = await get(`/downloads/${work.id}/many_harbours.epub`, {
        host: `harbour-${i}.example`,
      });
      assert.equal(response.statusCode, 200);
      if (i === 39) {
        const { files } = await unzip(response.rawPayload);
        assert.ok(![...files.values()].some((text) => text.includes('harbour-')), 'links ignore the Host');
      }
    }
    const [row, ...others] = await cachedRows();
    assert.deepEqual(others, []);

    const changed = await archive.app.inject({
      method: 'PATCH',
      url: `/api/v1/works/${work.id}`,
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { title: 'Many Harbours, Revised' },
    });
    assert.equal(changed.statusCode, 200);
    assert.equal((await get(`/downloads/${work.id}/many_harbours.epub`)).statusCode, 200);
    const rebuilt = await cachedRows();
    assert.equal(rebuilt.length, 1, 'the new revision replaces the old one');
    assert.notEqual(rebuilt[0].revision, row.revision);
  });

  it('builds feed links from the archive, not from the Host header', async () => {
    const feed = await get('/opds/recent', { host: 'phish.example' });
    assert.equal(feed.statusCode, 200);
    assert.doesNotMatch(feed.body, /phish\.example/);
  });
});

describe(`Downloads that cannot be built in time (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;

  before(async () => {
    archive = await startTestArchive({
      environment: { QUIRE_ALLOWED_HOSTS: 'fic.example.org, www.fic.example.org:8080' },
      // A limit no build can meet: even starting a thread takes longer.
      config: { downloads: { buildTimeLimitMs: 1 } },
    });
    writer = await ApiWriter.signUp(archive.app, 'slowbuilder');
  });
  after(() => archive.close());

  it('answers 503, and remembers the failure for that revision instead of building again', async () => {
    const work = await writer.postWork({ title: 'Never Ready' });
    const failedRow = () =>
      archive.archive.db
        .selectFrom('download_cache')
        .select(['revision', 'created_at'])
        .where('cache_key', '=', `work:${work.id}:epub`)
        .executeTakeFirstOrThrow();

    const first = await archive.app.inject({ method: 'GET', url: `/downloads/${work.id}/never_ready.epub` });
    assert.equal(first.statusCode, 503);
    assert.match(first.body, /This download could not be built/);
    assert.ok(Number(first.headers['retry-after']) > 0);
    const remembered = await failedRow();

    const again = await archive.app.inject({ method: 'GET', url: `/downloads/${work.id}/never_ready.epub` });
    assert.equal(again.statusCode, 503);
    assert.deepEqual(await failedRow(), remembered, 'the second request did not build again');

    const html = await archive.app.inject({ method: 'GET', url: `/downloads/${work.id}/never_ready.html` });
    assert.equal(html.statusCode, 503);

    const changed = await archive.app.inject({
      method: 'PATCH',
      url: `/api/v1/works/${work.id}`,
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { title: 'Never Ready, Revised' },
    });
    assert.equal(changed.statusCode, 200);
    const revised = await archive.app.inject({
      method: 'GET',
      url: `/downloads/${work.id}/never_ready.epub`,
    });
    assert.equal(revised.statusCode, 503);
    assert.notEqual((await failedRow()).revision, remembered.revision, 'a new revision is tried again');
  });

  it('links to an allowed Host as asked, and to the first allowed host otherwise', async () => {
    const allowed = await archive.app.inject({
      method: 'GET',
      url: '/opds/recent',
      headers: { host: 'www.fic.example.org:8080' },
    });
    assert.match(allowed.body, /http:\/\/www\.fic\.example\.org:8080\/opds/);
    const other = await archive.app.inject({
      method: 'GET',
      url: '/opds/recent',
      headers: { host: 'phish.example' },
    });
    assert.doesNotMatch(other.body, /phish\.example/);
    assert.match(other.body, /http:\/\/fic\.example\.org\/opds/);
  });
});
