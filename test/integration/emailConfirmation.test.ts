import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { linkIn, type ReceivedMail, TestMailbox } from '../support/mailbox.ts';
import { MEMBER_PASSWORD } from '../support/members.ts';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// An archive that sends mail confirms new addresses (QUIRE_CONFIRM_EMAIL is on by default with SMTP):
// sign-up tells nobody whether an address has an account, and a new account posts once its link is
// followed.

describe(`email confirmation at sign-up (${testDialect})`, () => {
  let mailbox: TestMailbox;
  let archive: TestArchive;

  before(async () => {
    mailbox = await TestMailbox.start();
    archive = await startTestArchive({ environment: { QUIRE_SMTP_URL: mailbox.smtpUrl } });
  });
  after(async () => {
    await archive.close();
    await mailbox.close();
  });

  const deliver = () => mailbox.deliver(archive);
  const mailTo = (mail: ReceivedMail[], address: string) => mail.filter((m) => m.to.includes(address));
  const usernames = async () =>
    (await archive.archive.db.selectFrom('users').select('username').orderBy('id').execute()).map(
      (row) => row.username,
    );

  /** Everything of an answer a client could tell apart, but the moment it was sent. */
  function comparable(response: { status: number; headers: Record<string, unknown>; body: string }) {
    const { date: _date, ...headers } = response.headers;
    return { status: response.status, headers, body: response.body };
  }

  async function apiSignUp(username: string, email: string) {
    const response = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username, email, password: MEMBER_PASSWORD },
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  /** Signs up through the API and follows the welcome mail's link; answers the link. */
  async function confirmedMember(username: string): Promise<URL> {
    assert.equal((await apiSignUp(username, `${username}@example.org`)).status, 202);
    const [welcome] = mailTo(await deliver(), `${username}@example.org`);
    const link = linkIn(welcome, '/users/confirmation');
    const followed = await new ReaderSession(archive.app).get(`${link.pathname}${link.search}`);
    assert.equal(followed.status, 200, followed.body);
    return link;
  }

  it('answers a sign-up page the same whether or not the address has an account, logging nobody in', async () => {
    await confirmedMember('owner');
    const answers = [];
    for (const [username, email] of [
      ['newcomer', 'newcomer@example.org'],
      ['impostor', 'OWNER@example.org'],
    ]) {
      const visitor = new ReaderSession(archive.app);
      await visitor.get('/signup');
      answers.push(await visitor.post('/signup', { username, email, password: MEMBER_PASSWORD }));
    }
    assert.deepEqual(comparable(answers[1]), comparable(answers[0]));
    assert.equal(answers[0].status, 303);
    assert.equal(answers[0].location, '/users/confirmation/new');
    assert.equal(answers[0].headers['set-cookie'], undefined, 'no session, no cookie of any kind');
    const page = await new ReaderSession(archive.app).get('/users/confirmation/new');
    assert.match(textOf(page.body), /Check your email to confirm your account/);

    const mail = await deliver();
    assert.match(mailTo(mail, 'newcomer@example.org')[0].subject, /Confirm your email address at Quire/);
    assert.match(mailTo(mail, 'owner@example.org')[0].subject, /Someone tried to sign up at Quire/);
    assert.equal(mail.length, 2);
    assert.deepEqual(await usernames(), ['owner', 'newcomer']);
  });

  it('answers the sign-up API with the same 202 whether or not the address has an account', async () => {
    const fresh = await apiSignUp('another_newcomer', 'another@example.org');
    const taken = await apiSignUp('another_impostor', 'owner@example.org');
    assert.equal(fresh.status, 202);
    assert.deepEqual(comparable(taken), comparable(fresh));
    assert.match(JSON.parse(fresh.body).message, /Check your email/);
    const mail = await deliver();
    assert.deepEqual(mail.map((m) => m.to).sort(), [['another@example.org'], ['owner@example.org']]);
  });

  it('still refuses a taken username by name, since usernames are public', async () => {
    const api = await apiSignUp('Owner', 'someone.new@example.org');
    assert.equal(api.status, 409);
    assert.deepEqual(Object.keys(JSON.parse(api.body).error.fields), ['username']);
    const both = await apiSignUp('owner', 'owner@example.org');
    assert.deepEqual(
      Object.keys(JSON.parse(both.body).error.fields),
      ['username'],
      'the address goes unnamed',
    );
    const visitor = new ReaderSession(archive.app);
    await visitor.get('/signup');
    const page = await visitor.post('/signup', {
      username: 'OWNER',
      email: 'x@example.org',
      password: MEMBER_PASSWORD,
    });
    assert.equal(page.status, 409);
    assert.match(textOf(page.body), /That username is taken/);
    await deliver();
  });

  it('lets an unconfirmed account log in and leave kudos, but not post, until its link is followed', async () => {
    assert.equal((await apiSignUp('poster', 'poster@example.org')).status, 202);
    const [welcome] = mailTo(await deliver(), 'poster@example.org');
    const reader = new ReaderSession(archive.app);
    assert.equal((await reader.logIn('poster', MEMBER_PASSWORD)).status, 303);
    const token = (
      await archive.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { username: 'poster', password: MEMBER_PASSWORD },
      })
    ).json().token as string;
    const auth = { authorization: `Bearer ${token}` };

    const refused = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: auth,
      payload: {
        title: 'Too soon',
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        fandoms: ['Original Work'],
        chapters: [{ body: '<p>Not yet.</p>' }],
      },
    });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'email_unconfirmed');
    assert.match(refused.json().error.message, /Confirm your email address/);

    await reader.get('/works/new');
    const page = await reader.post('/works', sampleWork);
    assert.equal(page.status, 403);
    assert.match(textOf(page.body), /Confirm your email address before you post/);
    assert.match(page.body, /value="The Lighthouse Keeper"/, 'the form keeps what was typed');

    // Someone else's work: kudos are fine, comments wait for the confirmation.
    const owner = new ReaderSession(archive.app);
    await owner.logIn('owner', MEMBER_PASSWORD);
    await owner.get('/works/new');
    await owner.submit('/works', sampleWork);
    const { id: workId } = await archive.archive.db
      .selectFrom('works')
      .select('id')
      .executeTakeFirstOrThrow();
    const kudos = await archive.app.inject({
      method: 'POST',
      url: `/api/v1/works/${workId}/kudos`,
      headers: auth,
    });
    assert.equal(kudos.statusCode, 201, kudos.body);
    const comment = await archive.app.inject({
      method: 'POST',
      url: `/api/v1/works/${workId}/comments`,
      headers: auth,
      payload: { body: 'Lovely.' },
    });
    assert.equal(comment.statusCode, 403);
    assert.equal(comment.json().error.code, 'email_unconfirmed');
    assert.match(
      textOf((await reader.get(`/works/${workId}`)).body),
      /Confirm your email address before you post/,
    );
    const commentPage = await reader.post(`/works/${workId}/comments`, { body: 'Lovely.' });
    assert.equal(commentPage.status, 403);
    assert.match(commentPage.body, /action="\/users\/confirmation"[\s\S]*Send the confirmation mail again/);

    const link = linkIn(welcome, '/users/confirmation');
    const confirmed = await reader.get(`${link.pathname}${link.search}`);
    assert.match(textOf(confirmed.body), /your email address is confirmed/);
    const allowed = await archive.app.inject({
      method: 'POST',
      url: `/api/v1/works/${workId}/comments`,
      headers: auth,
      payload: { body: 'Lovely.' },
    });
    assert.equal(allowed.statusCode, 201, allowed.body);

    const again = await new ReaderSession(archive.app).get(`${link.pathname}${link.search}`);
    assert.equal(again.status, 404, 'a link works once');
    assert.match(textOf(again.body), /may have expired or been used already/);
  });

  it('sends the mail again on request, and only the newest link works', async () => {
    assert.equal((await apiSignUp('resender', 'resender@example.org')).status, 202);
    const [first] = mailTo(await deliver(), 'resender@example.org');
    const reader = new ReaderSession(archive.app);
    await reader.logIn('resender', MEMBER_PASSWORD);
    const waiting = await reader.get('/users/confirmation/new');
    assert.match(waiting.body, /Send the confirmation mail again/);
    const resent = await reader.submit('/users/confirmation', {});
    assert.match(textOf(resent.body), /We sent a new confirmation link to resender@example.org/);
    const [second] = mailTo(await deliver(), 'resender@example.org');
    const old = linkIn(first, '/users/confirmation');
    const fresh = linkIn(second, '/users/confirmation');
    assert.notEqual(old.search, fresh.search);
    assert.equal((await reader.get(`${old.pathname}${old.search}`)).status, 404);
    assert.equal((await reader.get(`${fresh.pathname}${fresh.search}`)).status, 200);
    // Confirmed now: nothing left to send.
    const token = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username: 'resender', password: MEMBER_PASSWORD },
    });
    const api = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/account/confirmation',
      headers: { authorization: `Bearer ${token.json().token}` },
    });
    assert.equal(api.statusCode, 409);
    assert.match(api.json().error.message, /already confirmed/);
  });

  it('confirms through the API as well, and keeps only the hash of a link', async () => {
    assert.equal((await apiSignUp('apiconfirm', 'apiconfirm@example.org')).status, 202);
    const [welcome] = mailTo(await deliver(), 'apiconfirm@example.org');
    const secret = linkIn(welcome, '/users/confirmation').searchParams.get('confirmation_token') ?? '';
    const stored = await archive.archive.db.selectFrom('account_tokens').select('token_hash').execute();
    assert.ok(stored.length > 0);
    assert.ok(stored.every((row) => row.token_hash !== secret && /^[0-9a-f]{64}$/.test(row.token_hash)));
    const followed = await archive.app.inject({ method: 'POST', url: `/api/v1/confirmations/${secret}` });
    assert.equal(followed.statusCode, 200);
    assert.deepEqual(followed.json(), { outcome: 'confirmed', username: 'apiconfirm' });
    const reused = await archive.app.inject({ method: 'POST', url: `/api/v1/confirmations/${secret}` });
    assert.equal(reused.statusCode, 404);
  });
});
