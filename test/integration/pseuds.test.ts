import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`pseuds (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let other: Member;
  let guest: ReaderSession;

  async function api(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token: string | null,
    payload?: object,
  ) {
    const response = await archive.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null, body: response.body };
  }

  async function pseudRows(userId: number) {
    return archive.archive.db
      .selectFrom('pseuds')
      .select(['id', 'name', 'is_default'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'tidewright');
    other = await member(archive, 'saltmarsh');
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  it('lets a member add, describe and rename pseuds on the pages, listed at /users/LOGIN/pseuds', async () => {
    assert.equal((await guest.get('/users/tidewright/pseuds/new')).status, 401);
    assert.equal((await other.page.get('/users/tidewright/pseuds/new')).status, 403);
    const form = await writer.page.get('/users/tidewright/pseuds/new');
    assert.equal(form.status, 200);
    const created = await writer.page.submit('/users/tidewright/pseuds', {
      name: '  Storm   Petrel ',
      description: '<p>Writes <b>weather</b>.<script>alert(1)</script></p>',
    });
    assert.match(textOf(created.body), /Storm Petrel \(tidewright\)/);
    assert.match(created.body, /<b>weather<\/b>/);
    assert.doesNotMatch(created.body, /<script>alert/);

    // Names are unique per account whatever the case, and plain.
    const twice = await writer.page.post('/users/tidewright/pseuds', { name: 'storm petrel' });
    assert.equal(twice.status, 409);
    assert.match(textOf(twice.body), /already have a pseud by that name/);
    const odd = await writer.page.post('/users/tidewright/pseuds', { name: 'Storm/Petrel<' });
    assert.equal(odd.status, 400);
    assert.match(textOf(odd.body), /letters, digits, spaces, underscores and hyphens/);
    assert.equal((await writer.page.post('/users/tidewright/pseuds', { name: 'x'.repeat(41) })).status, 400);
    // Another member may use the same name for a pseud of their own.
    assert.equal(
      (await api('POST', '/api/v1/pseuds', other.api.token, { name: 'Storm Petrel' })).status,
      201,
    );

    const list = await guest.get('/users/tidewright/pseuds');
    assert.equal(list.status, 200);
    assert.match(textOf(list.body), /tidewright \(default\) .*Storm Petrel/);
    assert.doesNotMatch(list.body, /New Pseud/);

    await writer.page.get('/users/tidewright/pseuds/Storm%20Petrel/edit');
    const renamed = await writer.page.submit('/users/tidewright/pseuds/Storm%20Petrel', {
      name: 'Storm-Petrel',
      description: 'Writes weather.',
    });
    assert.match(textOf(renamed.body), /Storm-Petrel \(tidewright\)/);
    assert.equal((await guest.get('/users/tidewright/pseuds/Storm%20Petrel')).status, 404);
    assert.equal((await guest.get('/users/tidewright/pseuds/storm-petrel')).status, 200);
    // Only the owner edits.
    assert.equal((await other.page.get('/users/tidewright/pseuds/Storm-Petrel/edit')).status, 403);
    assert.equal(
      (await other.page.post('/users/tidewright/pseuds/Storm-Petrel', { name: 'Taken' })).status,
      403,
    );
    assert.deepEqual(
      (await pseudRows(writer.id)).map((row) => row.name),
      ['tidewright', 'Storm-Petrel'],
    );
  });

  it('has API twins: list, create, change, make default, and the default cannot be deleted', async () => {
    const listed = await api('GET', '/api/v1/users/tidewright/pseuds', null);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.json.pseuds.map((pseud: { name: string; default: boolean }) => [pseud.name, pseud.default]),
      [
        ['tidewright', true],
        ['Storm-Petrel', false],
      ],
    );
    assert.equal((await api('GET', '/api/v1/users/nobodyhere/pseuds', null)).status, 404);
    assert.equal((await api('POST', '/api/v1/pseuds', null, { name: 'Guesting' })).status, 401);
    const made = await api('POST', '/api/v1/pseuds', writer.api.token, {
      name: 'Lantern',
      description: 'Night shifts',
    });
    assert.equal(made.status, 201, made.body);
    assert.equal(made.json.default, false);
    assert.equal(made.json.description, 'Night shifts');
    assert.match(made.json.url, /\/users\/tidewright\/pseuds\/Lantern$/);
    assert.equal((await api('POST', '/api/v1/pseuds', writer.api.token, { name: 'LANTERN' })).status, 409);

    // Someone else's pseud cannot be changed or deleted.
    assert.equal(
      (await api('PATCH', `/api/v1/pseuds/${made.json.id}`, other.api.token, { name: 'Mine' })).status,
      403,
    );
    assert.equal((await api('DELETE', `/api/v1/pseuds/${made.json.id}`, other.api.token)).status, 403);

    const defaulted = await api('PATCH', `/api/v1/pseuds/${made.json.id}`, writer.api.token, {
      default: true,
    });
    assert.equal(defaulted.status, 200, defaulted.body);
    assert.equal(defaulted.json.default, true);
    const rows = await pseudRows(writer.id);
    assert.deepEqual(
      rows.filter((row) => row.is_default === 1).map((row) => row.name),
      ['Lantern'],
      'exactly one default',
    );
    const refused = await api('DELETE', `/api/v1/pseuds/${made.json.id}`, writer.api.token);
    assert.equal(refused.status, 400);
    assert.match(refused.json.error.message, /default pseud/);
    const unset = await api('PATCH', `/api/v1/pseuds/${made.json.id}`, writer.api.token, { default: false });
    assert.equal(unset.status, 400);
    // Back to the login as default for the tests that follow.
    const login = rows.find((row) => row.name === 'tidewright')!;
    assert.equal(
      (await api('PATCH', `/api/v1/pseuds/${login.id}`, writer.api.token, { default: true })).status,
      200,
    );
  });

  it('keeps exactly one default pseud when making one the default races deleting it', async () => {
    const rows = await pseudRows(writer.id);
    const login = rows.find((row) => row.name === 'tidewright')!;
    for (let round = 0; round < 6; round++) {
      const made = await api('POST', '/api/v1/pseuds', writer.api.token, { name: `Racer ${round}` });
      const [promoted, deleted] = await Promise.all([
        api('PATCH', `/api/v1/pseuds/${made.json.id}`, writer.api.token, { default: true }),
        api('DELETE', `/api/v1/pseuds/${made.json.id}`, writer.api.token),
      ]);
      // One of them wins; the other is told why (gone, or now the default).
      assert.ok(
        (promoted.status === 200 && deleted.status === 400) ||
          (deleted.status === 204 && promoted.status === 404),
        `round ${round}: PATCH ${promoted.status}, DELETE ${deleted.status}`,
      );
      const defaults = (await pseudRows(writer.id)).filter((row) => row.is_default === 1);
      assert.equal(defaults.length, 1, `round ${round}: one default`);
      await api('PATCH', `/api/v1/pseuds/${login.id}`, writer.api.token, { default: true });
      await api('DELETE', `/api/v1/pseuds/${made.json.id}`, writer.api.token);
    }
    // Posting under a pseud while it is deleted: the work is posted under it and moves, or is refused.
    for (let round = 0; round < 4; round++) {
      const made = await api('POST', '/api/v1/pseuds', writer.api.token, { name: `Fleeting ${round}` });
      const [deleted, posted] = await Promise.all([
        api('DELETE', `/api/v1/pseuds/${made.json.id}`, writer.api.token),
        api('POST', '/api/v1/works', writer.api.token, {
          title: `Fleeting Work ${round}`,
          rating: 'General Audiences',
          warnings: ['No Archive Warnings Apply'],
          fandoms: ['Original Work'],
          chapters: [{ body: '<p>Brief.</p>' }],
          pseud: `Fleeting ${round}`,
        }),
      ]);
      assert.equal(deleted.status, 204);
      assert.ok([201, 400].includes(posted.status), `round ${round}: POST ${posted.status} ${posted.body}`);
      if (posted.status === 201) {
        const work = await api('GET', `/api/v1/works/${posted.json.id}`, null);
        assert.deepEqual(work.json.creators, ['tidewright']);
        await api('DELETE', `/api/v1/works/${posted.json.id}`, writer.api.token);
      }
    }
  });

  it('credits a work to the pseud chosen (API and form), refuses another account’s pseud, and bylines read Pseud (LOGIN)', async () => {
    const work = await writer.api.postWork({ title: 'Petrel Weather', pseud: 'Storm-Petrel' });
    assert.deepEqual(work.creators, ['Storm-Petrel']);
    const refused = await api('POST', '/api/v1/works', writer.api.token, {
      title: 'Borrowed Name',
      rating: 'General Audiences',
      warnings: ['No Archive Warnings Apply'],
      fandoms: ['Original Work'],
      chapters: [{ body: '<p>Text.</p>' }],
      pseud: 'saltmarsh',
    });
    assert.equal(refused.status, 400);
    assert.ok(refused.json.error.fields.pseud);

    // The work form shows the select only to a member with more than one pseud, the default chosen.
    const form = await writer.page.get('/works/new');
    assert.match(form.body, /<select[^>]*name="pseud"/);
    assert.match(form.body, /<option value="tidewright" selected/);
    const single = await (await member(archive, 'onlyone')).page.get('/works/new');
    assert.doesNotMatch(single.body, /name="pseud"/);
    const posted = await writer.page.submit('/works', {
      ...sampleWork,
      title: 'Lantern Hours',
      pseud: 'Lantern',
    });
    assert.match(textOf(posted.body), /by Lantern \(tidewright\)/);
    assert.match(posted.body, /href="\/users\/tidewright\/pseuds\/Lantern"/);

    // The pseud page lists its works, visible ones only.
    await writer.api.postWork({ title: 'Petrel Draft', pseud: 'Storm-Petrel', draft: true });
    await writer.api.postWork({ title: 'Petrel Members', pseud: 'Storm-Petrel', restricted: true });
    const page = textOf((await guest.get('/users/tidewright/pseuds/Storm-Petrel')).body);
    assert.match(page, /Petrel Weather/);
    assert.doesNotMatch(page, /Petrel Draft|Petrel Members|Lantern Hours/);
    assert.match(
      textOf((await other.page.get('/users/tidewright/pseuds/Storm-Petrel/works')).body),
      /Petrel Members/,
    );

    // Changing the pseud of a work through PATCH.
    const moved = await api('PATCH', `/api/v1/works/${work.id}`, writer.api.token, { pseud: 'Lantern' });
    assert.equal(moved.status, 200, moved.body);
    assert.deepEqual(moved.json.creators, ['Lantern']);
    const back = await api('PATCH', `/api/v1/works/${work.id}`, writer.api.token, { pseud: 'Storm-Petrel' });
    assert.deepEqual(back.json.creators, ['Storm-Petrel']);
    // The edit form shows the pseud the work is under, and saving it unchanged keeps it.
    const edit = await writer.page.get(`/works/${work.id}/edit`);
    assert.match(edit.body, /<option value="Storm-Petrel" selected/);

    // Downloads and feeds carry the same byline.
    const download = await guest.get(`/downloads/${work.id}/petrel_weather.html`);
    assert.equal(download.status, 200);
    assert.match(
      download.body,
      /by <a[^>]*href="[^"]*\/users\/tidewright\/pseuds\/Storm-Petrel"[^>]*>Storm-Petrel \(tidewright\)<\/a>/,
    );
    const feed = await guest.get('/users/tidewright/works/feed.atom');
    assert.match(feed.body, /<name>Storm-Petrel \(tidewright\)<\/name>/);
  });

  it('comments and bookmarks under the pseud chosen on their forms, and refuse another account’s pseud', async () => {
    const work = await other.api.postWork({ title: 'Marsh Lights' });
    // A member with one pseud is not asked; this one is, the default chosen.
    const page = await writer.page.get(`/works/${work.id}`);
    assert.match(page.body, /<select[^>]*name="pseud"[\s\S]*<option value="tidewright" selected/);
    assert.doesNotMatch((await guest.get(`/works/${work.id}`)).body, /name="pseud"/);
    const commented = await writer.page.submit(`/works/${work.id}/comments`, {
      body: 'Lamps!',
      pseud: 'Lantern',
    });
    assert.match(textOf(commented.body), /Lantern \(tidewright\) \d{4}-\d{2}-\d{2} Lamps!/);
    assert.match(commented.body, /class="comment-author" href="\/users\/tidewright\/pseuds\/Lantern"/);
    const borrowed = await api('POST', `/api/v1/works/${work.id}/comments`, writer.api.token, {
      body: 'As someone else',
      pseud: 'saltmarsh',
    });
    assert.equal(borrowed.status, 400);
    assert.ok(borrowed.json.error.fields.pseud);

    const form = await writer.page.get(`/works/${work.id}/bookmarks/new`);
    assert.match(form.body, /<select[^>]*name="pseud"/);
    await writer.page.submit(`/works/${work.id}/bookmarks`, { notes: 'Glowing.', pseud: 'Lantern' });
    const listed = await guest.get(`/works/${work.id}/bookmarks`);
    assert.match(textOf(listed.body), /Bookmarked by Lantern \(tidewright\)/);
    const refused = await api('POST', '/api/v1/bookmarks', other.api.token, {
      work_id: (await writer.api.postWork({ title: 'Not Yours' })).id,
      pseud: 'Lantern',
    });
    assert.equal(refused.status, 400);
    assert.ok(refused.json.error.fields.pseud);
    const mine = await api('GET', '/api/v1/bookmarks', writer.api.token);
    const bookmark = mine.json.bookmarks.find((entry: { work: { id: number } }) => entry.work.id === work.id);
    assert.equal(bookmark.pseud, 'Lantern');
    const moved = await api('PATCH', `/api/v1/bookmarks/${bookmark.id}`, writer.api.token, {
      pseud: 'tidewright',
    });
    assert.equal(moved.status, 200, moved.body);
    assert.equal(moved.json.pseud, 'tidewright');
  });

  it('moves a deleted pseud’s works, comments and bookmarks to the default pseud', async () => {
    const rows = await pseudRows(writer.id);
    const petrel = rows.find((row) => row.name === 'Storm-Petrel')!;
    const target = await other.api.postWork({ title: 'Salt Flats' });
    const comment = await api('POST', `/api/v1/works/${target.id}/comments`, writer.api.token, {
      body: 'Lovely marsh.',
      pseud: 'Storm-Petrel',
    });
    assert.equal(comment.status, 201, comment.body);
    const bookmark = await api('POST', '/api/v1/bookmarks', writer.api.token, {
      work_id: target.id,
      pseud: 'Storm-Petrel',
    });
    assert.equal(bookmark.status, 201, bookmark.body);
    assert.match(textOf((await guest.get(`/works/${target.id}`)).body), /Storm-Petrel \(tidewright\)/);

    await writer.page.get('/users/tidewright/pseuds/Storm-Petrel/edit');
    const deleted = await writer.page.submit('/users/tidewright/pseuds/Storm-Petrel/delete', {});
    assert.match(textOf(deleted.body), /now under your default pseud/);
    assert.doesNotMatch(deleted.body, /href="\/users\/tidewright\/pseuds\/Storm-Petrel"/);
    assert.equal((await guest.get('/users/tidewright/pseuds/Storm-Petrel')).status, 404);

    const db = archive.archive.db;
    const login = rows.find((row) => row.name === 'tidewright')!;
    const credits = await db
      .selectFrom('work_creators')
      .innerJoin('works', 'works.id', 'work_creators.work_id')
      .select(['works.title', 'work_creators.pseud_id'])
      .where('works.title', 'like', 'Petrel%')
      .execute();
    assert.equal(credits.length, 3);
    assert.ok(credits.every((credit) => credit.pseud_id === login.id));
    const commentRow = await db
      .selectFrom('comments')
      .select('pseud_id')
      .where('id', '=', comment.json.id)
      .executeTakeFirstOrThrow();
    assert.equal(commentRow.pseud_id, login.id);
    const bookmarkRow = await db
      .selectFrom('bookmarks')
      .select('pseud_id')
      .where('id', '=', bookmark.json.id)
      .executeTakeFirstOrThrow();
    assert.equal(bookmarkRow.pseud_id, login.id);
    assert.equal(
      await db.selectFrom('pseuds').select('id').where('id', '=', petrel.id).executeTakeFirst(),
      undefined,
    );
    const weather = await db
      .selectFrom('works')
      .select('id')
      .where('title', '=', 'Petrel Weather')
      .executeTakeFirstOrThrow();
    assert.match(textOf((await guest.get(`/works/${weather.id}`)).body), /Petrel Weather by tidewright/);
    assert.match(textOf((await guest.get(`/works/${target.id}`)).body), /Comment tidewright \d{4}/);
  });
});
