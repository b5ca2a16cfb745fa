import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { runDueJobs } from '../../src/jobs/queue.ts';
import { registerUser } from '../../src/services/users.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const fixtures = path.resolve('test/fixtures/ao3');
const fixture = (name: string) => ({ name, bytes: fs.readFileSync(path.join(fixtures, name)) });
const MB = 1024 * 1024;
const BOUNDARY = '----quire-test-boundary';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The start of a multipart/form-data body as a browser sends it: the CSRF field first, then a file's header. */
function formHead(csrf: string | null, fileName: string): Buffer {
  const field =
    csrf === null ? '' : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`;
  return Buffer.from(
    `${field}--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
}

function multipart(csrf: string | null, files: { name: string; bytes: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  files.forEach((file, index) => {
    parts.push(formHead(index === 0 ? csrf : null, file.name), file.bytes, Buffer.from('\r\n'));
  });
  if (files.length === 0 && csrf !== null)
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    );
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/**
 * A body that is one huge file, made as it is read: `read()` says how many of its bytes the server ever
 * asked for, so a test can tell a refusal as the stream goes from one after the whole of it arrived.
 */
function endlessFile(csrf: string | null, fileBytes: number) {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let read = 0;
  function* body() {
    yield formHead(csrf, 'enormous.html');
    for (let sent = 0; sent < fileBytes; sent += chunk.length) {
      read += chunk.length;
      yield chunk;
    }
    yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  }
  return { stream: Readable.from(body(), { objectMode: false }), read: () => read };
}

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An AO3 one-shot download (work `workId` on AO3) whose chapter is `characters` long. */
function oneShotOf(workId: number, characters: number): Buffer {
  const html = fs.readFileSync(path.join(fixtures, 'one-shot.html'), 'utf8');
  return Buffer.from(
    html
      .replaceAll('51000999', String(workId))
      .replace('<p>雨停了', `<p>${'a'.repeat(characters)}</p><p>雨停了`),
  );
}

describe(`importing AO3 downloads through the web (${testDialect})`, () => {
  let archive: TestArchive;
  let dataFolder: string;
  let uploadFolder: string;

  async function adminSession(): Promise<{ admin: ReaderSession; csrf: string }> {
    const admin = new ReaderSession(archive.app);
    await admin.logIn('archivist', 'long enough password');
    const form = await admin.get('/admin/import');
    assert.equal(form.status, 200);
    return { admin, csrf: form.body.match(/name="_csrf" value="([^"]+)"/)![1] };
  }

  async function upload(
    session: ReaderSession,
    payload: Buffer | Readable,
    headers: Record<string, string> = {},
  ) {
    const response = await archive.app.inject({
      method: 'POST',
      url: '/admin/import',
      payload,
      headers: { 'content-type': CONTENT_TYPE, cookie: session.cookieHeader(), ...headers },
    });
    return { status: response.statusCode, body: response.body, headers: response.headers };
  }

  /** The page a browser lands on after the upload's redirect, carrying the notice cookie it was given. */
  async function landing(session: ReaderSession, answer: { headers: Record<string, unknown> }) {
    const given = [answer.headers['set-cookie'] ?? []].flat().map((line) => String(line).split(';')[0]);
    const response = await archive.app.inject({
      method: 'GET',
      url: String(answer.headers.location),
      headers: { cookie: [session.cookieHeader(), ...given].join('; ') },
    });
    return textOf(response.body);
  }

  async function runQueue() {
    await runDueJobs(archive.archive.db, archive.archive.dialect, jobHandlers(archive.config));
  }

  async function counts() {
    const db = archive.archive.db;
    const count = async (table: 'works' | 'chapters' | 'tags' | 'import_uploads') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const importJobs = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', 'import-upload')
      .executeTakeFirstOrThrow();
    return {
      works: await count('works'),
      chapters: await count('chapters'),
      tags: await count('tags'),
      uploads: await count('import_uploads'),
      importJobs: Number(importJobs.n),
    };
  }

  /** Files waiting on disk for a request: none once it is answered. */
  function filesOnDisk(): string[] {
    if (!fs.existsSync(uploadFolder)) return [];
    return fs.readdirSync(uploadFolder, { recursive: true }).map(String);
  }

  before(async () => {
    dataFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-uploads-'));
    uploadFolder = path.join(dataFolder, 'uploads');
    // A small limit, so that the files over it are small too.
    archive = await startTestArchive({
      environment: { QUIRE_DATA_DIR: dataFolder, QUIRE_IMPORT_MAX_FILE_MB: '1' },
    });
    await registerUser(
      archive.archive.db,
      { username: 'archivist', email: 'archivist@example.org', password: 'long enough password' },
      { mode: 'open', byAdministrator: true, admin: true },
    );
  });
  after(async () => {
    await archive.close();
    fs.rmSync(dataFolder, { recursive: true, force: true });
  });

  it('is for administrators only, refusing anyone else before reading what they send', async () => {
    assert.equal((await new ReaderSession(archive.app).get('/admin/import')).status, 401);
    const member = new ReaderSession(archive.app);
    await member.signUp('plainreader');
    assert.equal((await member.get('/admin/import')).status, 403);
    const page = await member.get('/');
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1];
    const refused = await upload(member, multipart(csrf, [fixture('one-shot.html')]));
    assert.equal(refused.status, 403);

    const enormous = endlessFile(csrf, 100 * MB);
    const guest = await upload(new ReaderSession(archive.app), enormous.stream);
    assert.equal(guest.status, 401);
    assert.ok(enormous.read() < 2 * MB, `read ${enormous.read()} bytes of a guest's upload`);
    assert.deepEqual(filesOnDisk(), []);
    assert.equal((await counts()).uploads, 0);
  });

  it('queues each uploaded file and answers at once; the queue imports them and reports each one', async () => {
    const { admin, csrf } = await adminSession();
    const earlier = await counts();
    const answer = await upload(
      admin,
      multipart(csrf, [
        fixture('current-template.html'),
        fixture('current-template.epub'),
        fixture('not-ao3.html'),
        { name: 'shelf.zip', bytes: await zipOf({ 'street-lamps.html': fixture('one-shot.html').bytes }) },
      ]),
    );
    assert.equal(answer.status, 303, answer.body);
    const queued = await landing(admin, answer);
    assert.match(queued, /Import queued: 4 files\./);
    assert.equal(queued.match(/Waiting in the queue to be imported/g)?.length, 4);
    assert.equal((await counts()).works, earlier.works, 'nothing is imported inside the request');
    assert.deepEqual(filesOnDisk(), [], 'the request leaves no files behind');

    await runQueue();
    const page = await admin.get('/admin/import');
    const text = textOf(page.body);
    assert.doesNotMatch(text, /Waiting in the queue/);
    assert.match(
      text,
      /current-template\.html \([\d.]+ MB\) Imported 1, skipped 0 already imported, failed 0\./,
    );
    assert.match(text, /Imported The Cartographer's Lantern/);
    assert.match(text, /Already here: The Cartographer's Lantern/);
    assert.match(text, /Failed: not-ao3\.html: not an AO3 download/);
    assert.match(text, /Imported 街灯/);
    const workLink = page.body.match(/Imported <a href="(\/works\/\d+)">The Cartographer/)![1];
    assert.equal((await admin.get(workLink)).status, 200);
    assert.equal((await counts()).works, earlier.works + 2);

    const stored = await archive.archive.db
      .selectFrom('import_uploads')
      .select(['status', 'content'])
      .execute();
    assert.ok(
      stored.every((row) => row.status === 'done' && row.content === null),
      'the job drops the bytes',
    );
  });

  it('reports a file that fails to be read or imported by name, and keeps nothing of it', async () => {
    const { admin, csrf } = await adminSession();
    const earlier = await counts();
    const answer = await upload(
      admin,
      multipart(csrf, [
        fixture('truncated.html'),
        // Read fine, refused by the archive: a chapter over AO3's 500,000 characters.
        { name: 'overlong.html', bytes: oneShotOf(1, 510_000) },
        // Small zipped, over the limit unzipped: refused before it is read.
        { name: 'packed.zip', bytes: await zipOf({ 'huge.html': oneShotOf(2, 3 * MB) }) },
      ]),
    );
    assert.equal(answer.status, 303, answer.body);
    await runQueue();
    const text = textOf((await admin.get('/admin/import')).body);
    assert.match(text, /Failed: truncated\.html: incomplete AO3 download/);
    assert.match(text, /Failed: overlong\.html: .*at most 500,000 characters/);
    assert.match(text, /Failed: packed\.zip:huge\.html: it is 3 MB, over the 1 MB a download may be/);
    const after = await counts();
    assert.deepEqual(
      { works: after.works, chapters: after.chapters, tags: after.tags },
      { works: earlier.works, chapters: earlier.chapters, tags: earlier.tags },
    );
  });

  it('refuses a file over the limit with 413 as it arrives, storing and queueing nothing', async () => {
    const { admin, csrf } = await adminSession();
    const earlier = await counts();
    const enormous = endlessFile(csrf, 200 * MB);
    const refused = await upload(admin, enormous.stream);
    assert.equal(refused.status, 413);
    assert.match(textOf(refused.body), /“enormous\.html” is larger than the 1 MB one file may be/);
    assert.ok(enormous.read() < 3 * MB, `read ${enormous.read()} bytes of a 200 MB file before refusing it`);
    assert.equal(refused.headers.connection, 'close');

    const json = await upload(admin, multipart(csrf, [{ name: 'big.html', bytes: oneShotOf(3, MB + 1) }]), {
      accept: 'application/json',
    });
    assert.equal(json.status, 413);
    assert.deepEqual(JSON.parse(json.body).error.code, 'too_large');
    assert.match(JSON.parse(json.body).error.message, /“big\.html” is larger than the 1 MB one file may be/);

    assert.deepEqual(await counts(), earlier);
    assert.deepEqual(filesOnDisk(), []);
  });

  it('refuses an upload declared larger than the limits allow before reading any of it', async () => {
    const { admin, csrf } = await adminSession();
    const enormous = endlessFile(csrf, 500 * MB);
    const refused = await upload(admin, enormous.stream, { 'content-length': String(500 * MB) });
    assert.equal(refused.status, 413);
    assert.match(textOf(refused.body), /An upload may hold 10 files of up to 1 MB each\./);
    assert.ok(enormous.read() < MB, `read ${enormous.read()} bytes before refusing`);
  });

  it('refuses more files than one upload may hold', async () => {
    const { admin, csrf } = await adminSession();
    const earlier = await counts();
    const files = Array.from({ length: 11 }, (_, index) => ({
      ...fixture('one-shot.html'),
      name: `${index}.html`,
    }));
    const refused = await upload(admin, multipart(csrf, files));
    assert.equal(refused.status, 413);
    assert.match(textOf(refused.body), /more files than one upload may hold\. An upload may hold 10 files/);
    assert.deepEqual(await counts(), earlier);
    assert.deepEqual(filesOnDisk(), []);
  });

  it('refuses files sent to any other form', async () => {
    const { admin, csrf } = await adminSession();
    const response = await archive.app.inject({
      method: 'POST',
      url: '/users/login',
      payload: multipart(csrf, [fixture('one-shot.html')]),
      headers: { 'content-type': CONTENT_TYPE, cookie: admin.cookieHeader() },
    });
    assert.equal(response.statusCode, 400);
    assert.match(textOf(response.body), /This form takes no files\./);
    assert.deepEqual(filesOnDisk(), []);
  });

  it('refuses an upload without the CSRF token or without files', async () => {
    const { admin, csrf } = await adminSession();
    const forged = await upload(admin, multipart(null, [fixture('one-shot.html')]));
    assert.equal(forged.status, 403);
    const empty = await upload(admin, multipart(csrf, []));
    assert.equal(empty.status, 400);
    assert.match(textOf(empty.body), /Choose at least one file/);
    assert.deepEqual(filesOnDisk(), []);
  });
});
