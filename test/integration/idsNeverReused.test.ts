import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { type ArchiveDatabase, createDatabase } from '../../src/db/database.ts';
import { MigrationError, migrateTo, migrateToLatest } from '../../src/db/migrate.ts';
import { usePasswordHashing } from '../../src/services/users.ts';
import { buildApp } from '../../src/web/app.ts';
import { MEMBER_PASSWORD, member } from '../support/members.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// A link to /works/4 or /comments/3 (an inbox item, a mail, a bookmark elsewhere, a reader's history)
// must never open another row than the one it was made for, even after that row is deleted.

const sqliteOnly = testDialect === 'sqlite' ? false : 'PostgreSQL sequences never hand an id out twice';
/** The last migration of the release before ids were kept from reuse. */
const BEFORE_IDS_KEPT = '011_data_exports';
const WORK_BASICS = {
  rating: 'General Audiences',
  warnings: ['No Archive Warnings Apply'],
  fandoms: ['Original Work'],
  chapters: [{ body: '<p>A chapter.</p>' }],
};

async function call(app: FastifyInstance, token: string, method: string, url: string, payload?: object) {
  const response = await app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.body ? JSON.parse(response.body) : null;
}

const chaptersOf = (work: Record<string, unknown>) => work.chapters as { id: number }[];

/** Every id each kind of row has been given in a test, to check that a new one is past all of them. */
class IdsGiven {
  private readonly given = new Map<string, number[]>();

  saw(kind: string, id: number): number {
    this.given.set(kind, [...(this.given.get(kind) ?? []), id]);
    return id;
  }

  assertNew(kind: string, id: number): number {
    const before = this.given.get(kind) ?? [];
    assert.ok(
      before.every((old) => id > old),
      `a new ${kind} was given id ${id}, which ${kind} ${Math.max(...before)} had (or passed) before it was deleted`,
    );
    return this.saw(kind, id);
  }
}

describe(`ids are never given twice (${testDialect})`, () => {
  let archive: TestArchive;
  before(async () => {
    archive = await startTestArchive();
  });
  after(async () => archive?.close());

  it('gives a new work, chapter, comment, bookmark, series and account an id no deleted one had', async () => {
    const app = archive.app;
    const ids = new IdsGiven();
    const seriesOf = async (workId: number) =>
      (
        await archive.archive.db
          .selectFrom('series_works')
          .select('series_id')
          .where('work_id', '=', workId)
          .executeTakeFirstOrThrow()
      ).series_id;
    const reader = await member(archive, 'stayingreader');
    const leaving = await member(archive, 'leavingwriter');
    ids.saw('account', reader.id);
    ids.saw('account', leaving.id);
    const work = await leaving.api.postWork({
      title: 'Kept a while',
      series_title: 'A series that goes',
      chapters: [{ body: '<p>One.</p>' }, { body: '<p>Two.</p>' }],
    });
    ids.saw('work', work.id);
    ids.saw('series', await seriesOf(work.id));
    const [, lastChapter] = chaptersOf(work);
    ids.saw('chapter', lastChapter.id);

    await call(app, leaving.api.token, 'DELETE', `/works/${work.id}/chapters/${lastChapter.id}`);
    const chapter = await call(app, leaving.api.token, 'POST', `/works/${work.id}/chapters`, {
      body: '<p>Two again.</p>',
    });
    ids.assertNew('chapter', chapter.id);

    const comment = await call(app, reader.api.token, 'POST', `/works/${work.id}/comments`, {
      body: 'First.',
    });
    ids.saw('comment', comment.id);
    await call(app, reader.api.token, 'DELETE', `/comments/${comment.id}`);
    const secondComment = await call(app, reader.api.token, 'POST', `/works/${work.id}/comments`, {
      body: 'Second.',
    });
    ids.assertNew('comment', secondComment.id);

    const bookmark = await call(app, reader.api.token, 'POST', '/bookmarks', { work_id: work.id });
    ids.saw('bookmark', bookmark.id);
    await call(app, reader.api.token, 'DELETE', `/bookmarks/${bookmark.id}`);
    const secondBookmark = await call(app, reader.api.token, 'POST', '/bookmarks', { work_id: work.id });
    ids.assertNew('bookmark', secondBookmark.id);

    const doomed = await leaving.api.postWork({ title: 'Soon gone' });
    ids.saw('work', doomed.id);
    ids.saw('chapter', chaptersOf(doomed)[0].id);
    await call(app, leaving.api.token, 'DELETE', `/works/${doomed.id}`);
    const newest = await leaving.api.postWork({ title: 'Newest of all' });
    ids.assertNew('work', newest.id);
    ids.assertNew('chapter', chaptersOf(newest)[0].id);

    // The newest account, work, chapter, series, comment and bookmark all go with the account.
    await call(app, leaving.api.token, 'DELETE', '/account', { password: MEMBER_PASSWORD, works: 'delete' });
    const arriving = await member(archive, 'arrivingwriter');
    ids.assertNew('account', arriving.id);
    const next = await arriving.api.postWork({ title: 'After them', series_title: 'A series that stays' });
    ids.assertNew('work', next.id);
    ids.assertNew('chapter', chaptersOf(next)[0].id);
    ids.assertNew('series', await seriesOf(next.id));
    const laterComment = await call(app, reader.api.token, 'POST', `/works/${next.id}/comments`, {
      body: 'Hi.',
    });
    ids.assertNew('comment', laterComment.id);
    const laterBookmark = await call(app, reader.api.token, 'POST', '/bookmarks', { work_id: next.id });
    ids.assertNew('bookmark', laterBookmark.id);
  });

  it('keys every table with an integer id, whichever migration made it, by a never-reused id', {
    skip: sqliteOnly,
  }, async () => {
    const tables = await tablesKeyedById(archive.archive.db as Kysely<unknown>);
    assert.ok(tables.length >= 15, `found only ${tables.length} tables keyed by an integer id`);
    const reusing = tables
      .filter((table) => !/\bautoincrement\b/i.test(table.sql))
      .map((table) => table.name);
    assert.deepEqual(
      reusing,
      [],
      "these tables give a deleted newest row's id to the next row: create them with `.addColumn('id', idColumn, idPrimaryKey)`",
    );
  });
});

