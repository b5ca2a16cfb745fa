import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type ArchiveDatabase, createDatabase } from '../../src/db/database.ts';
import { buildApp } from '../../src/web/app.ts';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const WORK = {
  title: 'Written By A Script',
  rating: 'General Audiences',
  warnings: ['No Archive Warnings Apply'],
  fandoms: ['Original Work'],
  chapters: [{ body: '<p>Posted through the API.</p>' }],
};

describe(`API tokens (${testDialect})`, () => {
  let archive: TestArchive;
  let owner: Member;
  let other: Member;
  /** A second app instance on the same database, as behind a load balancer. */
  let secondInstance: FastifyInstance;
  let secondDatabase: ArchiveDatabase;

  async function call(
    app: FastifyInstance,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    token: string | null,
    payload?: object,
  ) {
    const response = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null };
  }

  /** Makes a token on the /tokens page and reads its secret off the answer, the only place it shows. */
  async function tokenFromPage(session: ReaderSession, fields: { name: string; scope: string }) {
    await session.get('/tokens');
    const made = await session.post('/tokens', fields);
    assert.equal(made.status, 201, textOf(made.body).slice(0, 300));
    const secret = made.body.match(/<code class="token">([^<]+)<\/code>/)?.[1];
    assert.ok(secret, 'the new token is shown once');
    return { secret, page: made };
  }

  async function storedTokens(userId: number) {
    return archive.archive.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'scope', 'last_used_at'])
      .where('user_id', '=', userId)
      .execute();
  }

  before(async () => {
    archive = await startTestArchive();
    owner = await member(archive, 'tokenkeeper');
    other = await member(archive, 'tokenthief');
    secondDatabase = createDatabase(archive.config.database);
    secondInstance = await buildApp({ config: archive.config, archive: secondDatabase });
  });
  after(async () => {
    await secondInstance.close();
    await secondDatabase.close();
    await archive.close();
  });

  it('lists, makes and shows a token once on /tokens; guests are asked to log in', async () => {
    assert.equal((await new ReaderSession(archive.app).get('/tokens')).status, 401);

    const { secret, page } = await tokenFromPage(owner.page, { name: 'E-reader sync', scope: 'read-only' });
    assert.match(secret, /^quire_/);
    assert.match(textOf(page.body), /Your new read-only token “E-reader sync” \(shown only this once/);

    const listed = await owner.page.get('/tokens');
    assert.equal(listed.status, 200);
    const text = textOf(listed.body);
    assert.ok(!listed.body.includes(secret), 'the secret is never shown again');
    // The token ApiWriter.signUp made through the API, and the new one: name, scope, created, last used.
    const today = new Date().toISOString().slice(0, 10);
    assert.match(text, new RegExp(`E-reader sync read-only ${today} \\d\\d:\\d\\d UTC Never Revoke`));
    assert.match(text, /API token read-write \d{4}-\d\d-\d\d \d\d:\d\d UTC Never Revoke/);

    // Another member sees only their own tokens.
    assert.doesNotMatch(textOf((await other.page.get('/tokens')).body), /E-reader sync/);

    const refused = await owner.page.post('/tokens', { name: 'x'.repeat(101), scope: 'everything' });
    assert.equal(refused.status, 400);
    assert.match(textOf(refused.body), /Keep the name to 100 characters/);
    assert.match(textOf(refused.body), /Choose read-only or read-write/);
    assert.equal((await storedTokens(owner.id)).length, 2);
  });

  it('refuses a read-only token on every call but GET, with a clear JSON error, and changes nothing', async () => {
    const { secret } = await tokenFromPage(owner.page, { name: 'Reader only', scope: 'read-only' });
    const reads = await call(archive.app, 'GET', '/api/v1/tokens', secret);
    assert.equal(reads.status, 200);
    assert.ok(reads.json.tokens.some((token: { name: string }) => token.name === 'Reader only'));
    assert.equal((await call(archive.app, 'GET', '/api/v1/inbox', secret)).status, 200);

    const work = await owner.api.postWork({ title: 'Not Yours To Change' });
    const attempts = [
      ['POST', '/api/v1/works', WORK],
      ['PATCH', `/api/v1/works/${work.id}`, { title: 'Changed' }],
      ['DELETE', `/api/v1/works/${work.id}`, undefined],
      ['POST', '/api/v1/tokens', { name: 'Escalated', scope: 'read-write' }],
      ['DELETE', `/api/v1/tokens/${reads.json.tokens[0].id}`, undefined],
      ['POST', '/api/v1/no-such-call', {}],
    ] as const;
    for (const [method, url, payload] of attempts) {
      const answer = await call(archive.app, method, url, secret, payload);
      assert.equal(answer.status, 403, `${method} ${url}`);
      assert.equal(answer.json.error.code, 'forbidden');
      assert.match(answer.json.error.message, /read-only.*only read \(GET\).*read-write token at \/tokens/);
    }
    assert.equal(
      (await call(archive.app, 'GET', `/api/v1/works/${work.id}`, null)).json.title,
      'Not Yours To Change',
    );
    const names = (await storedTokens(owner.id)).map((token) => token.name);
    assert.ok(!names.includes('Escalated'));
    assert.equal(names.length, 3);

    // The same account's read-write token still writes.
    assert.equal((await call(archive.app, 'POST', '/api/v1/works', owner.api.token, WORK)).status, 201);
  });

  it('makes, lists and revokes tokens through the API, with a read-write token', async () => {
    const made = await call(archive.app, 'POST', '/api/v1/tokens', owner.api.token, {
      name: 'Backup script',
      scope: 'read-only',
    });
    assert.equal(made.status, 201);
    assert.match(made.json.token, /^quire_/);
    assert.equal(made.json.name, 'Backup script');
    assert.equal(made.json.scope, 'read-only');
    assert.equal(made.json.last_used_at, null);

    const listed = (await call(archive.app, 'GET', '/api/v1/tokens', owner.api.token)).json.tokens;
    const entry = listed.find((token: { id: number }) => token.id === made.json.id);
    assert.deepEqual(Object.keys(entry).sort(), ['created_at', 'id', 'last_used_at', 'name', 'scope']);
    assert.ok(!JSON.stringify(listed).includes(made.json.token), 'a listing never holds a secret');

    const invalid = await call(archive.app, 'POST', '/api/v1/tokens', owner.api.token, { scope: 'admin' });
    assert.equal(invalid.status, 400);
    assert.ok(invalid.json.error.fields.scope);
    assert.equal((await call(archive.app, 'GET', '/api/v1/tokens', null)).status, 401);
    // With a username and password, as before scopes: a read-write token.
    const loggedIn = await call(archive.app, 'POST', '/api/v1/tokens', null, {
      username: 'tokenthief',
      password: 'long enough password',
    });
    assert.equal(loggedIn.status, 201);
    assert.equal(loggedIn.json.scope, 'read-write');

    // Someone else's token is as unknown to them as a missing one, and stays working.
    assert.equal(
      (await call(archive.app, 'DELETE', `/api/v1/tokens/${made.json.id}`, other.api.token)).status,
      404,
    );
    assert.equal((await call(archive.app, 'GET', '/api/v1/tokens', made.json.token)).status, 200);

    assert.equal(
      (await call(archive.app, 'DELETE', `/api/v1/tokens/${made.json.id}`, owner.api.token)).status,
      204,
    );
    const gone = await call(archive.app, 'GET', '/api/v1/tokens', made.json.token);
    assert.equal(gone.status, 401);
    assert.equal(gone.json.error.code, 'unauthenticated');
    assert.equal(
      (await call(archive.app, 'DELETE', `/api/v1/tokens/${made.json.id}`, owner.api.token)).status,
      404,
    );
  });

  it('revokes a token from the page at once, on every app instance', async () => {
    const { secret } = await tokenFromPage(owner.page, { name: 'Shared laptop', scope: 'read-write' });
    assert.equal((await call(secondInstance, 'GET', '/api/v1/tokens', secret)).status, 200);
    const [token] = (await storedTokens(owner.id)).filter((row) => row.name === 'Shared laptop');

    // Another member cannot revoke it.
    await other.page.get('/tokens');
    assert.equal((await other.page.post(`/tokens/${token.id}/delete`, {})).status, 404);
    assert.equal((await call(secondInstance, 'POST', '/api/v1/works', secret, WORK)).status, 201);

    await owner.page.get('/tokens');
    const revoked = await owner.page.submit(`/tokens/${token.id}/delete`, {});
    assert.match(textOf(revoked.body), /The token “Shared laptop” was revoked: it no longer works anywhere/);
    assert.doesNotMatch(textOf(revoked.body), /Shared laptop read-write/);
    for (const app of [secondInstance, archive.app]) {
      assert.equal((await call(app, 'GET', '/api/v1/tokens', secret)).status, 401);
      assert.equal((await call(app, 'POST', '/api/v1/works', secret, WORK)).status, 401);
    }
  });

  it('remembers when a token was last used, to the minute, without a write on every request', async () => {
    const made = await call(archive.app, 'POST', '/api/v1/tokens', owner.api.token, { name: 'Counter' });
    const lastUse = async () =>
      (
        await archive.archive.db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', made.json.id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    assert.equal(await lastUse(), null);
    await call(archive.app, 'GET', '/api/v1/tokens', made.json.token);
    const first = await lastUse();
    assert.ok(first);
    for (let request = 0; request < 3; request++)
      await call(archive.app, 'GET', '/api/v1/inbox', made.json.token);
    assert.equal(await lastUse(), first, 'uses within the minute are not written again');

    const earlier = new Date(Date.parse(first) - 2 * 60_000).toISOString();
    await archive.archive.db
      .updateTable('api_tokens')
      .set({ last_used_at: earlier })
      .where('id', '=', made.json.id)
      .execute();
    await call(archive.app, 'GET', '/api/v1/inbox', made.json.token);
    assert.ok((await lastUse())! > earlier, 'a use after the minute is remembered');
    const listed = (await call(archive.app, 'GET', '/api/v1/tokens', owner.api.token)).json.tokens;
    assert.ok(listed.find((token: { id: number }) => token.id === made.json.id).last_used_at > earlier);
  });
});
