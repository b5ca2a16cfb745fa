import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import yazl from 'yazl';
import { paths } from '../../src/domain/archivePaths.ts';
import { type ArchiveBundle, readBundle } from '../../src/formats/quireBundle.ts';
import { changeRole } from '../../src/services/staffRoles.ts';
import { ApiWriter } from '../support/apiClient.ts';
import { MEMBER_PASSWORD } from '../support/members.ts';
import { quire } from '../support/quireCommand.ts';
import { ReaderSession } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

/** What readers keep, with each work's key (its id in one archive) read as its title, to compare archives. */
function readerSide(bundle: ArchiveBundle) {
  const titles = new Map(bundle.works.map((work) => [work.key, work.title]));
  const seriesTitles = new Map(bundle.series.map((series) => [series.key, series.title]));
  const work = (key: string | null) => (key === null ? null : titles.get(key));
  const series = (key: string | null) => (key === null ? null : seriesTitles.get(key));
  return {
    bookmarks: bundle.bookmarks.map((entry) => ({
      ...entry,
      work: work(entry.work),
      series: series(entry.series),
    })),
    kudos: bundle.kudos.map((entry) => ({ ...entry, work: work(entry.work) })),
    subscriptions: bundle.subscriptions.map((entry) => ({
      ...entry,
      work: work(entry.work),
      series: series(entry.series),
    })),
    readings: bundle.readings.map((entry) => ({ ...entry, work: work(entry.work) })),
  };
}

