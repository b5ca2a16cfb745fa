import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { quire } from '../support/quireCommand.ts';
import { ReaderSession } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`quire user admin (${testDialect})`, () => {
  let archive: TestArchive;
  let first: ReaderSession;
  let second: ReaderSession;

  /** Whether the reader, in the session they already have, is treated as an administrator. */
  async function administers(session: ReaderSession): Promise<boolean> {
    const page = await session.get('/admin/import');
    assert.ok(page.status === 200 || page.status === 403, `GET /admin/import answered ${page.status}`);
    return page.status === 200;
  }

  before(async () => {
    archive = await startTestArchive();
    first = new ReaderSession(archive.app);
    await first.signUp('firstkeeper');
    second = new ReaderSession(archive.app);
    await second.signUp('secondkeeper');
  });
  after(async () => archive.close());

  it('makes an existing account an administrator, at once in its open sessions', async () => {
    assert.equal(await administers(first), false);
    assert.doesNotMatch((await first.get('/')).body, /href="\/admin\/import"/);

    const made = await quire(archive, 'user', 'admin', 'FirstKeeper');
    assert.equal(made.status, 0, made.stderr);
    assert.equal(made.stdout, 'firstkeeper is now an administrator.\n');
    assert.equal(await administers(first), true);
    assert.match((await first.get('/')).body, /href="\/admin\/import"/);
    assert.equal(await administers(second), false);

    const again = await quire(archive, 'user', 'admin', 'firstkeeper');
    assert.equal(again.status, 0);
    assert.equal(again.stdout, 'firstkeeper is already an administrator; nothing changed.\n');

    const unknown = await quire(archive, 'user', 'admin', 'nobodyhere');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /There is no account named nobodyhere/);
    assert.equal((await quire(archive, 'user', 'admin')).status === 0, false, 'a login is required');
  });

  it('revokes an administrator, but never the last one', async () => {
    const last = await quire(archive, 'user', 'admin', 'firstkeeper', '--revoke');
    assert.equal(last.status, 1);
    assert.match(
      last.stderr,
      /firstkeeper is the archive's last administrator\. Make another account an administrator first \(quire user admin LOGIN\), then revoke firstkeeper\./,
    );
    assert.equal(await administers(first), true, 'the refused revocation changed nothing');

    assert.equal((await quire(archive, 'user', 'admin', 'secondkeeper')).status, 0);
    const revoked = await quire(archive, 'user', 'admin', 'firstkeeper', '--revoke');
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.equal(revoked.stdout, 'firstkeeper is no longer an administrator.\n');
    assert.equal(await administers(first), false);
    assert.equal(await administers(second), true);

    const notOne = await quire(archive, 'user', 'admin', 'firstkeeper', '--revoke');
    assert.equal(notOne.status, 0);
    assert.equal(notOne.stdout, 'firstkeeper was not an administrator; nothing changed.\n');
    assert.equal((await quire(archive, 'user', 'admin', 'SecondKeeper', '--revoke')).status, 1);
    assert.equal(await administers(second), true);
  });
});
