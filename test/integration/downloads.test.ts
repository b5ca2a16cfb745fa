import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { ApiWriter } from '../support/apiClient.ts';
import { assertClean, epubcheck } from '../support/epubFiles.ts';
import { ReaderSession } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`EPUB and HTML downloads (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;
  let workId: number;
  let scratch: string;

  const get = (url: string, cookie?: string) =>
    archive.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  before(async () => {
    archive = await startTestArchive();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-downloads-'));
    writer = await ApiWriter.signUp(archive.app, 'lanternkeeper');
    const work = await writer.postWork({
      title: 'Tide & Lantern: "Night Watch"',
      summary: '<p>A keeper keeps the light through one long storm.</p>',
      fandoms: ['Original Work'],
      relationships: ['Keeper & Gull'],
      freeforms: ['Storms', 'Found Family'],
      chapters: [
        { title: 'Dusk', body: '<p>The storm came in at dusk.</p>', notes: '<p>First of two.</p>' },
        { title: 'Dawn', body: 'By *dawn* the sea was flat.', format: 'markdown' },
      ],
    });
    workId = work.id;
  });
  after(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await archive.close();
  });

  it('links EPUB and HTML downloads from the work page', async () => {
    const page = await get(`/works/${workId}`);
    assert.match(page.body, new RegExp(`href="/downloads/${workId}/tide_lantern_night_watch\\.epub"`));
    assert.match(page.body, new RegExp(`href="/downloads/${workId}/tide_lantern_night_watch\\.html"`));
  });

  it('serves an EPUB that epubcheck accepts without errors or warnings', async () => {
    const response = await get(`/downloads/${workId}/tide_lantern_night_watch.epub`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/epub+zip');
    assert.match(
      String(response.headers['content-disposition']),
      /attachment; filename="tide_lantern_night_watch\.epub"/,
    );
    const file = path.join(scratch, 'work.epub');
    fs.writeFileSync(file, response.rawPayload);
    assertClean(await epubcheck(file), 'work.epub');
  });

  it('serves a single-file HTML download with every chapter and no outside resources', async () => {
    const response = await get(`/downloads/${workId}/any_name.html`);
    assert.equal(response.statusCode, 200);
    const $ = cheerio.load(response.body);
    const text = $('body').text();
    assert.ok(text.indexOf('The storm came in at dusk.') < text.indexOf('By dawn the sea was flat.'));
    assert.equal($('script').length, 0);
    assert.equal($('link[rel=stylesheet]').length, 0);
    assert.match(text, /Tide & Lantern: "Night Watch"/);
  });

  it('builds once per revision and again after the work changes', async () => {
    const first = await get(`/downloads/${workId}/x.epub`);
    const cached = await archive.archive.db
      .selectFrom('download_cache')
      .select(['cache_key', 'revision'])
      .execute();
    assert.ok(cached.some((row) => row.cache_key === `work:${workId}:epub`));
    const again = await get(`/downloads/${workId}/x.epub`);
    assert.deepEqual(again.rawPayload, first.rawPayload, 'the cached bytes are served again');
    const before = cached.find((row) => row.cache_key === `work:${workId}:epub`)!.revision;
    const changed = await archive.app.inject({
      method: 'PATCH',
      url: `/api/v1/works/${workId}`,
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { title: 'Tide & Lantern, Revised' },
    });
    assert.equal(changed.statusCode, 200);
    const rebuilt = await get(`/downloads/${workId}/x.epub`);
    assert.notDeepEqual(rebuilt.rawPayload, first.rawPayload);
    const after = await archive.archive.db
      .selectFrom('download_cache')
      .select('revision')
      .where('cache_key', '=', `work:${workId}:epub`)
      .executeTakeFirstOrThrow();
    assert.notEqual(after.revision, before);
  });

  it('keeps restricted works for logged-in readers and drafts for their creators', async () => {
    const restricted = await writer.postWork({ title: 'Members Only', restricted: true });
    assert.equal((await get(`/downloads/${restricted.id}/members_only.epub`)).statusCode, 404);
    const reader = new ReaderSession(archive.app);
    await reader.signUp('inlandreader');
    const asMember = await archive.app.inject({
      method: 'GET',
      url: `/downloads/${restricted.id}/members_only.epub`,
      headers: { cookie: reader.cookieHeader() },
    });
    assert.equal(asMember.statusCode, 200);
    const draft = await writer.postWork({ title: 'Unposted', draft: true });
    assert.equal((await get(`/downloads/${draft.id}/unposted.epub`)).statusCode, 404);
    assert.equal((await get(`/downloads/${workId}/name.pdf`)).statusCode, 404);
    assert.equal((await get('/downloads/999999/nothing.epub')).statusCode, 404);
  });

  it('serves a series as one EPUB', async () => {
    const second = await writer.postWork({ title: 'Second Light' });
    const db = archive.archive.db;
    const owner = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'lanternkeeper')
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const series = await db
      .insertInto('series')
      .values({
        user_id: owner.id,
        title: 'Lantern Coast',
        summary: '',
        notes: '',
        complete: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('series_works')
      .values([
        { series_id: series.id, work_id: workId, position: 1 },
        { series_id: series.id, work_id: second.id, position: 2 },
      ])
      .execute();
    const response = await get(`/downloads/series/${series.id}/lantern_coast.epub`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/epub+zip');
    assert.ok(
      response.rawPayload.subarray(30, 58).toString('latin1').includes('mimetypeapplication/epub+zip'),
    );

    // Its cached file follows a change to any part, the fifth as much as the first.
    for (let position = 3; position <= 5; position++) {
      const part = await writer.postWork({ title: `Lantern Part ${position}` });
      await db
        .insertInto('series_works')
        .values({ series_id: series.id, work_id: part.id, position })
        .execute();
      if (position === 5) {
        const before = await get(`/downloads/series/${series.id}/lantern_coast.epub`);
        const changed = await archive.app.inject({
          method: 'PATCH',
          url: `/api/v1/works/${part.id}`,
          headers: { authorization: `Bearer ${writer.token}` },
          payload: { title: 'The Last Lantern' },
        });
        assert.equal(changed.statusCode, 200);
        const after = await get(`/downloads/series/${series.id}/lantern_coast.epub`);
        assert.notDeepEqual(after.rawPayload, before.rawPayload);
      }
    }
  });
});
