import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/web/app.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`accounts (${testDialect})`, () => {
  let archive: TestArchive;
  before(async () => {
    archive = await startTestArchive();
  });
  after(async () => archive.close());

  it('answers the health check once the database is reachable', async () => {
    const response = await archive.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', database: testDialect });
  });

  it('signs a writer up, keeps them logged in, and logs them out', async () => {
    const writer = new ReaderSession(archive.app);
    const home = await writer.signUp('quillfeather');
    assert.match(textOf(home.body), /Welcome to Quire, quillfeather/);
    assert.match(home.body, /<a href="\/users\/quillfeather\/works">quillfeather<\/a>/);
    const again = await writer.get('/');
    assert.match(textOf(again.body), /quillfeather Log out/);
    const out = await writer.submit('/users/logout', {});
    assert.match(textOf(out.body), /You have logged out/);
    assert.doesNotMatch(textOf(out.body), /Log out/);
  });

  it('stores passwords with a memory-hard hash, never as typed', async () => {
    const row = await archive.archive.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'quillfeather')
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$/);
    assert.ok(!row.password_hash.includes('correct horse'));
  });

  it('gives every new account a default pseud named after it', async () => {
    const pseuds = await archive.archive.db
      .selectFrom('pseuds')
      .innerJoin('users', 'users.id', 'pseuds.user_id')
      .select(['pseuds.name', 'pseuds.is_default'])
      .where('users.username', '=', 'quillfeather')
      .execute();
    assert.deepEqual(pseuds, [{ name: 'quillfeather', is_default: 1 }]);
  });

  it('refuses a taken username (in any case) and keeps what was typed', async () => {
    const other = new ReaderSession(archive.app);
    await other.get('/signup');
    const response = await other.post('/signup', {
      username: 'QuillFeather',
      email: 'someone@example.org',
      password: 'long enough password',
    });
    assert.equal(response.status, 409);
    assert.match(textOf(response.body), /That username is taken/);
    assert.match(response.body, /value="someone@example.org"/);
  });

  it('explains each invalid field on the sign-up form', async () => {
    const other = new ReaderSession(archive.app);
    await other.get('/signup');
    const response = await other.post('/signup', {
      username: 'a b',
      email: 'not-an-email',
      password: 'short',
    });
    assert.equal(response.status, 400);
    const text = textOf(response.body);
    assert.match(text, /Use letters, digits and underscores/);
    assert.match(text, /Enter a valid email address/);
    assert.match(text, /at least 8 characters/);
  });

  it('logs in with the username or the email, and refuses a wrong password', async () => {
    const reader = new ReaderSession(archive.app);
    const wrong = await reader.logIn('quillfeather', 'not the password');
    assert.equal(wrong.status, 401);
    assert.match(textOf(wrong.body), /username or password is incorrect/);
    const byEmail = await reader.logIn('QUILLFEATHER@example.org');
    assert.equal(byEmail.status, 303);
    const home = await reader.get('/');
    assert.match(textOf(home.body), /quillfeather Log out/);
  });

  it('keeps a session valid on another app instance sharing the database', async () => {
    const reader = new ReaderSession(archive.app);
    await reader.logIn('quillfeather');
    const secondInstance = await buildApp({ config: archive.config, archive: archive.archive });
    try {
      const elsewhere = Object.assign(Object.create(Object.getPrototypeOf(reader)), reader, {
        app: secondInstance,
      }) as ReaderSession;
      const page = await elsewhere.get('/works/new');
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Post new work/);
    } finally {
      await secondInstance.close();
    }
  });

  it('refuses a form posted without the CSRF token', async () => {
    const reader = new ReaderSession(archive.app);
    await reader.get('/users/login');
    const response = await reader.post(
      '/users/login',
      { login: 'quillfeather', password: 'correct horse battery' },
      { csrf: false },
    );
    assert.equal(response.status, 403);
    assert.match(textOf(response.body), /form has expired or did not come from this archive/);
    const forged = await reader.post(
      '/users/login',
      { login: 'quillfeather', password: 'correct horse battery' },
      { csrf: 'forged-token' },
    );
    assert.equal(forged.status, 403);
  });

  it('asks guests to log in before posting', async () => {
    const guest = new ReaderSession(archive.app);
    const page = await guest.get('/works/new');
    assert.equal(page.status, 401);
    assert.match(textOf(page.body), /Log in to post a work/);
  });
});

describe(`registration modes and rate limits (${testDialect})`, () => {
  it('closed registration refuses new accounts on the page and in the API', async () => {
    const archive = await startTestArchive({ environment: { QUIRE_REGISTRATION: 'closed' } });
    try {
      const visitor = new ReaderSession(archive.app);
      const page = await visitor.get('/signup');
      assert.match(textOf(page.body), /not accepting new accounts/);
      const response = await visitor.post('/signup', {
        username: 'latecomer',
        email: 'late@example.org',
        password: 'long enough password',
      });
      assert.equal(response.status, 403);
      const api = await archive.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { username: 'latecomer', email: 'late@example.org', password: 'long enough password' },
      });
      assert.equal(api.statusCode, 403);
      assert.equal(api.json().error.code, 'forbidden');
      const count = await archive.archive.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    } finally {
      await archive.close();
    }
  });

  it('invite registration needs an unused invitation code', async () => {
    const archive = await startTestArchive({ environment: { QUIRE_REGISTRATION: 'invite' } });
    try {
      const { createInvitation } = await import('../../src/services/users.ts');
      const code = await createInvitation(archive.archive.db, null);
      const visitor = new ReaderSession(archive.app);
      await visitor.get('/signup');
      const without = await visitor.post('/signup', {
        username: 'invitee',
        email: 'invitee@example.org',
        password: 'long enough password',
      });
      assert.equal(without.status, 400);
      assert.match(textOf(without.body), /valid, unused invitation code/);
      const withCode = await visitor.post('/signup', {
        username: 'invitee',
        email: 'invitee@example.org',
        password: 'long enough password',
        invitation: code,
      });
      assert.equal(withCode.status, 303);
      const second = new ReaderSession(archive.app);
      await second.get('/signup');
      const reused = await second.post('/signup', {
        username: 'second',
        email: 'second@example.org',
        password: 'long enough password',
        invitation: code,
      });
      assert.equal(reused.status, 400);
    } finally {
      await archive.close();
    }
  });

  it('limits repeated log-in attempts from one address', async () => {
    const archive = await startTestArchive({ environment: { QUIRE_RATE_LIMIT: 'on' } });
    try {
      const visitor = new ReaderSession(archive.app);
      await visitor.get('/users/login');
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 12; attempt++) {
        statuses.push(
          (await visitor.post('/users/login', { login: 'nobody', password: 'wrong password' })).status,
        );
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
      assert.equal(statuses[10], 429);
      const limited = await visitor.post('/users/login', { login: 'nobody', password: 'wrong password' });
      assert.match(textOf(limited.body), /Too many attempts/);
    } finally {
      await archive.close();
    }
  });
});
