import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

/** Pages a newcomer may land on before they have an account. */
const GUEST_PAGES = ['/', '/works', '/users/login', '/fandoms', '/works/search', '/no-such-page'];

/** The ways in a page offers a guest: every link to the sign-up page, by its text. */
function signUpLinks(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="\/signup"[^>]*>([^<]*)<\/a>/g)].map((match) => match[1]);
}

describe(`registration modes (${testDialect})`, () => {
  const archives: TestArchive[] = [];
  async function archiveWith(registration: string) {
    const archive = await startTestArchive({ environment: { QUIRE_REGISTRATION: registration } });
    archives.push(archive);
    return archive;
  }
  let closed: TestArchive;
  let invite: TestArchive;
  let open: TestArchive;

  before(async () => {
    [closed, invite, open] = [
      await archiveWith('closed'),
      await archiveWith('invite'),
      await archiveWith('open'),
    ];
  });
  after(async () => {
    for (const archive of archives) await archive.close();
  });

  it('offers no "Sign up" anywhere when registration is closed, and answers its sign-up page with 403', async () => {
    const guest = new ReaderSession(closed.app);
    for (const url of GUEST_PAGES) {
      const page = await guest.get(url);
      assert.deepEqual(signUpLinks(page.body), [], `${url} links to the sign-up page`);
      assert.doesNotMatch(textOf(page.body), /sign up|create an account/i, `${url} offers to sign up`);
    }

    const form = await guest.get('/signup');
    assert.equal(form.status, 403);
    assert.match(textOf(form.body), /This archive is not accepting new accounts at the moment\./);
    assert.doesNotMatch(form.body, /name="password"/);
    // Posting the form anyway, and the API's sign-up, are refused as before: see accounts.test.ts.
  });

  it('says "Sign up with an invitation" when registration is by invitation', async () => {
    const guest = new ReaderSession(invite.app);
    for (const url of ['/', '/users/login']) {
      const links = signUpLinks((await guest.get(url)).body);
      assert.ok(links.length > 0, `${url} shows the way in`);
      for (const text of links) assert.equal(text, 'Sign up with an invitation', url);
    }
    const form = await guest.get('/signup');
    assert.equal(form.status, 200);
    assert.match(form.body, /name="invitation"/);
  });

  it('offers "Sign up" in the header and on the log-in page when registration is open', async () => {
    const guest = new ReaderSession(open.app);
    assert.ok(signUpLinks((await guest.get('/works')).body).includes('Sign up'));
    assert.ok(signUpLinks((await guest.get('/users/login')).body).includes('Create an account'));
    assert.equal((await guest.get('/signup')).status, 200);
    // A member is offered nothing of the kind.
    await guest.signUp('newmember');
    assert.deepEqual(signUpLinks((await guest.get('/')).body), []);
  });
});
