import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { MEMBER_PASSWORD, type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const ARCHIVE_ORIGIN = 'https://quire.example';

/** Where a browser on the archive would go when told `Location: location`. */
function destination(location: string | undefined): URL {
  assert.ok(location, 'a redirect names where to go');
  return new URL(location, `${ARCHIVE_ORIGIN}/users/login`);
}

/** The attributes of one Set-Cookie line, lower-cased, without its value and lifetime. */
function cookieFlags(headers: Record<string, unknown>, name: string): string[] | undefined {
  const setCookie = headers['set-cookie'];
  const lines = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map(String);
  const line = lines.find((candidate) => candidate.startsWith(`${name}=`));
  return line
    ?.split(';')
    .slice(1)
    .map((attribute) => attribute.trim().toLowerCase())
    .filter((attribute) => !/^(max-age|expires)=/.test(attribute))
    .sort();
}

/** The value a cookie jar holds for `name`, taken from its Cookie header. */
function cookieValue(session: ReaderSession, name: string): string {
  const pair = session
    .cookieHeader()
    .split('; ')
    .find((entry) => entry.startsWith(`${name}=`));
  assert.ok(pair, `the reader holds a ${name} cookie`);
  return pair.slice(name.length + 1);
}

function csrfTokenOf(body: string): string {
  const token = body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  assert.ok(token, 'the page carries a CSRF token');
  return token;
}

describe(`log-in return paths, CSRF binding and private caching (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;
  let reader: Member;
  let workId: number;

  before(async () => {
    archive = await startTestArchive();
    writer = await ApiWriter.signUp(archive.app, 'lampwright');
    workId = (await writer.postWork({ title: 'Harbour Lights' })).id;
    reader = await member(archive, 'tidereader');
  });
  after(async () => archive.close());

  it('sends a reader back only to a path on this archive after logging in, whatever return_to holds', async () => {
    const hostile = [
      '//evil.example/path',
      '/\\evil.example/path',
      '\\\\evil.example',
      '/%09/evil.example/path',
      '/\t/evil.example/path',
      '/\n/evil.example',
      '/%0A/x',
      '/%0D%0ASet-Cookie:%20x=1',
      '/\r\nSet-Cookie: x=1',
      'https://evil.example/',
      'http:evil.example',
      'javascript:alert(1)',
      ' //evil.example',
      '/%2F%2Fevil.example',
      '/%5C%5Cevil.example',
      '/..//evil.example',
      '/./\\evil.example',
      '/\u0000/evil.example',
      '/caf\u00e9?q=\u2603#\u00e9',
    ];
    for (const value of hostile) {
      const guest = new ReaderSession(archive.app);
      const form = await guest.get(`/users/login?return_to=${encodeURIComponent(value)}`);
      assert.equal(form.status, 200, `the log-in form for return_to=${JSON.stringify(value)}`);
      const response = await guest.post('/users/login', {
        login: 'tidereader',
        password: MEMBER_PASSWORD,
        return_to: value,
      });
      assert.equal(response.status, 303, `return_to=${JSON.stringify(value)}: ${textOf(response.body)}`);
      const target = destination(response.location);
      assert.equal(
        target.origin,
        ARCHIVE_ORIGIN,
        `return_to=${JSON.stringify(value)} → ${response.location}`,
      );
      assert.match(response.location!, /^\/(?![/\\])[\x21-\x7e]*$/, `${JSON.stringify(response.location)}`);
    }
  });

  it('keeps a same-archive return path, query and all', async () => {
    const guest = new ReaderSession(archive.app);
    await guest.get('/users/login');
    const response = await guest.post('/users/login', {
      login: 'tidereader',
      password: MEMBER_PASSWORD,
      return_to: `/works/${workId}?view_full_work=true#comments`,
    });
    assert.equal(response.location, `/works/${workId}?view_full_work=true#comments`);
  });

  it('sends the mark-for-later form back to this archive without failing on a hostile return path', async () => {
    const page = await reader.page.get(`/works/${workId}`);
    assert.equal(page.status, 200);
    for (const value of [`/works/${workId}?\n`, `/works/${workId}/\\\\evil.example`, '/%0A/x']) {
      const response = await reader.page.post(`/works/${workId}/mark_for_later`, { return_to: value });
      assert.equal(response.status, 303, `return_to=${JSON.stringify(value)}: ${textOf(response.body)}`);
      assert.equal(destination(response.location).origin, ARCHIVE_ORIGIN);
    }
  });

  it('logs in from a form fetched as a guest, then refuses that guest token in the new session', async () => {
    const visitor = new ReaderSession(archive.app);
    const form = await visitor.get('/users/login');
    const guestToken = csrfTokenOf(form.body);
    const login = await visitor.post('/users/login', { login: 'tidereader', password: MEMBER_PASSWORD });
    assert.equal(login.status, 303, textOf(login.body));
    const refused = await visitor.post(`/works/${workId}/mark_for_later`, {}, { csrf: guestToken });
    assert.equal(refused.status, 403);
    assert.match(textOf(refused.body), /form has expired or did not come from this archive/);
    // A page loaded in the session gives a token that works there.
    await visitor.get(`/works/${workId}`);
    const accepted = await visitor.post(`/works/${workId}/mark_for_later`, {});
    assert.equal(accepted.status, 303, textOf(accepted.body));
  });

  it("refuses a token minted in one reader's session when it arrives in another's", async () => {
    const attacker = await member(archive, 'forger');
    const attackerToken = csrfTokenOf((await attacker.page.get(`/works/${workId}`)).body);
    // The attacker's own CSRF cookie and token, planted beside the victim's session cookie.
    const victimSession = cookieValue(reader.page, 'quire_session');
    const cookie = `_csrf=${cookieValue(attacker.page, '_csrf')}; quire_session=${victimSession}`;
    const forged = await archive.app.inject({
      method: 'POST',
      url: `/works/${workId}/mark_for_later`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: attackerToken }).toString(),
    });
    assert.equal(forged.statusCode, 403);
    assert.match(textOf(forged.body), /form has expired or did not come from this archive/);

    // The same browser after logging out and in as someone else: the old session's token is refused.
    const shared = new ReaderSession(archive.app);
    await shared.logIn('forger', MEMBER_PASSWORD);
    const oldToken = csrfTokenOf((await shared.get(`/works/${workId}`)).body);
    await shared.submit('/users/logout', {});
    assert.equal((await shared.logIn('tidereader', MEMBER_PASSWORD)).status, 303);
    const stale = await shared.post(`/works/${workId}/mark_for_later`, {}, { csrf: oldToken });
    assert.equal(stale.status, 403);
  });

  it('signs up from a form fetched as a guest and logs out with the token of the new session', async () => {
    const newcomer = new ReaderSession(archive.app);
    const home = await newcomer.signUp('freshink');
    assert.match(textOf(home.body), /Welcome to Quire, freshink/);
    const out = await newcomer.submit('/users/logout', {});
    assert.match(textOf(out.body), /You have logged out/);
  });

  it('gives the CSRF cookie the session cookie’s flags', async () => {
    const guest = new ReaderSession(archive.app);
    const form = await guest.get('/users/login');
    const login = await guest.post('/users/login', { login: 'tidereader', password: MEMBER_PASSWORD });
    const expected = ['httponly', 'path=/', 'samesite=lax'];
    assert.deepEqual(cookieFlags(form.headers, '_csrf'), expected);
    assert.deepEqual(cookieFlags(login.headers, 'quire_session'), expected);
  });

  it('marks both cookies Secure on HTTPS, as seen through a trusted proxy, and when forced on', async () => {
    const behindProxy = await startTestArchive({ environment: { QUIRE_TRUST_PROXY: 'on' } });
    const forced = await startTestArchive({ environment: { QUIRE_COOKIE_SECURE: 'on' } });
    try {
      const secure = ['httponly', 'path=/', 'samesite=lax', 'secure'];
      for (const [target, headers] of [
        [behindProxy, { 'x-forwarded-proto': 'https' }],
        [forced, {}],
      ] as const) {
        await ApiWriter.signUp(target.app, 'harbourmaster');
        const form = await target.app.inject({ method: 'GET', url: '/users/login', headers });
        const csrfCookie = String(form.headers['set-cookie']).split(';')[0];
        const login = await target.app.inject({
          method: 'POST',
          url: '/users/login',
          headers: { ...headers, cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            _csrf: csrfTokenOf(form.body),
            login: 'harbourmaster',
            password: MEMBER_PASSWORD,
          }).toString(),
        });
        assert.equal(login.statusCode, 303, login.body);
        assert.deepEqual(cookieFlags(form.headers, '_csrf'), secure);
        assert.deepEqual(cookieFlags(login.headers, 'quire_session'), secure);
      }
    } finally {
      await behindProxy.close();
      await forced.close();
    }
  });

  it('tells shared caches to keep nothing a logged-in reader is answered, pages and API alike', async () => {
    const pages = [
      '/',
      '/works',
      `/works/${workId}`,
      `/works/${workId}?view_full_work=true`,
      '/users/lampwright/works',
      '/users/tidereader/readings',
      '/tags/Original%20Work/works',
      '/tags/Original%20Work/feed.atom',
      '/no/such/page',
    ];
    for (const url of pages) {
      const answer = await reader.page.get(url);
      assert.equal(answer.headers['cache-control'], 'private, no-store', `${url} for a member`);
    }
    for (const url of ['/api/v1/works', `/api/v1/works/${workId}`, '/api/v1/history', '/api/v1/no-such']) {
      const answer = await archive.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${writer.token}` },
      });
      assert.equal(answer.headers['cache-control'], 'private, no-store', `${url} with a token`);
    }
  });

  it('leaves guest pages as cacheable as they were', async () => {
    const guest = new ReaderSession(archive.app);
    for (const url of ['/', `/works/${workId}`, '/users/lampwright/works', '/no/such/page']) {
      const answer = await guest.get(url);
      assert.equal(answer.headers['cache-control'], undefined, `${url} for a guest`);
    }
    const feed = await guest.get('/tags/Original%20Work/feed.atom');
    assert.equal(feed.headers['cache-control'], 'public, max-age=300');
    const asset = await guest.get('/assets/quire.css');
    assert.match(String(asset.headers['cache-control']), /max-age=3600/);
    const api = await archive.app.inject({ method: 'GET', url: '/api/v1/works' });
    assert.equal(api.headers['cache-control'], undefined);
  });
});