/** Zip bytes of these files, as another tool (or an older Quire) might write a bundle. */
async function zipOf(files: Record<string, unknown>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, value] of Object.entries(files)) zip.addBuffer(Buffer.from(JSON.stringify(value)), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A member's pseuds as the API lists them, with the icon's URL read as its path alone. */
async function pseudsOf(archive: TestArchive, username: string) {
  const listed = await archive.app.inject({ method: 'GET', url: `/api/v1/users/${username}/pseuds` });
  assert.equal(listed.statusCode, 200, listed.body);
  return listed.json().pseuds.map(({ id: _id, url: _url, icon_url, ...pseud }: Record<string, unknown>) => ({
    ...pseud,
    icon: icon_url ? new URL(String(icon_url)).search : null,
  }));
}

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
    // A work given up to orphan_account, which is no account to move: the target credits its own.
    const given = await gullfriend.postWork({ title: 'Given Away' });
    const orphaned = await source.app.inject({
      method: 'POST',
      url: '/api/v1/orphans',
      headers: { authorization: `Bearer ${gullfriend.token}` },
      payload: { work_id: given.id, keep_pseud: true },
    });
    assert.equal(orphaned.statusCode, 200, orphaned.body);
    // Pseuds: the default one described, another with alt text and an icon.
    const asTide = async (method: string, url: string, payload: object | Buffer, type?: string) => {
      const response = await source.app.inject({
        method: method as 'POST',
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${tidewright.token}`, ...(type ? { 'content-type': type } : {}) },
        payload,
      });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const [defaultPseud] = (await asTide('GET', '/users/tidewright/pseuds', {})).pseuds;
    await asTide('PATCH', `/pseuds/${defaultPseud.id}`, { description: '<p>Keeper of <em>lights</em>.</p>' });
    const harbour = await asTide('POST', '/pseuds', {
      name: 'Harbour Light',
      description: '<p>For the shorter pieces.</p>',
      icon_alt_text: 'A green harbour light at dusk',
    });
    const png = await sharp({
      create: { width: 30, height: 20, channels: 3, background: { r: 30, g: 160, b: 90 } },
    })
      .png()
      .toBuffer();
    await asTide('PUT', `/pseuds/${harbour.id}/icon`, png, 'image/png');

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

    // What readers keep, through the API and pages: a bookmark with tags, kudos from a member and a
    // guest, subscriptions to a work, a series and a writer, and history.
    const gullApi = async (method: string, url: string, payload?: object) => {
      const response = await source.app.inject({
        method: method as 'POST',
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${gullfriend.token}` },
        ...(payload ? { payload } : {}),
      });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
    };
    await gullApi('POST', '/bookmarks', {
      work_id: first.id,
      notes: '<p>A <em>favourite</em>.</p>',
      tags: ['Comfort Read', 'Lighthouses'],
      rec: true,
    });
    await gullApi('POST', '/bookmarks', { series_id: series.id, private: true });
    await gullApi('POST', `/works/${first.id}/kudos`);
    await gullApi('POST', '/subscriptions', { work_id: first.id });
    await gullApi('POST', '/subscriptions', { series_id: series.id });
    await gullApi('POST', '/subscriptions', { user: 'tidewright' });
    await gullApi('POST', `/history/${first.id}/mark-for-later`);
    const guest = new ReaderSession(source.app);
    await guest.get(paths.logIn()); // a form's token, without counting a hit
    assert.equal((await guest.post(`/works/${first.id}/kudos`, {})).status, 303);

    // Tag wrangling: canonical tags, a fandom, a synonym and a meta tag.
    await changeRole(source.archive, 'command line', {
      login: 'gullfriend',
      role: 'wrangler',
      granted: true,
    });
    const wrangler = new ReaderSession(source.app);
    assert.equal((await wrangler.logIn('gullfriend', MEMBER_PASSWORD)).status, 303);
    const wrangle = async (tag: string, fields: Record<string, string>) => {
      await wrangler.get(paths.tag(tag));
      const answer = await wrangler.post(paths.wrangleTag(tag), fields);
      assert.equal(answer.status, 303, `${tag}: ${answer.body.slice(0, 300)}`);
    };
    await wrangle('Original Work', { canonical: 'on' });
    await wrangle('Slow Burn', { canonical: 'on' });
    await wrangle('Epistolary', { synonym_of: 'Slow Burn' });
    await wrangle('North Keeper', { canonical: 'on', fandoms: 'Original Work' });
    await wrangle('South Keeper', { canonical: 'on', fandoms: 'Original Work', meta_tags: 'North Keeper' });
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
    assert.match(written.stdout, /Wrote 5 works and 2 accounts/);

    const imported = await quire(target, 'import', 'bundle', exported);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(
      imported.stdout,
      /Accounts: 2 created, 0 already here\. Works: 5 imported, 0 already here, 0 failed\. Comments: 2\. Bookmarks, kudos, subscriptions and history: 8\. Tag wrangling links: \d+\./,
    );

    const again = path.join(scratch, 'target.zip');
    assert.equal((await quire(target, 'export', '--out', again)).status, 0);
    const before = await readBundle(fs.readFileSync(exported));
    const after = await readBundle(fs.readFileSync(again));
    assert.deepEqual(after.users, before.users);
    // Pseuds came along described and with their icons, served here under the same version.
    const tide = before.users.find((user) => user.username === 'tidewright');
    assert.deepEqual(
      tide?.pseuds.map((pseud) => [pseud.name, pseud.description, pseud.icon_alt_text, pseud.icon !== null]),
      [
        ['tidewright', '<p>Keeper of <em>lights</em>.</p>', '', false],
        ['Harbour Light', '<p>For the shorter pieces.</p>', 'A green harbour light at dusk', true],
      ],
    );
    const sourcePseuds = await pseudsOf(source, 'tidewright');
    assert.deepEqual(await pseudsOf(target, 'tidewright'), sourcePseuds);
    assert.match(sourcePseuds[1].icon, /^\?v=[0-9a-f]{64}$/);
    const withoutKeys = (bundle: ArchiveBundle) => bundle.works.map(({ key: _key, ...work }) => work);
    assert.deepEqual(withoutKeys(after), withoutKeys(before));
    assert.deepEqual(after.tags, before.tags);
    assert.deepEqual(readerSide(after), readerSide(before));
    // Each kind came along (so the comparisons above compare something).
    assert.equal(before.bookmarks.length, 2);
    assert.equal(before.kudos.length, 2);
    assert.equal(before.subscriptions.length, 3);
    assert.equal(before.readings.length, 1);
    const epistolary = before.tags.find((tag) => tag.name === 'Epistolary');
    assert.equal(epistolary?.synonym_of, 'Slow Burn');
    const south = before.tags.find((tag) => tag.name === 'South Keeper');
    assert.deepEqual(south?.parents, [
      { name: 'North Keeper', kind: 'meta' },
      { name: 'Original Work', kind: 'fandom' },
    ]);
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
    assert.equal(work.kudos_count, 2);
    assert.equal(work.bookmarks_count, 1);
    // The wrangling holds here too: a synonym's works are found under its canonical tag.
    const filtered = (
      await target.app.inject({
        method: 'GET',
        url: `/api/v1/works?include=${encodeURIComponent('Slow Burn')}`,
      })
    ).json();
    assert.deepEqual(
      filtered.works.map((entry: { title: string }) => entry.title),
      ['Salt & Signal <One>'],
    );
    assert.deepEqual(work.categories, ['F/F', 'Gen']);
    const given = listing.works.find((entry: { title: string }) => entry.title === 'Given Away');
    assert.deepEqual(given.creators, ['gullfriend']);
    assert.match((await reader.get(`/works/${given.id}`)).body, /gullfriend \(orphan_account\)/);
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
    assert.match(rerun.stdout, /Works: 0 imported, 5 already here/);
    assert.match(rerun.stdout, /Bookmarks, kudos, subscriptions and history: 0\. Tag wrangling links: 0\./);

    const notZip = path.join(scratch, 'not.zip');
    fs.writeFileSync(notZip, 'plain text');
    const refused = await quire(target, 'import', 'bundle', notZip);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /not a readable bundle/);

    const broken = path.join(scratch, 'broken.zip');
    fs.writeFileSync(
      broken,
      await zipOf({
        'manifest.json': {
          format: 'quire-export',
          version: 1,
          exported_at: new Date().toISOString(),
          archive_name: 'x',
          scope: 'archive',
          works: 1,
        },
        'users.json': [],
        'series.json': [],
        'works/000001.json': { title: '' },
      }),
    );
    const invalid = await quire(target, 'import', 'bundle', broken);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /works\/000001\.json: title/);
  });

  it('imports bundles written before pseuds had descriptions and icons, and refuses a broken icon', async () => {
    const manifest = {
      format: 'quire-export',
      version: 1,
      exported_at: '2026-01-01T00:00:00.000Z',
      archive_name: 'Older Quire',
      scope: 'archive',
      works: 0,
    };
    const account = (username: string, pseuds: object[]) => ({
      username,
      email: `${username}@example.org`,
      password_hash: 'legacy-hash',
      is_admin: false,
      created_at: '2025-06-01T00:00:00.000Z',
      pseuds,
    });
    const older = path.join(scratch, 'older.zip');
    fs.writeFileSync(
      older,
      await zipOf({
        'manifest.json': manifest,
        'users.json': [account('oldtimer', [{ name: 'oldtimer', is_default: true }])],
        'series.json': [],
      }),
    );
    const imported = await quire(target, 'import', 'bundle', older);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /Accounts: 1 created/);
    assert.deepEqual(await pseudsOf(target, 'oldtimer'), [
      {
        name: 'oldtimer',
        username: 'oldtimer',
        default: true,
        description: '',
        icon_alt_text: '',
        icon: null,
      },
    ]);

    const damaged = path.join(scratch, 'damaged-icon.zip');
    fs.writeFileSync(
      damaged,
      await zipOf({
        'manifest.json': manifest,
        'users.json': [
          account('iconless', [
            {
              name: 'iconless',
              is_default: true,
              icon: {
                content_type: 'image/webp',
                content: Buffer.from('<svg onload="alert(1)"/>').toString('base64'),
                created_at: '2025-06-01T00:00:00.000Z',
              },
            },
          ]),
        ],
        'series.json': [],
      }),
    );
    const refused = await quire(target, 'import', 'bundle', damaged);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /users\.json: iconless's pseud iconless: That icon could not be used/);
    assert.equal(
      (await target.app.inject({ method: 'GET', url: '/api/v1/users/iconless/pseuds' })).statusCode,
      404,
    );
  });
});