describe('upgrading a SQLite archive made before ids were kept (migration 012)', { skip: sqliteOnly }, () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-ids-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  async function olderArchive(name: string): Promise<ArchiveDatabase> {
    const archive = createDatabase({ dialect: 'sqlite', file: path.join(folder, `${name}.db`) });
    await migrateTo(archive, BEFORE_IDS_KEPT);
    return archive;
  }

  it('keeps every row, index, trigger and the search index, and gives no deleted id again', async () => {
    const archive = await olderArchive('upgraded');
    const db = archive.db as Kysely<unknown>;
    try {
      // The archive in use under the older release: works, chapters, comments, bookmarks, search text.
      let app = await serve(archive);
      const writer = await signUp(app, 'olderwriter');
      const reader = await signUp(app, 'olderreader');
      const works = [];
      for (const title of ['Quillfeather', 'Marrowlight', 'Thistledown']) {
        works.push(
          await call(app, writer, 'POST', '/works', {
            title,
            ...WORK_BASICS,
            series_title: 'Older series',
            chapters: [{ body: `<p>The ${title.toLowerCase()} chapter.</p>` }, { body: '<p>Second.</p>' }],
          }),
        );
      }
      await call(app, reader, 'POST', `/works/${works[2].id}/comments`, { body: 'Lovely.' });
      await call(app, reader, 'POST', '/bookmarks', { work_id: works[2].id });
      await call(app, reader, 'POST', `/works/${works[2].id}/kudos`);
      // A deleted work in the middle leaves a gap that must stay a gap.
      await call(app, writer, 'DELETE', `/works/${works[1].id}`);
      await app.close();
      // Statistics the query planner reads, which dropping a table would lose.
      await sql`analyze`.execute(db);
      const before = await snapshot(db);
      const rebuilt = (await tablesKeyedById(db)).map((table) => table.name);

      assert.deepEqual(await migrateToLatest(archive), ['012_ids_never_reused']);

      const upgraded = await snapshot(db);
      // Only the migrations' own record grows (by 012), and SQLite's record of the highest ids is new.
      const { kysely_migration: _ran, sqlite_sequence: highest, ...kept } = upgraded.rows;
      const { kysely_migration: _ranBefore, ...was } = before.rows;
      assert.deepEqual(kept, was, 'every row of every table, with its id, is kept');
      assert.ok(highest.includes(JSON.stringify({ name: 'works', seq: works[2].id })), highest.join(', '));
      assert.deepEqual(upgraded.objects, before.objects, 'every index, trigger and view is as it was');
      for (const [table, statement] of Object.entries(before.tables)) {
        const expected = rebuilt.includes(table)
          ? statement.replace(/("id" integer primary key)/, '$1 autoincrement')
          : statement;
        assert.equal(upgraded.tables[table], expected, `the table ${table}`);
      }
      assert.deepEqual(
        Object.keys(upgraded.tables).sort(),
        [...Object.keys(before.tables), 'sqlite_sequence'].sort(),
      );
      assert.deepEqual((await sql`pragma integrity_check`.execute(db)).rows, [{ integrity_check: 'ok' }]);
      assert.deepEqual((await sql`pragma foreign_key_check`.execute(db)).rows, []);
      // Throws if the full-text index and the search texts it is made from disagree.
      await sql`insert into work_search_fts (work_search_fts, rank) values ('integrity-check', 1)`.execute(
        db,
      );
      assert.equal(
        (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0].foreign_keys,
        1,
      );

      app = await serve(archive);
      const found = await call(app, reader, 'GET', '/works?q=quillfeather');
      assert.deepEqual(
        found.works.map((work: { id: number }) => work.id),
        [works[0].id],
      );
      await call(app, writer, 'DELETE', `/works/${works[2].id}`);
      const next = await call(app, writer, 'POST', '/works', { title: 'After the upgrade', ...WORK_BASICS });
      assert.ok(next.id > works[2].id, `/works/${works[2].id} was deleted, and now opens another work`);
      await app.close();
    } finally {
      await archive.close();
    }
  });

  it('leaves the older schema whole when the rebuild fails part way, and succeeds once the cause is gone', async () => {
    const archive = await olderArchive('failing');
    const db = archive.db as Kysely<unknown>;
    try {
      // A table rebuilt after all the archive's own ones, holding a row its own CHECK refuses to copy.
      await sql`create table zz_refused (id integer primary key, n integer check (n > 0))`.execute(db);
      await sql`insert into zz_refused (n) values (1)`.execute(db);
      await sql`pragma ignore_check_constraints = on`.execute(db);
      await sql`insert into zz_refused (n) values (0)`.execute(db);
      await sql`pragma ignore_check_constraints = off`.execute(db);
      const app = await serve(archive);
      const writer = await signUp(app, 'patientwriter');
      await call(app, writer, 'POST', '/works', { title: 'Waiting', ...WORK_BASICS });
      await app.close();
      const before = await snapshot(db);

      await assert.rejects(migrateToLatest(archive), (error: Error) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, /012_ids_never_reused failed: .*CHECK constraint failed/);
        return true;
      });

      assert.deepEqual(await snapshot(db), before, 'no table, index, trigger or row changed');
      assert.equal(
        (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0].foreign_keys,
        1,
      );
      assert.equal(
        (await sql<{ legacy_alter_table: number }>`pragma legacy_alter_table`.execute(db)).rows[0]
          .legacy_alter_table,
        0,
      );
      await sql`delete from zz_refused where n <= 0`.execute(db);
      assert.deepEqual(await migrateToLatest(archive), ['012_ids_never_reused']);
      assert.deepEqual(
        await tablesKeyedById(db).then((tables) => tables.filter((t) => !/autoincrement/i.test(t.sql))),
        [],
      );
    } finally {
      await archive.close();
    }
  });
});

