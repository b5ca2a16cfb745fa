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
  const IDS_KEPT = '012_ids_never_reused';
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
      const older = await fillOlderArchive(db);
      // Statistics the query planner reads, which dropping a table would lose.
      await sql`analyze`.execute(db);
      const before = await snapshot(db);
      const rebuilt = (await tablesKeyedById(db)).map((table) => table.name);
      assert.ok(rebuilt.includes('works') && rebuilt.includes('search_index_changes'), rebuilt.join(', '));

      assert.deepEqual(await migrateTo(archive, IDS_KEPT), [IDS_KEPT]);

      const upgraded = await snapshot(db);
      // Only the migrations' own record grows (by 012), and SQLite's record of the highest ids is new.
      const { kysely_migration: _ran, sqlite_sequence: highest, ...kept } = upgraded.rows;
      const { kysely_migration: _ranBefore, ...was } = before.rows;
      assert.deepEqual(kept, was, 'every row of every table, with its id, is kept');
      assert.ok(
        highest.includes(JSON.stringify({ name: 'works', seq: older.workIds[2] })),
        highest.join(', '),
      );
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
      // The works' triggers, made again, still log changes for the search index past the ids logged before.
      const logged = await sql<{ id: number }>`select max(id) as id from search_index_changes`.execute(db);
      await sql`delete from works where id = ${older.workIds[2]}`.execute(db);
      const relogged = await sql<{ work_id: number }>`
        select distinct work_id from search_index_changes where id > ${logged.rows[0].id}`.execute(db);
      assert.deepEqual(relogged.rows, [{ work_id: older.workIds[2] }]);

      // The app of this release, once every later migration has run too.
      await migrateToLatest(archive);
      const app = await serve(archive);
      try {
        const writer = await signUp(app, 'newerwriter');
        const found = await call(app, writer, 'GET', '/works?q=quillfeather');
        assert.deepEqual(
          found.works.map((work: { id: number }) => work.id),
          [older.workIds[0]],
        );
        const next = await call(app, writer, 'POST', '/works', {
          title: 'After the upgrade',
          ...WORK_BASICS,
        });
        assert.ok(
          next.id > older.workIds[2],
          `/works/${older.workIds[2]} was deleted, and now opens another work`,
        );
      } finally {
        await app.close();
      }
    } finally {
      await archive.close();
    }
  });

  it('leaves the older schema whole when the rebuild fails part way, and succeeds once the cause is gone', async () => {
    const archive = await olderArchive('failing');
    const db = archive.db as Kysely<unknown>;
    try {
      await fillOlderArchive(db);
      // A table rebuilt after all the archive's own ones, holding a row its own CHECK refuses to copy.
      await sql`create table zz_refused (id integer primary key, n integer check (n > 0))`.execute(db);
      await sql`insert into zz_refused (n) values (1)`.execute(db);
      await sql`pragma ignore_check_constraints = on`.execute(db);
      await sql`insert into zz_refused (n) values (0)`.execute(db);
      await sql`pragma ignore_check_constraints = off`.execute(db);
      const before = await snapshot(db);

      await assert.rejects(migrateTo(archive, IDS_KEPT), (error: Error) => {
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
      assert.deepEqual(await migrateTo(archive, IDS_KEPT), [IDS_KEPT]);
      const reusing = (await tablesKeyedById(db)).filter((table) => !/autoincrement/i.test(table.sql));
      assert.deepEqual(reusing, []);
    } finally {
      await archive.close();
    }
  });
});

/**
 * An archive in use under the release before 012, written in that schema's own terms (it never changes,
 * whatever later releases do): two members, three works with chapters, tags, search text, a series,
 * a comment, a bookmark, kudos and an inbox item, and the middle work deleted again.
 */
async function fillOlderArchive(db: Kysely<unknown>): Promise<{ workIds: number[] }> {
  const now = new Date().toISOString();
  const insert = async (statement: ReturnType<typeof sql<{ id: number }>>) =>
    (await statement.execute(db)).rows[0].id;
  const member = async (name: string) => {
    const userId = await insert(sql`insert into users
      (username, username_key, email, email_key, password_hash, created_at)
      values (${name}, ${name}, ${`${name}@example.org`}, ${`${name}@example.org`}, 'not a hash', ${now})
      returning id`);
    await sql`insert into usernames (name_key, user_id) values (${name}, ${userId})`.execute(db);
    const pseudId = await insert(sql`insert into pseuds (user_id, name, name_key, is_default, created_at)
      values (${userId}, ${name}, ${name}, 1, ${now}) returning id`);
    return { userId, pseudId };
  };
  const writer = await member('olderwriter');
  const reader = await member('olderreader');
  const rating = await insert(sql`insert into tags (name, name_key, type, canonical, created_at)
    values ('General Audiences', 'general audiences', 'rating', 1, ${now}) returning id`);
  const seriesId = await insert(sql`insert into series (user_id, title, created_at, updated_at)
    values (${writer.userId}, 'Older series', ${now}, ${now}) returning id`);
  const workIds: number[] = [];
  for (const title of ['Quillfeather', 'Marrowlight', 'Thistledown']) {
    const body = `<p>The ${title.toLowerCase()} chapter.</p>`;
    const workId = await insert(sql`insert into works
      (title, word_count, chapter_count, created_at, published_at, updated_at, revised_at)
      values (${title}, 3, 1, ${now}, ${now}, ${now}, ${now}) returning id`);
    workIds.push(workId);
    await sql`insert into chapters (work_id, position, body, word_count, created_at, updated_at)
      values (${workId}, 1, ${body}, 3, ${now}, ${now})`.execute(db);
    await sql`insert into work_creators (work_id, pseud_id) values (${workId}, ${writer.pseudId})`.execute(
      db,
    );
    await sql`insert into work_tags (work_id, tag_id) values (${workId}, ${rating})`.execute(db);
    await sql`insert into work_filter_tags (work_id, tag_id) values (${workId}, ${rating})`.execute(db);
    await sql`insert into work_search_texts (work_id, title, creators, tags, summary, body)
      values (${workId}, ${title}, 'olderwriter', 'General Audiences', '', ${body})`.execute(db);
    await sql`insert into series_works (series_id, work_id, position)
      values (${seriesId}, ${workId}, ${workIds.length})`.execute(db);
  }
  const lastWork = workIds[2];
  const commentId =
    await insert(sql`insert into comments (work_id, user_id, pseud_id, body, created_at, updated_at)
    values (${lastWork}, ${reader.userId}, ${reader.pseudId}, '<p>Lovely.</p>', ${now}, ${now}) returning id`);
  await sql`insert into notifications (user_id, kind, work_id, comment_id, text, created_at)
    values (${writer.userId}, 'comment', ${lastWork}, ${commentId}, 'A comment', ${now})`.execute(db);
  await sql`insert into bookmarks (user_id, work_id, created_at, updated_at)
    values (${reader.userId}, ${lastWork}, ${now}, ${now})`.execute(db);
  await sql`insert into kudos (work_id, user_id, created_at) values (${lastWork}, ${reader.userId}, ${now})`.execute(
    db,
  );
  // A deleted work in the middle leaves a gap that must stay a gap.
  await sql`delete from works where id = ${workIds[1]}`.execute(db);
  return { workIds };
}

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
