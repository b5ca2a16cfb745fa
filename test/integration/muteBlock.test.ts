import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const LISTINGS = ['/', '/works', '/tags/Original%20Work/works', '/tags/Harbour%20Town/works'];

describe(`muting and blocking users (${testDialect})`, () => {
  let archive: TestArchive;
  let loud: ApiWriter;
  let quiet: ApiWriter;
  let muter: ApiWriter;
  let muterSession: ReaderSession;
  let bystander: ReaderSession;
  let guest: ReaderSession;
  let loudWork: number;

  async function api(method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) {
    return archive.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
  }

  async function sessionFor(writer: ApiWriter): Promise<ReaderSession> {
    const session = new ReaderSession(archive.app);
    assert.equal((await session.logIn(writer.username, 'long enough password')).status, 303);
    return session;
  }

  before(async () => {
    archive = await startTestArchive();
    loud = await ApiWriter.signUp(archive.app, 'loudvoice');
    quiet = await ApiWriter.signUp(archive.app, 'quietpen');
    muter = await ApiWriter.signUp(archive.app, 'peacekeeper');
    muterSession = await sessionFor(muter);
    bystander = new ReaderSession(archive.app);
    await bystander.signUp('bystander');
    guest = new ReaderSession(archive.app);
    loudWork = (await loud.postWork({ title: 'Shouting Into The Wind', freeforms: ['Harbour Town'] })).id;
    await quiet.postWork({ title: 'Whispers At The Harbour', freeforms: ['Harbour Town'] });
  });
  after(async () => archive.close());

  it('explains muting before doing it, and offers it only to other logged-in readers', async () => {
    const profile = await muterSession.get('/users/loudvoice/works');
    assert.match(profile.body, /href="\/users\/loudvoice\/mute">Mute</);
    assert.match(profile.body, /href="\/users\/loudvoice\/block">Block</);
    assert.doesNotMatch((await guest.get('/users/loudvoice/works')).body, /\/users\/loudvoice\/mute/);
    assert.doesNotMatch((await muterSession.get('/users/peacekeeper/works')).body, /\/mute"/);

    const question = await muterSession.get('/users/loudvoice/mute');
    assert.equal(question.status, 200);
    const text = textOf(question.body);
    assert.match(text, /Are you sure you want to mute loudvoice\?/);
    assert.match(text, /no longer appear for you on the home page/);
    assert.match(text, /comments will be hidden from you/);
    assert.equal((await guest.get('/users/loudvoice/mute')).status, 401);
  });

  it('hides a muted user’s works from the muter’s listings only', async () => {
    for (const url of LISTINGS) {
      assert.match(textOf((await muterSession.get(url)).body), /Shouting Into The Wind/, url);
    }
    const done = await muterSession.submit('/users/loudvoice/mute', {});
    assert.match(textOf(done.body), /You have muted loudvoice/);

    for (const url of LISTINGS) {
      const text = textOf((await muterSession.get(url)).body);
      assert.doesNotMatch(text, /Shouting Into The Wind/, `${url} should hide the muted user's work`);
      assert.match(text, /Whispers At The Harbour/, url);
      for (const other of [bystander, guest]) {
        assert.match(textOf((await other.get(url)).body), /Shouting Into The Wind/, `${url} for others`);
      }
    }
    const listed = (await api('GET', '/api/v1/works', muter.token)).json();
    assert.deepEqual(
      listed.works.map((work: { title: string }) => work.title),
      ['Whispers At The Harbour'],
    );
    // The work itself is still there for the muter to open.
    assert.equal((await muterSession.get(`/works/${loudWork}`)).status, 200);
  });

  it('shows the muted user’s own works page with a reminder', async () => {
    const page = await muterSession.get('/users/loudvoice/works');
    const text = textOf(page.body);
    assert.match(text, /You have muted this user/);
    assert.match(text, /Shouting Into The Wind/);
    assert.match(page.body, /href="\/users\/loudvoice\/mute">Unmute</);
    assert.doesNotMatch(textOf((await bystander.get('/users/loudvoice/works')).body), /You have muted/);
    // The confirmation page now offers the undo.
    assert.match(textOf((await muterSession.get('/users/loudvoice/mute')).body), /Unmute loudvoice\?/);
  });

  it('lists the muted users to the muter alone, with a way back', async () => {
    const list = await muterSession.get('/users/peacekeeper/muted');
    assert.equal(list.status, 200);
    assert.match(textOf(list.body), /loudvoice/);
    assert.equal((await bystander.get('/users/peacekeeper/muted')).status, 403);
    assert.equal((await guest.get('/users/peacekeeper/muted')).status, 401);
    const api1 = await api('GET', '/api/v1/mutes', muter.token);
    assert.equal(api1.statusCode, 200);
    assert.deepEqual(
      api1.json().items.map((item: { user: string }) => item.user),
      ['loudvoice'],
    );
    assert.ok(api1.json().items[0].created_at);

    const undone = await muterSession.post('/users/loudvoice/unmute', { return_to: 'list' });
    assert.equal(undone.status, 303);
    assert.equal(undone.location, '/users/peacekeeper/muted');
    const after = await muterSession.get(undone.location!);
    assert.match(textOf(after.body), /You have unmuted loudvoice/);
    assert.match(textOf(after.body), /You have not muted anyone/);
    for (const url of LISTINGS) {
      assert.match(textOf((await muterSession.get(url)).body), /Shouting Into The Wind/, url);
    }
  });

  it('mutes and unmutes through the API without duplicates', async () => {
    const first = await api('POST', '/api/v1/mutes', muter.token, { user: 'loudvoice' });
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(first.json(), { user: 'loudvoice' });
    assert.equal((await api('POST', '/api/v1/mutes', muter.token, { user: 'LoudVoice' })).statusCode, 200);
    assert.equal((await api('GET', '/api/v1/mutes', muter.token)).json().items.length, 1);
    assert.doesNotMatch(textOf((await muterSession.get('/works')).body), /Shouting Into The Wind/);

    assert.equal((await api('POST', '/api/v1/mutes', muter.token, { user: 'nobody-here' })).statusCode, 404);
    const missing = await api('POST', '/api/v1/mutes', muter.token, {});
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.fields.user, 'Give a username.');
    for (const user of [42, '   ']) {
      const refused = await api('POST', '/api/v1/mutes', muter.token, { user });
      assert.equal(refused.statusCode, 400, `${user}`);
      assert.equal(refused.json().error.fields.user, 'Give a username.');
    }
    // A guest is told to bring a token before anything is made of the body.
    const guestPost = await archive.app.inject({ method: 'POST', url: '/api/v1/blocks', payload: {} });
    assert.equal(guestPost.statusCode, 401);
    assert.equal((await archive.app.inject({ method: 'GET', url: '/api/v1/mutes' })).statusCode, 401);

    assert.equal((await api('DELETE', '/api/v1/mutes/loudvoice', muter.token)).statusCode, 204);
    assert.equal((await api('GET', '/api/v1/mutes', muter.token)).json().items.length, 0);
    assert.match(textOf((await muterSession.get('/works')).body), /Shouting Into The Wind/);
  });

  it('refuses to mute or block oneself', async () => {
    for (const kind of ['mute', 'block']) {
      assert.equal((await muterSession.get(`/users/peacekeeper/${kind}`)).status, 400);
      const posted = await muterSession.post(`/users/peacekeeper/${kind}`, {});
      assert.equal(posted.status, 400);
      assert.match(textOf(posted.body), new RegExp(`You cannot ${kind} yourself`));
      const viaApi = await api('POST', `/api/v1/${kind}s`, muter.token, { user: 'peacekeeper' });
      assert.equal(viaApi.statusCode, 400);
    }
    assert.equal((await api('GET', '/api/v1/mutes', muter.token)).json().items.length, 0);
    assert.equal((await api('GET', '/api/v1/blocks', muter.token)).json().items.length, 0);
  });

  it('stops a blocked user from commenting on the blocker’s works, until unblocked', async () => {
    const heckler = await ApiWriter.signUp(archive.app, 'heckler');
    const hecklerSession = await sessionFor(heckler);
    const loudSession = await sessionFor(loud);
    const comment = (token: string) =>
      api('POST', `/api/v1/works/${loudWork}/comments`, token, { body: '<p>Well actually…</p>' });

    const before = await comment(heckler.token);
    assert.equal(before.statusCode, 201, before.body);

    const question = await loudSession.get('/users/heckler/block');
    assert.match(textOf(question.body), /not be able to comment on your works/);
    const done = await loudSession.submit('/users/heckler/block', {});
    assert.match(textOf(done.body), /You have blocked heckler/);

    const refused = await comment(heckler.token);
    assert.equal(refused.statusCode, 403, refused.body);
    const reply = await api('POST', `/api/v1/works/${loudWork}/comments`, heckler.token, {
      body: '<p>Replying anyway.</p>',
      parent_id: before.json().id,
    });
    assert.equal(reply.statusCode, 403, reply.body);
    await hecklerSession.get(`/works/${loudWork}`);
    const viaForm = await hecklerSession.post(`/works/${loudWork}/comments`, { body: 'Let me in.' });
    assert.equal(viaForm.status, 403);
    // Everyone else may still comment.
    assert.equal((await comment(quiet.token)).statusCode, 201);

    const blocked = await loudSession.get('/users/loudvoice/blocked');
    assert.equal(blocked.status, 200);
    assert.match(textOf(blocked.body), /heckler/);
    assert.equal((await hecklerSession.get('/users/loudvoice/blocked')).status, 403);
    const listed = (await api('GET', '/api/v1/blocks', loud.token)).json();
    assert.deepEqual(
      listed.items.map((item: { user: string }) => item.user),
      ['heckler'],
    );

    const undone = await loudSession.post('/users/heckler/unblock', { return_to: 'list' });
    assert.equal(undone.location, '/users/loudvoice/blocked');
    assert.match(textOf((await loudSession.get(undone.location!)).body), /You have not blocked anyone/);
    assert.equal((await comment(heckler.token)).statusCode, 201);
  });

  it('blocks and unblocks through the API', async () => {
    const blocked = await api('POST', '/api/v1/blocks', loud.token, { user: 'heckler' });
    assert.equal(blocked.statusCode, 201, blocked.body);
    assert.equal((await api('POST', '/api/v1/blocks', loud.token, { user: 'heckler' })).statusCode, 200);
    assert.equal((await api('GET', '/api/v1/blocks', loud.token)).json().items.length, 1);
    const heckler = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username: 'heckler', password: 'long enough password' },
    });
    const hecklerToken = heckler.json().token;
    const refused = await api('POST', `/api/v1/works/${loudWork}/comments`, hecklerToken, {
      body: '<p>Hi</p>',
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await api('DELETE', '/api/v1/blocks/heckler', loud.token)).statusCode, 204);
    assert.equal((await api('GET', '/api/v1/blocks', loud.token)).json().items.length, 0);
    const allowed = await api('POST', `/api/v1/works/${loudWork}/comments`, hecklerToken, {
      body: '<p>Hi</p>',
    });
    assert.equal(allowed.statusCode, 201);
  });
});
