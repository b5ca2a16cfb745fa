import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ApiWriter } from '../support/apiClient.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const PASSWORD = 'long enough password';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0';

/** A member with both an API token and a logged-in browser session. */
async function member(app: FastifyInstance, username: string) {
  const api = await ApiWriter.signUp(app, username);
  const page = new ReaderSession(app);
  const login = await page.logIn(username, PASSWORD);
  assert.equal(login.status, 303, login.body);
  return { api, page };
}

function bearer(writer: ApiWriter) {
  return { authorization: `Bearer ${writer.token}` };
}

/** Where a form's redirect goes, without the #fragment a browser would scroll to. */
function target(location: string | undefined): string {
  assert.ok(location, 'expected a redirect');
  return location.split('#')[0];
}

describe(`hits and kudos (${testDialect})`, () => {
  let archive: TestArchive;
  let app: FastifyInstance;
  let writer: Awaited<ReturnType<typeof member>>;
  let reader: Awaited<ReturnType<typeof member>>;
  let workId: number;
  let chapterIds: number[];

  before(async () => {
    archive = await startTestArchive();
    app = archive.app;
    writer = await member(app, 'quillwright');
    reader = await member(app, 'nightreader');
    const work = await writer.api.postWork({
      title: 'Tidewater',
      chapters: [{ body: '<p>The first tide.</p>' }, { body: '<p>The second tide.</p>' }],
    });
    workId = work.id;
    chapterIds = (work.chapters as { id: number }[]).map((chapter) => chapter.id);
  });
  after(async () => archive.close());

  async function hits(): Promise<number> {
    const response = await app.inject({ method: 'GET', url: `/api/v1/works/${workId}` });
    return response.json().hits;
  }

  async function kudosCount(id = workId): Promise<number> {
    const response = await app.inject({ method: 'GET', url: `/api/v1/works/${id}` });
    return response.json().kudos_count;
  }

  function visit(url: string, headers: Record<string, string>, remoteAddress = '192.0.2.10') {
    return app.inject({ method: 'GET', url, headers, remoteAddress });
  }

  it('counts a hit once per visitor per day, not for bots or the creator', async () => {
    assert.equal(await hits(), 0);
    const first = await visit(`/works/${workId}`, { 'user-agent': BROWSER });
    assert.equal(first.statusCode, 200);
    await visit(`/works/${workId}`, { 'user-agent': BROWSER });
    assert.equal(await hits(), 1, 'a reload by the same guest is not another hit');
    // The same guest reading on chapter by chapter is still the same visitor of the same work.
    await visit(`/works/${workId}/chapters/${chapterIds[1]}`, { 'user-agent': BROWSER });
    assert.equal(await hits(), 1);

    await visit(`/works/${workId}/chapters/${chapterIds[1]}`, { 'user-agent': BROWSER }, '192.0.2.11');
    assert.equal(await hits(), 2, 'another guest is another hit');

    for (const agent of [
      'Mozilla/5.0 (compatible; Googlebot/2.1)',
      'Slackbot-LinkExpanding 1.0',
      'UptimeMonitor/3',
    ]) {
      const bot = await visit(`/works/${workId}`, { 'user-agent': agent }, '198.51.100.7');
      assert.equal(bot.statusCode, 200);
    }
    const head = await app.inject({ method: 'HEAD', url: `/works/${workId}`, remoteAddress: '198.51.100.8' });
    assert.equal(head.statusCode, 200);
    assert.equal(await hits(), 2, 'bots are not readers, and a HEAD request reads nothing');

    await writer.page.get(`/works/${workId}`);
    await writer.page.get(`/works/${workId}/chapters/${chapterIds[0]}`);
    assert.equal(await hits(), 2, "the creator's own views do not count");

    await reader.page.get(`/works/${workId}`);
    await reader.page.get(`/works/${workId}`);
    assert.equal(await hits(), 3, 'a member counts once a day too');
  });

  it('keeps no raw address in the hit records', async () => {
    const rows = await archive.archive.db.selectFrom('work_hits').select('visitor_key').execute();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.match(row.visitor_key, /^[0-9a-f]{64}$/);
      assert.doesNotMatch(row.visitor_key, /192\.0\.2/);
    }
  });

  it('shows a kudos button to readers, not to the creator', async () => {
    const page = await reader.page.get(`/works/${workId}`);
    assert.match(page.body, /<form[^>]*action="\/works\/\d+\/kudos"/);
    assert.match(page.body, /Kudos ♥/);
    assert.match(page.body, /<script src="\/assets\/kudos\.js" defer/);
    const own = await writer.page.get(`/works/${workId}`);
    assert.doesNotMatch(own.body, /Kudos ♥/);
  });

  it('takes kudos from a member and a guest through the plain form and lists them', async () => {
    await reader.page.get(`/works/${workId}/chapters/${chapterIds[1]}`);
    const left = await reader.page.post(`/works/${workId}/kudos`, { chapter_id: String(chapterIds[1]) });
    assert.equal(left.status, 303);
    assert.equal(left.location, `/works/${workId}/chapters/${chapterIds[1]}#kudos`);
    const back = await reader.page.get(target(left.location));
    assert.match(textOf(back.body), /Thank you for leaving kudos!/);
    assert.match(textOf(back.body), /nightreader left kudos on this work!/);
    assert.match(back.body, /<a href="\/users\/nightreader">nightreader<\/a>/);

    const guest = new ReaderSession(app);
    await guest.get(`/works/${workId}`);
    const guestKudos = await guest.post(`/works/${workId}/kudos`, {});
    assert.equal(guestKudos.status, 303);
    assert.equal(guestKudos.location, `/works/${workId}#kudos`);
    const page = await guest.get(target(guestKudos.location));
    assert.match(textOf(page.body), /nightreader and 1 guest left kudos on this work!/);
    assert.equal(await kudosCount(), 2);

    const again = await guest.post(`/works/${workId}/kudos`, {});
    assert.equal(again.status, 303);
    assert.match(
      textOf((await guest.get(target(again.location))).body),
      /You have already left kudos here\. :\)/,
    );
    assert.equal(await kudosCount(), 2);
  });

  it('refuses a second kudos from a member, on the page and in the API, leaving the count alone', async () => {
    await reader.page.get(`/works/${workId}`);
    const again = await reader.page.post(`/works/${workId}/kudos`, {});
    assert.equal(again.status, 303);
    const page = await reader.page.get(target(again.location));
    assert.match(textOf(page.body), /You have already left kudos here\. :\)/);

    const api = await app.inject({
      method: 'POST',
      url: `/api/v1/works/${workId}/kudos`,
      headers: bearer(reader.api),
    });
    assert.equal(api.statusCode, 409);
    assert.equal(api.json().error.code, 'conflict');
    assert.equal(await kudosCount(), 2);
  });

  it('asks for a token to leave kudos through the API (guests leave theirs on the page)', async () => {
    const response = await app.inject({ method: 'POST', url: `/api/v1/works/${workId}/kudos` });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 'unauthenticated');
    assert.equal(await kudosCount(), 2);
  });

  it("refuses kudos on the creator's own work", async () => {
    await writer.page.get(`/works/${workId}`);
    const page = await writer.page.post(`/works/${workId}/kudos`, {});
    assert.equal(page.status, 303);
    assert.match(
      textOf((await writer.page.get(target(page.location))).body),
      /You can't leave kudos on your own work\./,
    );
    const api = await app.inject({
      method: 'POST',
      url: `/api/v1/works/${workId}/kudos`,
      headers: bearer(writer.api),
    });
    assert.equal(api.statusCode, 403);
    assert.equal(await kudosCount(), 2);
  });

  it('answers the kudos script with JSON and the updated list', async () => {
    const late = await member(app, 'latecomer');
    const page = await late.page.get(`/works/${workId}`);
    const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.ok(token);
    const send = () =>
      app.inject({
        method: 'POST',
        url: `/works/${workId}/kudos`,
        headers: { cookie: late.page.cookieHeader(), accept: 'application/json', 'x-csrf-token': token },
      });
    const response = await send();
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.kudos_count, 3);
    assert.deepEqual(
      body.users.map((user: { username: string }) => user.username),
      ['latecomer', 'nightreader'],
    );
    assert.equal(body.guests, 1);
    const again = await send();
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.message, 'You have already left kudos here. :)');
    const forged = await app.inject({
      method: 'POST',
      url: `/works/${workId}/kudos`,
      headers: { cookie: late.page.cookieHeader(), accept: 'application/json' },
    });
    assert.equal(forged.statusCode, 403, 'the CSRF check still applies');
  });

  it('lists kudos in the API', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/works/${workId}/kudos` });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.count, 3);
    assert.equal(body.guests, 1);
    assert.deepEqual(
      body.users.map((user: { username: string }) => user.username),
      ['latecomer', 'nightreader'],
    );
    assert.match(body.users[0].url, /\/users\/latecomer$/);
    const noWork = await app.inject({ method: 'GET', url: '/api/v1/works/first/kudos' });
    assert.equal(noWork.statusCode, 404);
    assert.equal(noWork.json().error.code, 'not_found');
  });

  it('keeps kudos on restricted works to members and refuses them on drafts', async () => {
    const restricted = await writer.api.postWork({ title: 'Members Only', restricted: true });
    const guest = new ReaderSession(app);
    await guest.get('/users/login');
    // To a guest a restricted work is as missing as any unknown id, so its ids cannot be listed.
    const refused = await guest.post(`/works/${restricted.id}/kudos`, {});
    assert.equal(refused.status, 404);
    const listed = await app.inject({ method: 'GET', url: `/api/v1/works/${restricted.id}/kudos` });
    assert.equal(listed.statusCode, 404);
    const byMember = await app.inject({
      method: 'POST',
      url: `/api/v1/works/${restricted.id}/kudos`,
      headers: bearer(reader.api),
    });
    assert.equal(byMember.statusCode, 201);
    assert.deepEqual(byMember.json(), { kudos_count: 1 });

    const draft = await writer.api.postWork({ title: 'Not Yet', draft: true });
    const onDraft = await app.inject({
      method: 'POST',
      url: `/api/v1/works/${draft.id}/kudos`,
      headers: bearer(reader.api),
    });
    assert.equal(onDraft.statusCode, 404);
    const viewed = await reader.page.get(`/works/${draft.id}`);
    assert.equal(viewed.status, 404);
    const draftKudos = await archive.archive.db
      .selectFrom('kudos')
      .select('id')
      .where('work_id', '=', draft.id)
      .execute();
    assert.equal(draftKudos.length, 0);
  });

  it('keeps kudos_count equal to the kudos rows under concurrent requests', async () => {
    const work = await writer.api.postWork({ title: 'Crowded Harbour' });
    const readers = await Promise.all(
      Array.from({ length: 26 }, (_, index) => ApiWriter.signUp(app, `crowd${index}`)),
    );
    const eager = readers[25];
    const leave = (who: ApiWriter) =>
      app.inject({ method: 'POST', url: `/api/v1/works/${work.id}/kudos`, headers: bearer(who) });
    const responses = await Promise.all([
      ...readers.slice(0, 25).map(leave),
      ...Array.from({ length: 10 }, () => leave(eager)),
    ]);
    const statuses = responses.map((response) => response.statusCode);
    assert.equal(statuses.filter((status) => status === 201).length, 26, statuses.join(' '));
    assert.equal(statuses.filter((status) => status === 409).length, 9, statuses.join(' '));
    const rows = await archive.archive.db
      .selectFrom('kudos')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('work_id', '=', work.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(rows.n), 26);
    assert.equal(await kudosCount(work.id), 26);
  });
});

describe(`kudos rate limit (${testDialect})`, () => {
  let archive: TestArchive;

  before(async () => {
    archive = await startTestArchive({ environment: { QUIRE_RATE_LIMIT: 'on' } });
  });
  after(async () => archive.close());

  it('refuses kudos with 429 once a client has used its budget, on the API and the page alike', async () => {
    const { app, config } = archive;
    const writer = await ApiWriter.signUp(app, 'limitedwriter');
    const reader = await ApiWriter.signUp(app, 'keenreader');
    const work = await writer.postWork({ title: 'Much Loved' });
    const leave = () =>
      app.inject({ method: 'POST', url: `/api/v1/works/${work.id}/kudos`, headers: bearer(reader) });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < config.rateLimits.kudos.max; attempt += 1)
      statuses.push((await leave()).statusCode);
    assert.deepEqual([...new Set(statuses)], [201, 409]);
    const limited = await leave();
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'rate_limited');

    const guest = new ReaderSession(app);
    await guest.get(`/works/${work.id}`);
    const page = await guest.post(`/works/${work.id}/kudos`, {});
    assert.equal(page.status, 429);
    assert.match(textOf(page.body), /Too many attempts/);
    assert.equal(
      (await app.inject({ method: 'GET', url: `/api/v1/works/${work.id}` })).json().kudos_count,
      1,
    );
  });
});
