import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`bookmarks (${testDialect})`, () => {
  let archive: TestArchive;
  let scribe: ApiWriter;
  let magpie: ReaderSession;
  let jackdaw: ReaderSession;
  let guest: ReaderSession;
  let gentle: number;
  let stormy: number;

  before(async () => {
    archive = await startTestArchive();
    scribe = await ApiWriter.signUp(archive.app, 'scribe');
    gentle = (
      await scribe.postWork({
        title: 'Gentle Tides',
        fandoms: ['Original Work'],
        complete: true,
        chapters: [{ body: '<p>The sea was calm.</p>' }],
      })
    ).id;
    stormy = (
      await scribe.postWork({
        title: 'Stormy Weather',
        rating: 'Mature',
        fandoms: ['Harbour Tales'],
        expected_chapters: 3,
        chapters: [{ body: '<p>The sea was not calm.</p>' }],
      })
    ).id;
    magpie = new ReaderSession(archive.app);
    await magpie.signUp('magpie');
    jackdaw = new ReaderSession(archive.app);
    await jackdaw.signUp('jackdaw');
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  async function bookmarksCount(workId: number): Promise<number> {
    const row = await archive.archive.db
      .selectFrom('works')
      .select('bookmarks_count')
      .where('id', '=', workId)
      .executeTakeFirstOrThrow();
    return row.bookmarks_count;
  }

  async function bookmarkRows(workId: number) {
    return archive.archive.db.selectFrom('bookmarks').selectAll().where('work_id', '=', workId).execute();
  }

  let gentleBookmark: number;

  it('bookmarks a work from its page, with sanitised notes, own tags and a rec', async () => {
    const page = await magpie.get(`/works/${gentle}`);
    assert.match(page.body, new RegExp(`href="/works/${gentle}/bookmarks/new"`));
    const form = await magpie.get(`/works/${gentle}/bookmarks/new`);
    assert.equal(form.status, 200);
    assert.match(textOf(form.body), /Bookmark Gentle Tides/);
    const saved = await magpie.submit(`/works/${gentle}/bookmarks`, {
      notes: '<p>Read it <em>twice</em>.<script>alert(1)</script></p>',
      tags: 'comfort read, Original Work, comfort read',
      rec: 'on',
    });
    assert.match(textOf(saved.body), /Bookmark was successfully created/);
    assert.match(saved.body, /Edit Bookmark/);
    assert.equal(await bookmarksCount(gentle), 1);
    const [row] = await bookmarkRows(gentle);
    gentleBookmark = row.id;
    assert.equal(row.notes, '<p>Read it <em>twice</em>.</p>');
    // "Original Work" already exists as a fandom: the bookmark links that tag instead of refusing it.
    const tags = await archive.archive.db
      .selectFrom('bookmark_tags')
      .innerJoin('tags', 'tags.id', 'bookmark_tags.tag_id')
      .select(['tags.name', 'tags.type'])
      .where('bookmark_id', '=', row.id)
      .orderBy('position')
      .execute();
    assert.deepEqual(tags, [
      { name: 'comfort read', type: 'freeform' },
      { name: 'Original Work', type: 'fandom' },
    ]);
  });

  it('opens the existing bookmark instead of making a second one', async () => {
    const again = await magpie.get(`/works/${gentle}/bookmarks/new`);
    assert.equal(again.status, 303);
    assert.equal(again.location, `/bookmarks/${gentleBookmark}/edit`);
    const resubmitted = await magpie.submit(`/works/${gentle}/bookmarks`, {
      notes: 'Read it three times.',
      tags: 'comfort read',
      rec: 'on',
    });
    assert.match(textOf(resubmitted.body), /Bookmark was successfully updated/);
    const rows = await bookmarkRows(gentle);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].notes, 'Read it three times.');
    assert.equal(await bookmarksCount(gentle), 1);
  });

  it("lists a reader's bookmarks with the work's blurb, notes, tags, rec mark and date", async () => {
    const page = await guest.get('/users/magpie/bookmarks');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    for (const expected of [
      '1 Bookmark by magpie',
      'Gentle Tides by scribe',
      'Original Work',
      'Bookmarked by magpie on',
      'Rec',
      'comfort read',
      'Read it three times.',
    ]) {
      assert.ok(text.includes(expected), `the bookmarks page should show "${expected}"`);
    }
    assert.doesNotMatch(page.body, /<script>alert/);
  });

  it('keeps private bookmarks to their owner and out of the count', async () => {
    await magpie.get(`/works/${stormy}/bookmarks/new`);
    await magpie.submit(`/works/${stormy}/bookmarks`, { notes: 'A guilty pleasure.', private: 'on' });
    assert.equal(await bookmarksCount(stormy), 0);
    for (const other of [guest, jackdaw]) {
      const text = textOf((await other.get('/users/magpie/bookmarks')).body);
      assert.doesNotMatch(text, /Stormy Weather|guilty pleasure/);
      assert.match(text, /1 Bookmark by magpie/);
    }
    const own = textOf((await magpie.get('/users/magpie/bookmarks')).body);
    assert.match(own, /2 Bookmarks by magpie/);
    assert.match(own, /Stormy Weather/);
    assert.match(own, /Private/);
    const publicList = textOf((await guest.get(`/works/${stormy}/bookmarks`)).body);
    assert.match(publicList, /0 Bookmarks of Stormy Weather/);

    const [row] = await bookmarkRows(stormy);
    await magpie.get(`/bookmarks/${row.id}/edit`);
    await magpie.submit(`/bookmarks/${row.id}/edit`, { notes: 'Not guilty any more.' });
    assert.equal(await bookmarksCount(stormy), 1);
    assert.match(textOf((await jackdaw.get('/users/magpie/bookmarks')).body), /Not guilty any more/);
    await magpie.get(`/bookmarks/${row.id}/edit`);
    await magpie.submit(`/bookmarks/${row.id}/edit`, { notes: 'Private again.', private: 'on' });
    assert.equal(await bookmarksCount(stormy), 0);
  });

  it('filters bookmarks by rec, own tag, rating, fandom and completion, without JavaScript', async () => {
    const titles = async (query: string) => {
      const text = textOf((await magpie.get(`/users/magpie/bookmarks?${query}`)).body);
      return ['Gentle Tides', 'Stormy Weather'].filter((title) => text.includes(`${title} by scribe`));
    };
    assert.deepEqual(await titles(''), ['Gentle Tides', 'Stormy Weather']);
    assert.deepEqual(await titles('rec=1'), ['Gentle Tides']);
    assert.deepEqual(await titles('tag=Comfort+Read'), ['Gentle Tides']);
    assert.deepEqual(await titles('tag=no+such+tag'), []);
    assert.deepEqual(await titles('rating=Mature'), ['Stormy Weather']);
    assert.deepEqual(await titles('fandom=harbour+tales'), ['Stormy Weather']);
    assert.deepEqual(await titles('complete=1'), ['Gentle Tides']);
    assert.deepEqual(await titles('sort=updated&rating=&fandom=&tag='), ['Gentle Tides', 'Stormy Weather']);
    const sidebar = (await magpie.get('/users/magpie/bookmarks?rec=1')).body;
    assert.match(sidebar, /<form[^>]*method="get"[^>]*action="\/users\/magpie\/bookmarks"/);
    assert.match(sidebar, /name="rec" value="on" checked/);
    assert.match(sidebar, /<option value="comfort read"/);
  });

  it("lists a work's public bookmarks and links them from its stats", async () => {
    const page = await guest.get(`/works/${gentle}/bookmarks`);
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(text, /1 Bookmark of Gentle Tides/);
    assert.match(text, /Bookmarked by magpie/);
    assert.match((await guest.get(`/works/${gentle}`)).body, new RegExp(`href="/works/${gentle}/bookmarks"`));
  });

  it("refuses to let anyone else change or delete a reader's bookmark", async () => {
    assert.equal((await jackdaw.get(`/bookmarks/${gentleBookmark}/edit`)).status, 403);
    const refused = await jackdaw.post(`/bookmarks/${gentleBookmark}/delete`, {});
    assert.equal(refused.status, 403);
    assert.equal((await guest.get(`/bookmarks/${gentleBookmark}/edit`)).status, 401);
    assert.equal((await bookmarkRows(gentle)).length, 1);
  });

  it('deletes a bookmark after asking, and counts it no more', async () => {
    const confirm = await magpie.get(`/bookmarks/${gentleBookmark}/delete`);
    assert.match(textOf(confirm.body), /Are you sure you want to delete your bookmark of “Gentle Tides”/);
    const after = await magpie.submit(`/bookmarks/${gentleBookmark}/delete`, {});
    assert.match(textOf(after.body), /Bookmark was successfully deleted/);
    assert.equal((await bookmarkRows(gentle)).length, 0);
    assert.equal(await bookmarksCount(gentle), 0);
  });

  it('hides muted creators’ works, and muted readers’ bookmarks of a work, from the muter', async () => {
    await jackdaw.get(`/works/${gentle}/bookmarks/new`);
    await jackdaw.submit(`/works/${gentle}/bookmarks`, { notes: 'Lovely.' });
    await jackdaw.get('/users/scribe/mute');
    await jackdaw.submit('/users/scribe/mute', {});
    assert.match(textOf((await jackdaw.get('/users/jackdaw/bookmarks')).body), /0 Bookmarks by jackdaw/);
    assert.match(textOf((await magpie.get('/users/jackdaw/bookmarks')).body), /Gentle Tides/);
    // A muted reader's bookmarks leave a work's list of bookmarks, but not their own page.
    assert.match(textOf((await magpie.get(`/works/${gentle}/bookmarks`)).body), /Bookmarked by jackdaw/);
    await magpie.get('/users/jackdaw/mute');
    await magpie.submit('/users/jackdaw/mute', {});
    assert.doesNotMatch(
      textOf((await magpie.get(`/works/${gentle}/bookmarks`)).body),
      /Bookmarked by jackdaw/,
    );
    assert.match(textOf((await magpie.get('/users/jackdaw/bookmarks')).body), /Gentle Tides/);
  });

  it('bookmarks through the API: create, conflict, list, change and delete, owner only', async () => {
    const reader = await ApiWriter.signUp(archive.app, 'apireader');
    const other = await ApiWriter.signUp(archive.app, 'otherreader');
    const call = (
      writer: ApiWriter,
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      payload?: object,
    ) => archive.app.inject({ method, url, payload, headers: { authorization: `Bearer ${writer.token}` } });

    const created = await call(reader, 'POST', '/api/v1/bookmarks', {
      work_id: gentle,
      notes: 'Via the API',
      tags: ['api', 'seaside'],
      rec: true,
    });
    assert.equal(created.statusCode, 201, created.body);
    const bookmark = created.json();
    assert.ok(bookmark.id > 0);
    assert.equal(bookmark.work.title, 'Gentle Tides');
    assert.deepEqual(bookmark.tags, ['api', 'seaside']);
    assert.equal(await bookmarksCount(gentle), 2);

    const duplicate = await call(reader, 'POST', '/api/v1/bookmarks', { work_id: gentle });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().error.code, 'conflict');
    const neither = await call(reader, 'POST', '/api/v1/bookmarks', { notes: 'of nothing' });
    assert.equal(neither.statusCode, 400);
    assert.match(neither.json().error.fields.work_id, /work_id or a series_id/);
    const wrongType = await call(reader, 'POST', '/api/v1/bookmarks', { work_id: stormy, private: 'maybe' });
    assert.equal(wrongType.statusCode, 400);
    assert.equal(wrongType.json().error.code, 'invalid_input');
    assert.ok(wrongType.json().error.fields.private);
    const anonymous = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/bookmarks',
      payload: { notes: 'no target, no token' },
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal((await archive.app.inject({ method: 'GET', url: '/api/v1/bookmarks' })).statusCode, 401);
    const missing = await call(reader, 'POST', '/api/v1/bookmarks', { work_id: 999_999 });
    assert.equal(missing.statusCode, 404);
    const tooManyTags = await call(reader, 'POST', '/api/v1/bookmarks', {
      work_id: stormy,
      tags: Array.from({ length: 76 }, (_, index) => `tag ${index}`),
    });
    assert.equal(tooManyTags.statusCode, 400);
    assert.match(tooManyTags.json().error.fields.tags, /at most 75/);

    const owner = await archive.archive.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'scribe')
      .executeTakeFirstOrThrow();
    const series = await archive.archive.db
      .insertInto('series')
      .values({
        user_id: owner.id,
        title: 'Tides',
        summary: '',
        notes: '',
        complete: 0,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A series shows (and can be bookmarked) once it has a part the reader may read.
    await archive.archive.db
      .insertInto('series_works')
      .values({ series_id: series.id, work_id: gentle, position: 1 })
      .execute();
    const ofSeries = await call(reader, 'POST', '/api/v1/bookmarks', { series_id: series.id, private: true });
    assert.equal(ofSeries.statusCode, 201, ofSeries.body);
    assert.equal(ofSeries.json().series.title, 'Tides');

    const patched = await call(reader, 'PATCH', `/api/v1/bookmarks/${bookmark.id}`, { private: true });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().private, true);
    assert.equal(patched.json().notes, 'Via the API');
    assert.equal(await bookmarksCount(gentle), 1);

    const listedByOthers = await call(other, 'GET', '/api/v1/bookmarks?user=apireader');
    assert.equal(listedByOthers.json().total, 0);
    const listedByOwner = await call(reader, 'GET', '/api/v1/bookmarks?user=apireader');
    assert.equal(listedByOwner.json().total, 2);
    const own = await call(reader, 'GET', '/api/v1/bookmarks');
    assert.equal(own.json().total, 2);
    // Filters it cannot use mean "any", as in the sidebar's links: never a refusal.
    const lenient = await call(reader, 'GET', '/api/v1/bookmarks?page=abc&sort=nonsense&rating=none');
    assert.equal(lenient.statusCode, 200, lenient.body);
    assert.equal(lenient.json().total, 2);
    assert.equal(lenient.json().page, 1);
    assert.equal((await call(reader, 'GET', '/api/v1/bookmarks?rec=true')).json().total, 1);
    assert.equal((await call(reader, 'PATCH', '/api/v1/bookmarks/abc', { rec: false })).statusCode, 404);

    assert.equal(
      (await call(other, 'PATCH', `/api/v1/bookmarks/${bookmark.id}`, { rec: false })).statusCode,
      403,
    );
    assert.equal((await call(other, 'DELETE', `/api/v1/bookmarks/${bookmark.id}`)).statusCode, 403);
    assert.equal((await call(reader, 'DELETE', `/api/v1/bookmarks/${bookmark.id}`)).statusCode, 204);
    assert.equal((await call(reader, 'DELETE', `/api/v1/bookmarks/${bookmark.id}`)).statusCode, 404);
  });

  it('keeps bookmarks_count exact when twenty readers bookmark at once', async () => {
    const work = await scribe.postWork({ title: 'Popular Tides' });
    const readers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => ApiWriter.signUp(archive.app, `crowd${index}`)),
    );
    const bookmark = (reader: ApiWriter, index: number) =>
      archive.app.inject({
        method: 'POST',
        url: '/api/v1/bookmarks',
        headers: { authorization: `Bearer ${reader.token}` },
        payload: { work_id: work.id, private: index % 3 === 0, tags: ['crowd'] },
      });
    // Each reader sends the same bookmark twice at once: one is made, the other is told it exists.
    const responses = await Promise.all(
      readers.flatMap((reader, index) => [bookmark(reader, index), bookmark(reader, index)]),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    assert.deepEqual(statuses, [...Array(20).fill(201), ...Array(20).fill(409)]);
    const rows = await bookmarkRows(work.id);
    assert.equal(rows.length, 20);
    const publicRows = rows.filter((row) => row.private === 0).length;
    assert.equal(publicRows, 13);
    assert.equal(await bookmarksCount(work.id), publicRows);

    // And all of them changing their minds at once: half delete, half flip their bookmark's privacy.
    await Promise.all(
      readers.map(async (reader, index) => {
        const headers = { authorization: `Bearer ${reader.token}` };
        const own = await archive.app.inject({ method: 'GET', url: '/api/v1/bookmarks', headers });
        const { id, private: hidden } = own.json().bookmarks[0];
        const url = `/api/v1/bookmarks/${id}`;
        const change =
          index % 2 === 0
            ? archive.app.inject({ method: 'DELETE', url, headers })
            : archive.app.inject({ method: 'PATCH', url, headers, payload: { private: !hidden } });
        assert.ok([200, 204].includes((await change).statusCode));
      }),
    );
    const remaining = await bookmarkRows(work.id);
    assert.equal(await bookmarksCount(work.id), remaining.filter((row) => row.private === 0).length);
  });
});
