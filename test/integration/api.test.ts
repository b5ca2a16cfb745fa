import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const apiWork = {
  title: 'Salt and Signal',
  summary: 'Two keepers trade messages across the bay.',
  rating: 'Teen And Up Audiences',
  warnings: ['No Archive Warnings Apply'],
  categories: ['F/F'],
  fandoms: ['Original Work'],
  relationships: ['Keeper/Keeper'],
  characters: ['North Keeper', 'South Keeper'],
  freeforms: ['Epistolary', 'Slow Burn'],
  language: 'en',
  expected_chapters: 3,
  chapters: [
    { title: 'Morning', body: '<p>One two three.</p>' },
    { title: 'Noon', body: 'Four *five* six seven.', format: 'markdown' },
  ],
};

describe(`JSON API v1 (${testDialect})`, () => {
  let archive: TestArchive;
  let token: string;
  let otherToken: string;
  let workId: number;

  async function call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    bearer?: string,
  ) {
    const response = await archive.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
    return { status: response.statusCode, json: response.body ? response.json() : undefined };
  }

  before(async () => {
    archive = await startTestArchive();
  });
  after(async () => archive.close());

  it('creates accounts and exchanges passwords for tokens', async () => {
    const created = await call('POST', '/api/v1/users', {
      username: 'signalfire',
      email: 'signal@example.org',
      password: 'long enough password',
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.username, 'signalfire');
    assert.ok(created.json.id > 0);
    const duplicate = await call('POST', '/api/v1/users', {
      username: 'SignalFire',
      email: 'x@example.org',
      password: 'long enough password',
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.json.error.fields.username, 'That username is taken.');
    const invalid = await call('POST', '/api/v1/users', { username: 'no', email: 'nope', password: '1' });
    assert.equal(invalid.status, 400);
    assert.deepEqual(Object.keys(invalid.json.error.fields).sort(), ['email', 'password', 'username']);

    const issued = await call('POST', '/api/v1/tokens', {
      username: 'signalfire',
      password: 'long enough password',
    });
    assert.equal(issued.status, 201);
    token = issued.json.token;
    assert.match(token, /^quire_/);
    const refused = await call('POST', '/api/v1/tokens', {
      username: 'signalfire',
      password: 'wrong password!',
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error.code, 'unauthenticated');

    await call('POST', '/api/v1/users', {
      username: 'driftwood',
      email: 'drift@example.org',
      password: 'long enough password',
    });
    otherToken = (
      await call('POST', '/api/v1/tokens', { username: 'driftwood', password: 'long enough password' })
    ).json.token;
  });

  it('posts a work with its chapters and returns it whole', async () => {
    const created = await call('POST', '/api/v1/works', apiWork, token);
    assert.equal(created.status, 201);
    workId = created.json.id;
    assert.match(created.json.url, new RegExp(`/works/${workId}$`));
    const work = (await call('GET', `/api/v1/works/${workId}`)).json;
    assert.equal(work.title, 'Salt and Signal');
    assert.equal(work.rating, 'Teen And Up Audiences');
    assert.deepEqual(work.warnings, ['No Archive Warnings Apply']);
    assert.deepEqual(work.categories, ['F/F']);
    assert.deepEqual(work.fandoms, ['Original Work']);
    assert.deepEqual(work.relationships, ['Keeper/Keeper']);
    assert.deepEqual(work.characters, ['North Keeper', 'South Keeper']);
    assert.deepEqual(work.freeforms, ['Epistolary', 'Slow Burn']);
    assert.equal(work.word_count, 7);
    assert.equal(work.chapter_count, 2);
    assert.equal(work.expected_chapters, 3);
    assert.equal(work.complete, false);
    assert.deepEqual(work.creators, ['signalfire']);
    for (const counter of ['kudos_count', 'comments_count', 'bookmarks_count', 'hits'])
      assert.equal(work[counter], 0);
    assert.ok(Date.parse(work.published_at) > 0 && Date.parse(work.updated_at) > 0);
    assert.deepEqual(
      work.chapters.map((chapter: { position: number; title: string; word_count: number }) => [
        chapter.position,
        chapter.title,
        chapter.word_count,
      ]),
      [
        [1, 'Morning', 3],
        [2, 'Noon', 4],
      ],
    );
    const chapter = (await call('GET', `/api/v1/works/${workId}/chapters/${work.chapters[1].id}`)).json;
    assert.match(chapter.body, /Four <em>five<\/em> six seven\./);
  });

  it('refuses to post without a token, and reports every bad field at once', async () => {
    const anonymous = await call('POST', '/api/v1/works', apiWork);
    assert.equal(anonymous.status, 401);
    const badToken = await call('POST', '/api/v1/works', apiWork, 'quire_not_a_token');
    assert.equal(badToken.status, 401);
    const invalid = await call(
      'POST',
      '/api/v1/works',
      { ...apiWork, rating: 'R', warnings: [], fandoms: [], chapters: [{ body: '' }, { body: 'fine' }] },
      token,
    );
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json.error.code, 'invalid_input');
    for (const field of ['rating', 'warnings', 'fandoms', 'chapters[0].body'])
      assert.ok(invalid.json.error.fields[field], `expected an error for ${field}`);
    const notObject = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      payload: '[1,2]',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    assert.equal(notObject.statusCode, 400);
    const brokenJson = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      payload: '{"title":',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    assert.equal(brokenJson.statusCode, 400);
    assert.equal(brokenJson.json().error.code, 'invalid_json');
    const count = await archive.archive.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  it('adds, changes and deletes chapters; only the creator may', async () => {
    const added = await call(
      'POST',
      `/api/v1/works/${workId}/chapters`,
      { title: 'Evening', body: '<p>Eight nine.</p>' },
      token,
    );
    assert.equal(added.status, 201);
    assert.equal(added.json.position, 3);
    let work = (await call('GET', `/api/v1/works/${workId}`)).json;
    assert.equal(work.chapter_count, 3);
    assert.equal(work.word_count, 9);
    assert.equal(work.complete, true, '3 of 3 expected chapters makes the work complete');

    const stranger = await call(
      'POST',
      `/api/v1/works/${workId}/chapters`,
      { body: 'Intrusion' },
      otherToken,
    );
    assert.equal(stranger.status, 403);

    const patched = await call(
      'PATCH',
      `/api/v1/works/${workId}/chapters/${added.json.id}`,
      { body: '<p>Eight nine ten eleven.</p>' },
      token,
    );
    assert.equal(patched.status, 200);
    assert.equal(patched.json.title, 'Evening', 'fields not sent stay as they were');
    assert.equal(patched.json.word_count, 4);

    const deleted = await call(
      'DELETE',
      `/api/v1/works/${workId}/chapters/${added.json.id}`,
      undefined,
      token,
    );
    assert.equal(deleted.status, 204);
    work = (await call('GET', `/api/v1/works/${workId}`)).json;
    assert.equal(work.chapter_count, 2);
    assert.equal(work.word_count, 7);
    assert.equal(work.complete, false);
    const missing = await call('DELETE', `/api/v1/works/${workId}/chapters/999999`, undefined, token);
    assert.equal(missing.status, 404);
  });

  it('patches a work, keeping fields that were not sent', async () => {
    const patched = await call(
      'PATCH',
      `/api/v1/works/${workId}`,
      { title: 'Salt and Signal, Revised', freeforms: ['Letters'] },
      token,
    );
    assert.equal(patched.status, 200);
    assert.equal(patched.json.title, 'Salt and Signal, Revised');
    assert.deepEqual(patched.json.freeforms, ['Letters']);
    assert.deepEqual(patched.json.fandoms, ['Original Work']);
    const stranger = await call('PATCH', `/api/v1/works/${workId}`, { title: 'Mine now' }, otherToken);
    assert.equal(stranger.status, 403);
    const invalid = await call('PATCH', `/api/v1/works/${workId}`, { title: '' }, token);
    assert.equal(invalid.status, 400);
    assert.ok(invalid.json.error.fields.title);
  });

  it('hides drafts and restricted works from those who may not see them', async () => {
    const draft = await call(
      'POST',
      '/api/v1/works',
      { ...apiWork, title: 'Quiet Draft', draft: true },
      token,
    );
    assert.equal((await call('GET', `/api/v1/works/${draft.json.id}`)).status, 404);
    assert.equal((await call('GET', `/api/v1/works/${draft.json.id}`, undefined, otherToken)).status, 404);
    assert.equal((await call('GET', `/api/v1/works/${draft.json.id}`, undefined, token)).status, 200);
    const restricted = await call(
      'POST',
      '/api/v1/works',
      { ...apiWork, title: 'Locked Bay', restricted: true },
      token,
    );
    const guest = await call('GET', `/api/v1/works/${restricted.json.id}`);
    assert.equal(guest.status, 404, 'to a guest a restricted work is as missing as an unknown id');
    assert.equal(
      (await call('GET', `/api/v1/works/${restricted.json.id}`, undefined, otherToken)).status,
      200,
    );
    const listing = (await call('GET', '/api/v1/works')).json;
    assert.deepEqual(
      listing.works.map((work: { title: string }) => work.title),
      ['Salt and Signal, Revised'],
    );
    assert.equal(listing.total, 1);
  });

  it('deletes a work for its creator only', async () => {
    assert.equal((await call('DELETE', `/api/v1/works/${workId}`, undefined, otherToken)).status, 403);
    assert.equal((await call('DELETE', `/api/v1/works/${workId}`)).status, 401);
    assert.equal((await call('DELETE', `/api/v1/works/${workId}`, undefined, token)).status, 204);
    const gone = await call('GET', `/api/v1/works/${workId}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'not_found');
    assert.equal((await call('GET', '/api/v1/works/abc')).status, 404);
  });

  it('describes itself with an OpenAPI document', async () => {
    const document = (await call('GET', '/api/v1/openapi.json')).json;
    assert.equal(document.openapi, '3.1.0');
    for (const path of [
      '/users',
      '/tokens',
      '/works',
      '/works/{id}',
      '/works/{id}/chapters',
      '/works/{id}/chapters/{chapterId}',
    ]) {
      assert.ok(document.paths[path], `the document should describe ${path}`);
    }
  });
});
