import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEMBER_PASSWORD, type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Orphaning (issue 12): a writer hands a work, a series or all their works to orphan_account, after a
// confirmation page; readers keep everything; the writer can no longer change the works; nobody can
// log in as orphan_account or take its name.

describe(`orphaning works (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;

  async function api(who: Member, method: string, url: string, payload?: object) {
    const response = await archive.app.inject({
      method: method as 'POST',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${who.api.token}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: () => response.json(), body: response.body };
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'lantern_wright');
    reader = await member(archive, 'gull_reader');
  });
  after(async () => archive.close());

  it('hands a work to orphan_account after a confirmation page, keeping its comments, kudos and bookmarks', async () => {
    const work = await writer.api.postWork({ title: 'The Lamp Room' });
    assert.equal(
      (await api(reader, 'POST', `/works/${work.id}/comments`, { body: 'Lovely light.' })).status,
      201,
    );
    assert.equal((await api(reader, 'POST', `/works/${work.id}/kudos`)).status, 201);
    assert.equal((await api(reader, 'POST', '/bookmarks', { work_id: work.id, notes: 'Keep' })).status, 201);

    assert.match(
      (await writer.page.get(`/works/${work.id}`)).body,
      new RegExp(`href="/orphans/new\\?work_id=${work.id}"`),
    );
    const confirm = await writer.page.get(`/orphans/new?work_id=${work.id}`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.body), /The Lamp Room/);
    assert.match(textOf(confirm.body), /for good ?: you will no longer be able to edit or delete them/);
    // Asking changes nothing.
    assert.equal((await api(writer, 'PATCH', `/works/${work.id}`, { summary: 'Still mine.' })).status, 200);

    const done = await writer.page.post('/orphans', { work_id: String(work.id), keep_pseud: '0' });
    assert.equal(done.status, 303);
    assert.equal(done.location, `/works/${work.id}`);

    const page = textOf((await reader.page.get(`/works/${work.id}`)).body);
    assert.match(page, /The Lamp Room/);
    assert.match(page, /orphan_account/);
    assert.doesNotMatch(page, /lantern_wright/);
    assert.match(page, /Lovely light\./);
    const shown = (await api(reader, 'GET', `/works/${work.id}`)).json();
    assert.deepEqual(shown.creators, ['orphan_account']);
    assert.equal(shown.kudos_count, 1);
    assert.equal(shown.comments_count, 1);
    assert.equal(shown.bookmarks_count, 1);

    // The former creator is a reader like any other now.
    assert.equal((await api(writer, 'PATCH', `/works/${work.id}`, { summary: 'Mine again?' })).status, 403);
    assert.equal((await api(writer, 'DELETE', `/works/${work.id}`)).status, 403);
    assert.equal((await writer.page.get(`/works/${work.id}/edit`)).status, 403);
    assert.equal((await writer.page.get(`/orphans/new?work_id=${work.id}`)).status, 403);
    // Nobody reads orphan_account's inbox, so nothing is put there.
    assert.equal(
      (await api(reader, 'POST', `/works/${work.id}/comments`, { body: 'Still lovely.' })).status,
      201,
    );
    const orphanInbox = await archive.archive.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select('notifications.id')
      .where('users.username', '=', 'orphan_account')
      .execute();
    assert.deepEqual(orphanInbox, []);
    const ownWorks = textOf((await reader.page.get('/users/lantern_wright/works')).body);
    assert.doesNotMatch(ownWorks, /The Lamp Room/);
    // Search reads the new byline too.
    const found = (await api(reader, 'GET', `/works?q=${encodeURIComponent('"lantern_wright"')}`)).json();
    assert.deepEqual(
      found.works.map((entry: { title: string }) => entry.title),
      [],
    );
  });

  it("keeps the pseud's name when asked, as a pseud of orphan_account (API)", async () => {
    const work = await writer.api.postWork({ title: 'Foghorn Letters' });
    const orphaned = await api(writer, 'POST', '/orphans', { work_id: work.id, keep_pseud: true });
    assert.equal(orphaned.status, 200, orphaned.body);
    assert.deepEqual(orphaned.json(), { works: [{ id: work.id, title: 'Foghorn Letters' }], series: [] });
    const page = (await reader.page.get(`/works/${work.id}`)).body;
    assert.match(textOf(page), /lantern_wright \(orphan_account\)/);
    // The name leads to orphan_account (its works, or its pseud of that name), never to the old account.
    assert.match(page, /href="\/users\/orphan_account\/[^"]*"[^>]*>lantern_wright \(orphan_account\)</);
    assert.doesNotMatch(page, /href="\/users\/lantern_wright\//);
    assert.equal((await api(writer, 'PATCH', `/works/${work.id}`, { summary: 'No.' })).status, 403);
  });

  it('orphans a series with the posted works in it; a draft in it leaves the series and stays the writer’s', async () => {
    const posted = await writer.api.postWork({ title: 'Tide One', series_title: 'Tide Tables' });
    const draft = await writer.api.postWork({ title: 'Tide Two', series_title: 'Tide Tables', draft: true });
    const series = await archive.archive.db
      .selectFrom('series_works')
      .select('series_id')
      .where('work_id', '=', posted.id)
      .executeTakeFirstOrThrow();
    assert.match(
      (await writer.page.get(`/series/${series.series_id}`)).body,
      new RegExp(`href="/orphans/new\\?series_id=${series.series_id}"`),
    );
    const confirm = textOf((await writer.page.get(`/orphans/new?series_id=${series.series_id}`)).body);
    assert.match(confirm, /Tide Tables/);
    assert.match(confirm, /Tide One/);
    assert.doesNotMatch(confirm, /Tide Two/);

    const orphaned = await api(writer, 'POST', '/orphans', { series_id: series.series_id });
    assert.equal(orphaned.status, 200, orphaned.body);
    assert.deepEqual(orphaned.json().works, [{ id: posted.id, title: 'Tide One' }]);
    const seriesPage = textOf((await reader.page.get(`/series/${series.series_id}`)).body);
    assert.match(seriesPage, /orphan_account/);
    assert.equal((await writer.page.get(`/series/${series.series_id}/edit`)).status, 403);
    // The draft is still the writer's to finish, outside the series.
    assert.equal((await api(writer, 'PATCH', `/works/${draft.id}`, { summary: 'Later.' })).status, 200);
    const placement = await archive.archive.db
      .selectFrom('series_works')
      .select('work_id')
      .where('work_id', '=', draft.id)
      .executeTakeFirst();
    assert.equal(placement, undefined);
  });

  it('orphans all of a writer’s posted works at once, and refuses what cannot or may not be orphaned', async () => {
    const other = await member(archive, 'all_at_once');
    const first = await other.api.postWork({ title: 'Beacon A' });
    const second = await other.api.postWork({ title: 'Beacon B' });
    const draft = await other.api.postWork({ title: 'Beacon Draft', draft: true });

    assert.equal((await api(other, 'POST', '/orphans', { work_id: draft.id })).status, 400);
    assert.equal((await api(reader, 'POST', '/orphans', { work_id: first.id })).status, 403);
    assert.equal((await api(other, 'POST', '/orphans', { work_id: first.id, all_works: true })).status, 400);
    const guest = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/orphans',
      payload: { all_works: true },
    });
    assert.equal(guest.statusCode, 401);

    assert.match(
      (await other.page.get('/users/all_at_once/preferences')).body,
      /href="\/orphans\/new\?all_works=1"/,
    );
    const confirm = textOf((await other.page.get('/orphans/new?all_works=1')).body);
    assert.match(confirm, /Beacon A.*Beacon B/);
    const done = await other.page.post('/orphans', { all_works: '1', keep_pseud: '0' });
    assert.equal(done.status, 303);
    for (const work of [first, second]) {
      assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, ['orphan_account']);
    }
    assert.equal((await api(other, 'PATCH', `/works/${draft.id}`, { summary: 'Mine.' })).status, 200);
    assert.equal((await api(other, 'POST', '/orphans', { all_works: true })).status, 400);
  });

  it('lets nobody log in as orphan_account, nor sign up with its name', async () => {
    const account = await archive.archive.db
      .selectFrom('users')
      .select(['password_hash', 'email'])
      .where('username', '=', 'orphan_account')
      .executeTakeFirstOrThrow();
    assert.equal(account.email, 'orphan_account@invalid');
    for (const password of [account.password_hash, MEMBER_PASSWORD, '']) {
      const session = new ReaderSession(archive.app);
      const login = await session.logIn('orphan_account', password);
      assert.notEqual(login.status, 303);
      assert.equal(session.hasCookie('quire_session'), false);
      const token = await archive.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { username: 'orphan_account', password },
      });
      assert.ok(token.statusCode >= 400 && token.statusCode < 500, `${token.statusCode}`);
    }
    const refused = new ReaderSession(archive.app);
    const login = await refused.logIn('orphan_account', 'anything at all');
    assert.match(textOf(login.body), /Nobody can log in as orphan_account/);

    for (const username of ['orphan_account', 'Orphan_Account']) {
      const signUp = await archive.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { username, email: `${username}@example.org`, password: MEMBER_PASSWORD },
      });
      assert.ok([400, 409].includes(signUp.statusCode), `${username}: ${signUp.statusCode} ${signUp.body}`);
    }
  });
});
