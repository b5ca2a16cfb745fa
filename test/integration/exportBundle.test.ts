import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { readBundle } from '../../src/formats/quireBundle.ts';
import { ApiWriter } from '../support/apiClient.ts';
import { quire } from '../support/quireCommand.ts';
import { ReaderSession } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`quire export and quire import bundle (${testDialect})`, () => {
  let source: TestArchive;
  let target: TestArchive;
  let scratch: string;

  before(async () => {
    source = await startTestArchive();
    target = await startTestArchive();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-bundle-'));
    const tidewright = await ApiWriter.signUp(source.app, 'tidewright');
    const gullfriend = await ApiWriter.signUp(source.app, 'gullfriend');
    const first = await tidewright.postWork({
      title: 'Salt & Signal <One>',
      summary: '<p>Two keepers, one <em>bay</em>.</p>',
      notes: '<p>Written for the winter exchange.</p>',
      end_notes: '<p>Thank you for reading.</p>',
      rating: 'Teen And Up Audiences',
      warnings: ['No Archive Warnings Apply'],
      categories: ['F/F', 'Gen'],
      fandoms: ['Original Work'],
      relationships: ['North Keeper/South Keeper'],
      characters: ['North Keeper', 'South Keeper'],
      freeforms: ['Epistolary', 'Slow Burn'],
      language: 'fr',
      expected_chapters: 4,
      chapters: [
        { title: 'Matin', body: '<p>Le phare <strong>tourne</strong>.</p>', notes: '<p>A note.</p>' },
        { title: '', body: 'Second *chapter* here.', format: 'markdown' },
      ],
    });
    await tidewright.postWork({ title: 'A Draft Left Alone', draft: true });
    await tidewright.postWork({ title: 'Members Only', restricted: true });
    await gullfriend.postWork({ title: 'Gull Notes' });
    // Comments and series have no public writing paths yet; they are placed directly, as an import would.
    const db = source.archive.db;
    const now = new Date().toISOString();
    const work = await db
      .selectFrom('works')
      .select(['id'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    const chapter = await db
      .selectFrom('chapters')
      .select('id')
      .where('work_id', '=', work.id)
      .where('position', '=', 2)
      .executeTakeFirstOrThrow();
    const gull = await db
      .selectFrom('users')
      .innerJoin('pseuds', 'pseuds.user_id', 'users.id')
      .select(['users.id', 'pseuds.id as pseud'])
      .where('users.username', '=', 'gullfriend')
      .executeTakeFirstOrThrow();
    const thread = await db
      .insertInto('comments')
      .values({
        work_id: work.id,
        chapter_id: chapter.id,
        parent_id: null,
        user_id: gull.id,
        pseud_id: gull.pseud,
        guest_name: null,
        guest_email: null,
        body: '<p>Lovely.</p>',
        status: 'visible',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('comments')
      .values({
        work_id: work.id,
        chapter_id: chapter.id,
        parent_id: thread.id,
        user_id: null,
        pseud_id: null,
        guest_name: 'A passing reader',
        guest_email: 'reader@example.org',
        body: '<p>Agreed!</p>',
        status: 'visible',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db.updateTable('works').set({ comments_count: 2, hits: 17 }).where('id', '=', work.id).execute();
    const owner = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'tidewright')
      .executeTakeFirstOrThrow();
    const series = await db
      .insertInto('series')
      .values({
        user_id: owner.id,
        title: 'Harbour Cycle',
        summary: '<p>All of it.</p>',
        notes: '',
        complete: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('series_works')
      .values({ series_id: series.id, work_id: work.id, position: 1 })
      .execute();
  });
  after(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await source.close();
    await target.close();
  });

  it('round-trips a whole archive: export, import elsewhere, export again gives the same bundle', async () => {
    const exported = path.join(scratch, 'source.zip');
    const written = await quire(source, 'export', '--out', exported);
    assert.equal(written.status, 0, written.stderr);
    assert.match(written.stdout, /Wrote 4 works and 2 accounts/);

    const imported = await quire(target, 'import', 'bundle', exported);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(
      imported.stdout,
      /Accounts: 2 created, 0 already here\. Works: 4 imported, 0 already here, 0 failed\. Comments: 2\./,
    );

    const again = path.join(scratch, 'target.zip');
    assert.equal((await quire(target, 'export', '--out', again)).status, 0);
    const before = await readBundle(fs.readFileSync(exported));
    const after = await readBundle(fs.readFileSync(again));
    assert.deepEqual(after.users, before.users);
    assert.deepEqual(after.works, before.works);
    assert.deepEqual(
      after.series.map(({ key: _key, ...rest }) => rest),
      before.series.map(({ key: _key, ...rest }) => rest),
    );
  });

  it('lets imported accounts log in with their old password and shows the works as they were', async () => {
    const reader = new ReaderSession(target.app);
    const login = await reader.logIn('tidewright', 'long enough password');
    assert.equal(login.status, 303);
    const listing = (await target.app.inject({ method: 'GET', url: '/api/v1/works' })).json();
    const work = listing.works.find((entry: { title: string }) => entry.title === 'Salt & Signal <One>');
    assert.equal(work.language, 'fr');
    assert.equal(work.chapter_count, 2);
    assert.equal(work.expected_chapters, 4);
    assert.equal(work.comments_count, 2);
    assert.equal(work.hits, 17);
    assert.deepEqual(work.categories, ['F/F', 'Gen']);
    const page = await reader.get(`/works/${work.id}`);
    assert.match(page.body, /Part 1 of <a href="\/series\/\d+">Harbour Cycle<\/a>/);
  });

  it('writes the bundle readable by its owner alone, since it holds email addresses and password hashes', async () => {
    const fresh = path.join(scratch, 'private.zip');
    assert.equal((await quire(source, 'export', '--out', fresh)).status, 0);
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o600);
    // A file someone left world-readable at that path is replaced, not written into with its old mode.
    const existing = path.join(scratch, 'existing.zip');
    fs.writeFileSync(existing, 'old', { mode: 0o644 });
    fs.chmodSync(existing, 0o644);
    assert.equal((await quire(source, 'export', '--out', existing)).status, 0);
    assert.equal(fs.statSync(existing).mode & 0o777, 0o600);
    assert.equal((await readBundle(fs.readFileSync(existing))).users.length, 2);
    assert.deepEqual(
      fs.readdirSync(scratch).filter((name) => name.includes('.tmp')),
      [],
      'no temporary file is left behind',
    );
  });

  it("exports one writer's works alone", async () => {
    const file = path.join(scratch, 'gull.zip');
    const result = await quire(source, 'export', '--user', 'gullfriend', '--out', file);
    assert.equal(result.status, 0, result.stderr);
    const bundle = await readBundle(fs.readFileSync(file));
    assert.equal(bundle.manifest.scope, 'user:gullfriend');
    assert.deepEqual(
      bundle.works.map((work) => work.title),
      ['Gull Notes'],
    );
    assert.deepEqual(
      bundle.users.map((user) => user.username),
      ['gullfriend'],
    );
    assert.equal((await quire(source, 'export', '--user', 'nobody', '--out', file)).status, 1);
  });

  it('is idempotent and refuses malformed bundles with a reason', async () => {
    const exported = path.join(scratch, 'source.zip');
    const rerun = await quire(target, 'import', 'bundle', exported);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stdout, /Works: 0 imported, 4 already here/);

    const notZip = path.join(scratch, 'not.zip');
    fs.writeFileSync(notZip, 'plain text');
    const refused = await quire(target, 'import', 'bundle', notZip);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /not a readable bundle/);

    const zip = new yazl.ZipFile();
    zip.addBuffer(
      Buffer.from(
        JSON.stringify({
          format: 'quire-export',
          version: 1,
          exported_at: new Date().toISOString(),
          archive_name: 'x',
          scope: 'archive',
          works: 1,
        }),
      ),
      'manifest.json',
    );
    zip.addBuffer(Buffer.from('[]'), 'users.json');
    zip.addBuffer(Buffer.from('[]'), 'series.json');
    zip.addBuffer(Buffer.from(JSON.stringify({ title: '' })), 'works/000001.json');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const broken = path.join(scratch, 'broken.zip');
    fs.writeFileSync(broken, Buffer.concat(chunks));
    const invalid = await quire(target, 'import', 'bundle', broken);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /works\/000001\.json: title/);
  });
});
