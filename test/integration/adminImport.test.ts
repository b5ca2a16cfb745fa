import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerUser } from '../../src/services/users.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const fixtures = path.resolve('test/fixtures/ao3');

/** A multipart/form-data body as a browser sends it: the CSRF field first, then the files. */
function multipart(csrf: string | null, files: { name: string; bytes: Buffer }[]) {
  const boundary = '----quire-test-boundary';
  const parts: Buffer[] = [];
  if (csrf !== null)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    );
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
    );
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe(`importing AO3 downloads through the web (${testDialect})`, () => {
  let archive: TestArchive;

  async function upload(
    session: ReaderSession,
    csrf: string | null,
    files: { name: string; bytes: Buffer }[],
  ) {
    const body = multipart(csrf, files);
    const cookie = session.cookieHeader();
    const response = await archive.app.inject({
      method: 'POST',
      url: '/admin/import',
      payload: body.payload,
      headers: { 'content-type': body.contentType, cookie },
    });
    return { status: response.statusCode, body: response.body };
  }

  before(async () => {
    archive = await startTestArchive();
    await registerUser(
      archive.archive.db,
      { username: 'archivist', email: 'archivist@example.org', password: 'long enough password' },
      { mode: 'open', byAdministrator: true, admin: true },
    );
  });
  after(async () => archive.close());

  it('is for administrators only', async () => {
    assert.equal((await new ReaderSession(archive.app).get('/admin/import')).status, 401);
    const member = new ReaderSession(archive.app);
    await member.signUp('plainreader');
    assert.equal((await member.get('/admin/import')).status, 403);
    const page = await member.get('/');
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1];
    const refused = await upload(member, csrf, [
      { name: 'one-shot.html', bytes: fs.readFileSync(path.join(fixtures, 'one-shot.html')) },
    ]);
    assert.equal(refused.status, 403);
  });

  it('imports uploaded files and zips, reporting each one', async () => {
    const admin = new ReaderSession(archive.app);
    await admin.logIn('archivist', 'long enough password');
    const form = await admin.get('/admin/import');
    assert.equal(form.status, 200);
    const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)![1];
    const result = await upload(admin, csrf, [
      { name: 'current-template.html', bytes: fs.readFileSync(path.join(fixtures, 'current-template.html')) },
      { name: 'current-template.epub', bytes: fs.readFileSync(path.join(fixtures, 'current-template.epub')) },
      { name: 'not-ao3.html', bytes: fs.readFileSync(path.join(fixtures, 'not-ao3.html')) },
    ]);
    assert.equal(result.status, 200);
    const text = textOf(result.body);
    assert.match(text, /Imported 1, skipped 1 already imported, failed 1\./);
    assert.match(text, /Imported The Cartographer's Lantern/);
    assert.match(text, /Failed: not-ao3\.html: not an AO3 download/);
  });

  it('refuses an upload without the CSRF token or without files', async () => {
    const admin = new ReaderSession(archive.app);
    await admin.logIn('archivist', 'long enough password');
    const form = await admin.get('/admin/import');
    const csrf = form.body.match(/name="_csrf" value="([^"]+)"/)![1];
    const forged = await upload(admin, null, [
      { name: 'one-shot.html', bytes: fs.readFileSync(path.join(fixtures, 'one-shot.html')) },
    ]);
    assert.equal(forged.status, 403);
    const empty = await upload(admin, csrf, []);
    assert.equal(empty.status, 400);
    assert.match(textOf(empty.body), /Choose at least one file/);
  });
});