/** The app serving an archive as it stands, without migrating it. */
async function serve(archive: ArchiveDatabase): Promise<FastifyInstance> {
  const passwordHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
  usePasswordHashing(passwordHashing);
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', QUIRE_RATE_LIMIT: 'off' }), passwordHashing };
  return buildApp({ config, archive });
}

/** Signs a member up through the API and returns an API token of theirs. */
async function signUp(app: FastifyInstance, username: string): Promise<string> {
  const account = { username, email: `${username}@example.org`, password: MEMBER_PASSWORD };
  const created = await app.inject({ method: 'POST', url: '/api/v1/users', payload: account });
  assert.equal(created.statusCode, 201, created.body);
  const issued = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: account });
  return issued.json().token;
}

/** SQLite's tables whose key is one integer column named id (FTS5's own tables aside), with their SQL. */
async function tablesKeyedById(db: Kysely<unknown>): Promise<{ name: string; sql: string }[]> {
  const { rows } = await sql<{ name: string; sql: string }>`
    select m.name, m.sql from sqlite_master m
    join pragma_table_list l on l.name = m.name and l.schema = 'main' and l.type = 'table'
    where m.type = 'table' and m.name not like 'sqlite%'
      and (select count(*) from pragma_table_info(m.name) c where c.pk > 0) = 1
      and exists (select 1 from pragma_table_info(m.name) c where c.pk > 0 and lower(c.name) = 'id' and upper(c.type) = 'INTEGER')
    order by m.name`.execute(db);
  return rows;
}

/** Every row of every table, and the SQL of every table, index, trigger and view. */
async function snapshot(db: Kysely<unknown>) {
  const { rows: objects } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
    select type, name, tbl_name, sql from sqlite_master order by type, name`.execute(db);
  const tables: Record<string, string> = {};
  const rows: Record<string, string[]> = {};
  for (const object of objects.filter((o) => o.type === 'table')) {
    tables[object.name] = object.sql ?? '';
    if (object.sql?.startsWith('CREATE VIRTUAL')) continue;
    const { rows: all } = await sql<object>`select * from ${sql.table(object.name)}`.execute(db);
    rows[object.name] = all.map((row) => JSON.stringify(row)).sort();
  }
  return { tables, rows, objects: objects.filter((o) => o.type !== 'table') };
}
