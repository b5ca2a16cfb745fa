import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { linkIn, TestMailbox } from '../support/mailbox.ts';
import { MEMBER_PASSWORD, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`changing password, email and username (${testDialect})`, () => {
  let mailbox: TestMailbox;
  let archive: TestArchive;

  before(async () => {
    mailbox = await TestMailbox.start();
    archive = await startTestArchive({
      environment: { QUIRE_SMTP_URL: mailbox.smtpUrl, QUIRE_CONFIRM_EMAIL: 'off' },
    });
  });
  after(async () => {
    await archive.close();
    await mailbox.close();
  });

  const put = (url: string, token: string, payload: object) =>
    archive.app.inject({ method: 'PUT', url, payload, headers: { authorization: `Bearer ${token}` } });
  const account = (id: number) =>
    archive.archive.db
      .selectFrom('users')
      .select(['username', 'email', 'password_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('links the account pages from the preferences, for the owner only', async () => {
    const owner = await member(archive, 'settler');
    const preferences = await owner.page.get('/users/settler/preferences');
    for (const page of ['change_username', 'change_password', 'change_email'])
      assert.match(preferences.body, new RegExp(`href="/users/settler/${page}"`));
    const stranger = await member(archive, 'stranger');
    assert.equal((await stranger.page.get('/users/settler/change_password')).status, 403);
    assert.equal((await new ReaderSession(archive.app).get('/users/settler/change_email')).status, 401);
  });

  it('changes the password with the current one: other sessions end, this one and API tokens stay', async () => {
    const changer = await member(archive, 'changer');
    const elsewhere = new ReaderSession(archive.app);
    await elsewhere.logIn('changer', MEMBER_PASSWORD);
    const before = await account(changer.id);

    await changer.page.get('/users/changer/change_password');
    const wrong = await changer.page.post('/users/changer/change_password', {
      current_password: 'not my password',
      password: 'a new long password',
      password_confirmation: 'a new long password',
    });
    assert.equal(wrong.status, 400);
    assert.match(textOf(wrong.body), /This is not your current password/);
    assert.equal((await account(changer.id)).password_hash, before.password_hash);

    const done = await changer.page.submit('/users/changer/change_password', {
      current_password: MEMBER_PASSWORD,
      password: 'a new long password',
      password_confirmation: 'a new long password',
    });
    assert.match(
      textOf(done.body),
      /Your password is changed\. Every other session was logged out\. Your API tokens still work/,
    );
    assert.match(textOf(done.body), /changer Log out/, 'this session stays');
    assert.doesNotMatch(textOf((await elsewhere.get('/')).body), /Log out/);
    assert.equal((await new ReaderSession(archive.app).logIn('changer', 'a new long password')).status, 303);
    assert.equal((await new ReaderSession(archive.app).logIn('changer', MEMBER_PASSWORD)).status, 401);

    const api = await put('/api/v1/account/password', changer.api.token, {
      current_password: 'a new long password',
      password: MEMBER_PASSWORD,
    });
    assert.equal(api.statusCode, 204);
    assert.doesNotMatch(textOf((await changer.page.get('/')).body), /Log out/, 'the API keeps no session');
    assert.equal(
      (
        await put('/api/v1/account/password', changer.api.token, {
          current_password: 'nope',
          password: 'x'.repeat(9),
        })
      ).statusCode,
      400,
    );
  });

  it('changes the email only when the link sent to the new address is followed, telling the old one', async () => {
    const mover = await member(archive, 'mover');
    await mailbox.deliver(archive);
    await mover.page.get('/users/mover/change_email');
    const wrong = await mover.page.post('/users/mover/change_email', {
      email: 'mover.new@example.org',
      current_password: 'wrong password',
    });
    assert.equal(wrong.status, 400);
    assert.equal((await mailbox.deliver(archive)).length, 0);

    const asked = await mover.page.submit('/users/mover/change_email', {
      email: 'mover.new@example.org',
      current_password: MEMBER_PASSWORD,
    });
    assert.match(textOf(asked.body), /We sent a link to mover\.new@example\.org/);
    const mail = await mailbox.deliver(archive);
    const toNew = mail.find((message) => message.to.includes('mover.new@example.org'));
    const toOld = mail.find((message) => message.to.includes('mover@example.org'));
    assert.ok(toNew && toOld, JSON.stringify(mail));
    assert.match(toOld.body, /asked to change the account's email address to mover\.new@example\.org/);
    assert.equal((await account(mover.id)).email, 'mover@example.org', 'nothing changes before the link');

    const link = linkIn(toNew, '/users/confirmation');
    const followed = await new ReaderSession(archive.app).get(`${link.pathname}${link.search}`);
    assert.match(textOf(followed.body), /The email address of mover is now mover\.new@example\.org/);
    assert.equal((await account(mover.id)).email, 'mover.new@example.org');
    assert.equal(
      (await new ReaderSession(archive.app).logIn('mover.new@example.org', MEMBER_PASSWORD)).status,
      303,
    );
    assert.equal((await new ReaderSession(archive.app).get(`${link.pathname}${link.search}`)).status, 404);

    // Another account's address: the same answer, no link, and that address's owner is told instead.
    const api = await put('/api/v1/account/email', mover.api.token, {
      email: 'settler@example.org',
      current_password: MEMBER_PASSWORD,
    });
    assert.equal(api.statusCode, 202);
    const [toSettler] = (await mailbox.deliver(archive)).filter((m) => m.to.includes('settler@example.org'));
    assert.match(toSettler.body, /already belongs to your account settler\. Nothing was changed/);
    assert.equal((await account(mover.id)).email, 'mover.new@example.org');
  });

  it('changes the username once a week; old addresses redirect and the old name stays taken', async () => {
    const renamer = await member(archive, 'oldname');
    await renamer.api.postWork({ title: 'Under the old name' });
    await renamer.page.get('/users/oldname/change_username');
    const done = await renamer.page.submit('/users/oldname/change_username', {
      username: 'newname',
      current_password: MEMBER_PASSWORD,
    });
    assert.match(textOf(done.body), /Your username is now newname/);

    const moved = await archive.app.inject({ method: 'GET', url: '/users/OldName/works?page=2' });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/users/newname/works?page=2');
    const works = await new ReaderSession(archive.app).get('/users/newname/works');
    assert.match(textOf(works.body), /Under the old name by newname/);
    const search = await archive.app.inject({ method: 'GET', url: '/api/v1/works?q=newname' });
    assert.equal(search.json().total, 1, 'the byline in search follows the new name');

    const squatter = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'oldname', email: 'squatter@example.org', password: MEMBER_PASSWORD },
    });
    assert.equal(squatter.statusCode, 409);

    const tooSoon = await put('/api/v1/account/username', renamer.api.token, {
      username: 'thirdname',
      current_password: MEMBER_PASSWORD,
    });
    assert.equal(tooSoon.statusCode, 400);
    assert.match(tooSoon.json().error.fields.username, /you can change it again after/);
    assert.equal((await account(renamer.id)).username, 'newname');

    // Four weeks on, the old name is anyone's again and leads nowhere.
    await archive.archive.db
      .updateTable('usernames')
      .set({ reserved_until: new Date(Date.now() - 1000).toISOString() })
      .where('name_key', '=', 'oldname')
      .execute();
    assert.equal((await archive.app.inject({ method: 'GET', url: '/users/oldname/works' })).statusCode, 404);
    const taken = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'oldname', email: 'later@example.org', password: MEMBER_PASSWORD },
    });
    assert.equal(taken.statusCode, 201, taken.body);
  });

  it('refuses a taken name and a wrong password through the API, leaving the account as it was', async () => {
    const namer = await member(archive, 'namer');
    const taken = await put('/api/v1/account/username', namer.api.token, {
      username: 'Settler',
      current_password: MEMBER_PASSWORD,
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.fields.username, 'That username is taken.');
    const wrong = await put('/api/v1/account/username', namer.api.token, {
      username: 'free_name',
      current_password: 'wrong',
    });
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.json().error.fields.current_password);
    assert.equal((await account(namer.id)).username, 'namer');
    const renamed = await put('/api/v1/account/username', namer.api.token, {
      username: 'free_name',
      current_password: MEMBER_PASSWORD,
    });
    assert.deepEqual(renamed.json(), { username: 'free_name' });
  });

  it('lets exactly one of a change of username and a sign-up racing for the same name have it', async () => {
    for (let round = 0; round < 4; round++) {
      const racer = await member(archive, `racer${round}`);
      const name = `contested${round}`;
      const [change, signUp] = await Promise.all([
        put('/api/v1/account/username', racer.api.token, {
          username: name,
          current_password: MEMBER_PASSWORD,
        }),
        archive.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          payload: { username: name, email: `${name}@example.org`, password: MEMBER_PASSWORD },
        }),
      ]);
      const winners = [change.statusCode === 200, signUp.statusCode === 201].filter(Boolean).length;
      assert.equal(
        winners,
        1,
        `change ${change.statusCode} ${change.body}; sign-up ${signUp.statusCode} ${signUp.body}`,
      );
      const loser = change.statusCode === 200 ? signUp : change;
      assert.equal(loser.statusCode, 409, `the loser answered ${loser.statusCode} ${loser.body}`);
      const holders = await archive.archive.db
        .selectFrom('users')
        .select('id')
        .where('username_key', '=', name)
        .execute();
      assert.equal(holders.length, 1);
    }
  });
});
