import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const HOSTILE_ABOUT =
  '<p>I write <b>lighthouses</b>.<script>alert(1)</script> <a href="javascript:alert(2)" onclick="steal()">Me</a></p>' +
  '<img src="x" onerror="alert(3)">';

describe(`profiles (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;
  let guest: ReaderSession;

  async function api(method: 'GET' | 'PATCH', url: string, token: string | null, payload?: object) {
    const response = await archive.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: response.json() };
  }

  async function storedAbout(): Promise<string | null> {
    const row = await archive.archive.db
      .selectFrom('users')
      .select('about')
      .where('id', '=', writer.id)
      .executeTakeFirstOrThrow();
    return row.about;
  }

  /** The counts a profile page shows, as a reader reads them. */
  function pageCounts(html: string) {
    const text = textOf(html);
    const count = (label: string) => Number(text.match(new RegExp(`${label}: (\\d+)`))?.[1]);
    return { works: count('Works'), series: count('Series'), bookmarks: count('Bookmarks') };
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'lampwright');
    reader = await member(archive, 'gullwatcher');
    guest = new ReaderSession(archive.app);
    // One work of each visibility, each the only part of its own series.
    await writer.api.postWork({ title: 'Public Light', series_title: 'Open Series' });
    await writer.api.postWork({ title: 'Members Light', restricted: true, series_title: 'Members Series' });
    await writer.api.postWork({ title: 'Draft Light', draft: true, series_title: 'Draft Series' });
    // The writer's bookmarks: a public one of a public work, one of a restricted work, a private one.
    const open = await reader.api.postWork({ title: 'Gulls In Spring' });
    const restricted = await reader.api.postWork({ title: 'Gulls In Winter', restricted: true });
    const privately = await reader.api.postWork({ title: 'Gulls At Night' });
    for (const [work, isPrivate] of [
      [open, false],
      [restricted, false],
      [privately, true],
    ] as const) {
      const bookmark = await archive.app.inject({
        method: 'POST',
        url: '/api/v1/bookmarks',
        headers: { authorization: `Bearer ${writer.api.token}` },
        payload: { work_id: work.id, private: isPrivate },
      });
      assert.equal(bookmark.statusCode, 201, bookmark.body);
    }
  });
  after(async () => archive.close());

  it('shows the join date, pseuds and counts of what the viewer may open, never drafts or private bookmarks', async () => {
    const seen = await guest.get('/users/LampWright/profile');
    assert.equal(seen.status, 200);
    const text = textOf(seen.body);
    const joined = (
      await archive.archive.db
        .selectFrom('users')
        .select('created_at')
        .where('id', '=', writer.id)
        .executeTakeFirstOrThrow()
    ).created_at.slice(0, 10);
    assert.match(text, new RegExp(`I joined on: ${joined}`));
    assert.match(text, /My pseuds: lampwright/);
    assert.match(text, /Nothing here yet/);
    assert.ok(!seen.body.includes('lampwright@example.org'), 'the address is nobody’s business');
    assert.deepEqual(pageCounts(seen.body), { works: 1, series: 1, bookmarks: 1 });
    assert.deepEqual(pageCounts((await reader.page.get('/users/lampwright/profile')).body), {
      works: 2,
      series: 2,
      bookmarks: 2,
    });
    const own = await writer.page.get('/users/lampwright/profile');
    assert.deepEqual(pageCounts(own.body), { works: 2, series: 2, bookmarks: 2 });
    assert.match(own.body, /href="\/users\/lampwright\/profile\/edit"/);
    assert.doesNotMatch(seen.body, /profile\/edit/);

    assert.equal((await guest.get('/users/nobodyatall/profile')).status, 404);
  });

  it('is linked, with the pseuds, from the user’s other pages', async () => {
    const works = await guest.get('/users/lampwright/works');
    assert.match(works.body, /href="\/users\/lampwright\/profile"/);
    assert.match(works.body, /href="\/users\/lampwright\/pseuds"/);
  });

  it('has an API twin that counts as the pages do', async () => {
    const asGuest = await api('GET', '/api/v1/users/lampwright', null);
    assert.equal(asGuest.status, 200);
    assert.equal(asGuest.json.username, 'lampwright');
    assert.match(asGuest.json.url, /\/users\/lampwright\/profile$/);
    assert.deepEqual(asGuest.json.pseuds, [{ name: 'lampwright', default: true }]);
    assert.deepEqual(asGuest.json.counts, { works: 1, series: 1, bookmarks: 1 });
    assert.ok(!JSON.stringify(asGuest.json).includes('@example.org'));
    const asMember = await api('GET', '/api/v1/users/lampwright', reader.api.token);
    assert.deepEqual(asMember.json.counts, { works: 2, series: 2, bookmarks: 2 });
    const unknown = await api('GET', '/api/v1/users/nobodyatall', null);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'not_found');
  });

  it('lets its owner alone write the about text, sanitised', async () => {
    assert.equal((await guest.get('/users/lampwright/profile/edit')).status, 401);
    assert.equal((await reader.page.get('/users/lampwright/profile/edit')).status, 403);
    await reader.page.get('/users/gullwatcher/profile/edit');
    assert.equal((await reader.page.post('/users/lampwright/profile', { about: 'Taken over' })).status, 403);
    assert.equal(await storedAbout(), null);

    const form = await writer.page.get('/users/lampwright/profile/edit');
    assert.equal(form.status, 200);
    const shown = await writer.page.submit('/users/lampwright/profile', { about: HOSTILE_ABOUT });
    assert.match(textOf(shown.body), /Your profile has been successfully updated\./);
    assert.match(textOf(shown.body), /About lampwright I write lighthouses \. Me Powered by/);
    assert.match(shown.body, /<b>lighthouses<\/b>/);
    for (const body of [shown.body, (await guest.get('/users/lampwright/profile')).body]) {
      assert.doesNotMatch(body, /<script>alert|javascript:|onclick|onerror/);
    }
    const stored = await storedAbout();
    assert.ok(stored?.includes('<b>lighthouses</b>') && !stored.includes('script'));
    // The form shows it again as stored, and saving it unchanged keeps it.
    const again = await writer.page.get('/users/lampwright/profile/edit');
    const inForm = again.body.match(/<textarea[^>]*name="about"[^>]*>([^<]*)<\/textarea>/)?.[1] ?? '';
    const decoded = inForm
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    assert.equal(decoded, stored);
    await writer.page.submit('/users/lampwright/profile', { about: stored! });
    assert.equal(await storedAbout(), stored);
  });

  it('counts the 2,000-character limit on the text, and refuses more with a clear message', async () => {
    const before = await storedAbout();
    await writer.page.get('/users/lampwright/profile/edit');
    const tooLong = await writer.page.post('/users/lampwright/profile', { about: 'a'.repeat(2001) });
    assert.equal(tooLong.status, 400);
    assert.match(textOf(tooLong.body), /About can be at most 2,000 characters of text\./);
    assert.equal(await storedAbout(), before);
    // Markup does not count: 2,000 characters in bold, more than 2,000 characters of HTML.
    const bold = `<p>${'<b>word</b> '.repeat(400).trim()}</p>`;
    assert.ok(bold.length > 2000);
    await writer.page.get('/users/lampwright/profile/edit');
    assert.equal((await writer.page.post('/users/lampwright/profile', { about: bold })).status, 303);
  });

  it('changes the about text through PATCH /api/v1/users/{login}/profile, for its owner only', async () => {
    const changed = await api('PATCH', '/api/v1/users/lampwright/profile', writer.api.token, {
      about: 'Keeper of <i>lamps</i>.<script>x()</script>',
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.json.about, 'Keeper of <i>lamps</i>.');
    assert.deepEqual(changed.json.counts, { works: 2, series: 2, bookmarks: 2 });

    const refused = await api('PATCH', '/api/v1/users/lampwright/profile', reader.api.token, {
      about: 'Mine',
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'forbidden');
    assert.equal(
      (await api('PATCH', '/api/v1/users/lampwright/profile', null, { about: 'Mine' })).status,
      401,
    );
    assert.equal(
      (await api('PATCH', '/api/v1/users/nobodyatall/profile', writer.api.token, { about: 'x' })).status,
      404,
    );
    const invalid = await api('PATCH', '/api/v1/users/lampwright/profile', writer.api.token, { about: 7 });
    assert.equal(invalid.status, 400);
    assert.ok(invalid.json.error.fields.about);
    assert.equal(await storedAbout(), 'Keeper of <i>lamps</i>.');

    const cleared = await api('PATCH', '/api/v1/users/lampwright/profile', writer.api.token, { about: '' });
    assert.equal(cleared.json.about, '');
    assert.equal(await storedAbout(), null);
  });
});
