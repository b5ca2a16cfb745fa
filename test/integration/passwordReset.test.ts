import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { linkIn, TestMailbox } from '../support/mailbox.ts';
import { MEMBER_PASSWORD, type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const NEW_PASSWORD = 'a brand new password';

describe(`password reset by email (${testDialect})`, () => {
  let mailbox: TestMailbox;
  let archive: TestArchive;
  let forgetful: Member;

  before(async () => {
    mailbox = await TestMailbox.start();
    archive = await startTestArchive({
      environment: { QUIRE_SMTP_URL: mailbox.smtpUrl, QUIRE_CONFIRM_EMAIL: 'off' },
    });
    forgetful = await member(archive, 'forgetful');
    await mailbox.deliver(archive);
  });
  after(async () => {
    await archive.close();
    await mailbox.close();
  });

  const api = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: object, token?: string) =>
    archive.app.inject({
      method,
      url,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  async function askOnPage(login: string) {
    const visitor = new ReaderSession(archive.app);
    const logIn = await visitor.get('/users/login');
    assert.match(logIn.body, /<a href="\/users\/password\/new">Forgot password\?<\/a>/);
    await visitor.get('/users/password/new');
    return visitor.post('/users/password', { login });
  }

  it('answers the same whether or not an account matches, and mails only a real account', async () => {
    const unknown = await askOnPage('nobody@example.org');
    const known = await askOnPage('FORGETFUL@example.org');
    for (const answer of [unknown, known]) {
      assert.equal(answer.status, 303);
      assert.equal(answer.location, '/users/login');
    }
    const mail = await mailbox.deliver(archive);
    assert.deepEqual(
      mail.map((message) => message.to),
      [['forgetful@example.org']],
    );
    assert.match(mail[0].subject, /Reset your password at Quire/);
    const apiUnknown = await api('POST', '/api/v1/password_resets', { login: 'nobody' });
    const apiKnown = await api('POST', '/api/v1/password_resets', { login: 'forgetful' });
    assert.equal(apiUnknown.statusCode, 202);
    assert.equal(apiKnown.statusCode, 202);
    assert.equal(apiKnown.body, apiUnknown.body);
    assert.equal((await mailbox.deliver(archive)).length, 1);
  });

  it('sets a new password from the link: every old session ends, API tokens stay, the link works once', async () => {
    const otherBrowser = new ReaderSession(archive.app);
    await otherBrowser.logIn('forgetful', MEMBER_PASSWORD);
    await askOnPage('forgetful');
    const [mail] = await mailbox.deliver(archive);
    const link = linkIn(mail, '/users/password/edit');
    const secret = link.searchParams.get('reset_password_token') ?? '';
    const stored = await archive.archive.db
      .selectFrom('account_tokens')
      .select('token_hash')
      .where('purpose', '=', 'password_reset')
      .execute();
    assert.deepEqual(
      stored.map((row) => row.token_hash),
      [createHash('sha256').update(secret).digest('hex')],
      'only the hash of the newest link is kept',
    );

    const browser = new ReaderSession(archive.app);
    const form = await browser.get(`${link.pathname}${link.search}`);
    assert.match(textOf(form.body), /Choose a new password For the account forgetful/);
    const mismatch = await browser.post('/users/password/edit', {
      reset_password_token: secret,
      password: NEW_PASSWORD,
      password_confirmation: 'something else entirely',
    });
    assert.equal(mismatch.status, 400);
    assert.match(textOf(mismatch.body), /The two passwords are not the same/);

    const done = await browser.post('/users/password/edit', {
      reset_password_token: secret,
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    });
    assert.equal(done.status, 303);
    const home = await browser.get(done.location ?? '/');
    assert.match(textOf(home.body), /forgetful Log out/);
    assert.match(textOf(home.body), /Your API tokens still work; revoke them at \/tokens/);

    assert.doesNotMatch(textOf((await forgetful.page.get('/')).body), /Log out/);
    assert.doesNotMatch(textOf((await otherBrowser.get('/')).body), /Log out/, 'other sessions end');
    assert.equal((await api('GET', '/api/v1/stats', undefined, forgetful.api.token)).statusCode, 200);
    assert.equal((await new ReaderSession(archive.app).logIn('forgetful', MEMBER_PASSWORD)).status, 401);
    assert.equal((await new ReaderSession(archive.app).logIn('forgetful', NEW_PASSWORD)).status, 303);

    const again = await new ReaderSession(archive.app).get(`${link.pathname}${link.search}`);
    assert.equal(again.status, 404);
    assert.match(textOf(again.body), /may have expired \(links work for 24 hours\) or been used already/);
    assert.equal(
      (await api('PUT', `/api/v1/password_resets/${secret}`, { password: 'yet another one' })).statusCode,
      404,
    );
  });

  it('resets through the API, and refuses unknown and expired links with 404', async () => {
    await api('POST', '/api/v1/password_resets', { login: 'forgetful@example.org' });
    const secret = linkIn((await mailbox.deliver(archive))[0], '/users/password/edit').searchParams.get(
      'reset_password_token',
    );
    const short = await api('PUT', `/api/v1/password_resets/${secret}`, { password: 'short' });
    assert.equal(short.statusCode, 400, 'a password that will not do keeps the link');
    assert.ok(short.json().error.fields.password);
    const set = await api('PUT', `/api/v1/password_resets/${secret}`, { password: MEMBER_PASSWORD });
    assert.equal(set.statusCode, 204);
    assert.equal((await new ReaderSession(archive.app).logIn('forgetful', MEMBER_PASSWORD)).status, 303);
    assert.equal(
      (await api('PUT', '/api/v1/password_resets/not-a-link', { password: NEW_PASSWORD })).statusCode,
      404,
    );

    await api('POST', '/api/v1/password_resets', { login: 'forgetful' });
    const stale = linkIn((await mailbox.deliver(archive))[0], '/users/password/edit').searchParams.get(
      'reset_password_token',
    );
    await archive.archive.db
      .updateTable('account_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const expired = await api('PUT', `/api/v1/password_resets/${stale}`, { password: NEW_PASSWORD });
    assert.equal(expired.statusCode, 404);
    assert.match(expired.json().error.message, /expired/);
    assert.equal((await new ReaderSession(archive.app).logIn('forgetful', MEMBER_PASSWORD)).status, 303);
  });
});

describe(`password reset and confirmation limits (${testDialect})`, () => {
  let mailbox: TestMailbox;
  let archive: TestArchive;

  before(async () => {
    mailbox = await TestMailbox.start();
    archive = await startTestArchive({
      environment: { QUIRE_SMTP_URL: mailbox.smtpUrl, QUIRE_RATE_LIMIT: 'on' },
    });
  });
  after(async () => {
    await archive.close();
    await mailbox.close();
  });

  const ask = (login: string, from: string) =>
    archive.app.inject({
      method: 'POST',
      url: '/api/v1/password_resets',
      payload: { login },
      remoteAddress: from,
    });

  it('mails one account at most three times an hour, whoever asks, and still answers 202', async () => {
    await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'flooded', email: 'flooded@example.org', password: MEMBER_PASSWORD },
      remoteAddress: '192.0.2.200',
    });
    await mailbox.deliver(archive);
    for (let client = 1; client <= 5; client++)
      assert.equal((await ask('flooded', `192.0.2.${client}`)).statusCode, 202);
    assert.equal((await mailbox.deliver(archive)).length, 3);
  });

  it('refuses a client address that asks too often, whatever it asks about', async () => {
    const answers = [];
    for (let attempt = 0; attempt < 11; attempt++)
      answers.push((await ask(`someone${attempt}`, '198.51.100.7')).statusCode);
    assert.deepEqual(answers, [...Array(10).fill(202), 429]);
  });

  it('refuses to send a waiting account its confirmation mail a fourth time in an hour', async () => {
    const created = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'waiting', email: 'waiting@example.org', password: MEMBER_PASSWORD },
      remoteAddress: '203.0.113.9',
    });
    assert.equal(created.statusCode, 202);
    const token = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username: 'waiting', password: MEMBER_PASSWORD },
      remoteAddress: '203.0.113.9',
    });
    const resend = (from: string) =>
      archive.app.inject({
        method: 'POST',
        url: '/api/v1/account/confirmation',
        headers: { authorization: `Bearer ${token.json().token}` },
        remoteAddress: from,
      });
    const answers = [];
    for (let attempt = 1; attempt <= 4; attempt++)
      answers.push((await resend(`203.0.113.${attempt + 20}`)).statusCode);
    assert.deepEqual(answers, [202, 202, 202, 429]);
  });
});
