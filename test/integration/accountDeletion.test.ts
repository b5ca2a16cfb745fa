import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { MEMBER_PASSWORD, type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Deleting an account (issue 12): with the password, orphaning or deleting the works. Comments stay,
// credited to a deleted account; everything else of the member's goes. The last test reads every
// table the schema has (whatever later migrations add) for the member's id, name and address.

interface Column {
  table: string;
  column: string;
  /** text, binary or integer, as far as searching goes. */
  kind: 'text' | 'binary' | 'integer' | 'other';
  /** The column refers to users.id. */
  refersToUsers: boolean;
}

/** Every column of every table, from the database's own catalogue. */
async function schemaColumns(archive: TestArchive): Promise<Column[]> {
  const db = archive.archive.db;
  const userColumn = (name: string) => /(^|_)user_id$|^creator_id$|^target_id$|_by$/.test(name);
  if (archive.archive.dialect === 'sqlite') {
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
      -- FTS5's own segments keep a deleted document's words until it next merges them, as PostgreSQL
      -- keeps dead rows until VACUUM; neither is readable through the archive. work_search_texts, the
      -- text it indexes, is read like every other table.
      and name not like 'work_search_fts_%'`.execute(db);
    const columns: Column[] = [];
    for (const { name: table } of tables.rows) {
      const info = await sql<{ name: string; type: string }>`
        select name, type from pragma_table_info(${table})`.execute(db);
      const keys = await sql<{ table: string; from: string }>`
        select "table", "from" from pragma_foreign_key_list(${table})`.execute(db);
      for (const { name, type } of info.rows) {
        const declared = type.toLowerCase();
        columns.push({
          table,
          column: name,
          kind: /int/.test(declared)
            ? 'integer'
            : /blob/.test(declared)
              ? 'binary'
              : // FTS5 columns and timestamps are declared without a type or as text.
                'text',
          refersToUsers:
            keys.rows.some((key) => key.from === name && key.table === 'users') || userColumn(name),
        });
      }
    }
    return columns;
  }
  const rows = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = 'public'`.execute(db);
  const keys = await sql<{ table_name: string; column_name: string }>`
    select kcu.table_name, kcu.column_name
    from information_schema.referential_constraints rc
    join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
    where ccu.table_name = 'users' and ccu.column_name = 'id'`.execute(db);
  return rows.rows.map((row) => ({
    table: row.table_name,
    column: row.column_name,
    kind: /char|text/.test(row.data_type)
      ? 'text'
      : row.data_type === 'bytea'
        ? 'binary'
        : /int/.test(row.data_type)
          ? 'integer'
          : 'other',
    refersToUsers:
      keys.rows.some((key) => key.table_name === row.table_name && key.column_name === row.column_name) ||
      userColumn(row.column_name),
  }));
}

/** Every place in the database that still holds the user's id (in a user column), name or address. */
async function tracesOf(
  archive: TestArchive,
  user: { id: number; username: string; email: string },
): Promise<string[]> {
  const db = archive.archive.db;
  const found: string[] = [];
  for (const { table, column, kind, refersToUsers } of await schemaColumns(archive)) {
    const t = sql.table(table);
    const c = sql.ref(column);
    if (kind === 'integer' && refersToUsers) {
      const hits = await sql<{ n: number }>`select count(*) as n from ${t} where ${c} = ${user.id}`.execute(
        db,
      );
      if (Number(hits.rows[0].n) > 0) found.push(`${table}.${column} = ${user.id}`);
    }
    for (const text of [user.username.toLowerCase(), user.email.toLowerCase()]) {
      const match =
        kind === 'text'
          ? sql`lower(cast(${c} as text)) like ${`%${text}%`}`
          : kind === 'binary'
            ? archive.archive.dialect === 'sqlite'
              ? sql`instr(lower(cast(${c} as text)), ${text}) > 0`
              : sql`position(convert_to(${text}, 'UTF8') in ${c}) > 0`
            : null;
      if (!match) continue;
      const hits = await sql<{ n: number }>`select count(*) as n from ${t} where ${match}`.execute(db);
      if (Number(hits.rows[0].n) > 0) found.push(`${table}.${column} holds “${text}”`);
    }
  }
  return found;
}

describe(`deleting an account (${testDialect})`, () => {
  let archive: TestArchive;
  let doomed: Member;
  let friend: Member;
  let doomedWork: { id: number };
  let doomedDraft: { id: number };
  let friendWork: { id: number };

  async function api(token: string, method: string, url: string, payload?: object) {
    const response = await archive.app.inject({
      method: method as 'POST',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: () => response.json(), body: response.body };
  }
  const guestApi = async (url: string) =>
    (await archive.app.inject({ method: 'GET', url: `/api/v1${url}` })).json();

  before(async () => {
    archive = await startTestArchive();
    doomed = await member(archive, 'vanishingquill');
    friend = await member(archive, 'steadyfriend');
    const bystander = await member(archive, 'quietbystander');
    const token = doomed.api.token;
    doomedWork = await doomed.api.postWork({ title: 'Left Behind', series_title: 'The Quill Cycle' });
    doomedDraft = await doomed.api.postWork({ title: 'Never Posted', draft: true });
    friendWork = await friend.api.postWork({ title: 'Friendly Harbour' });

    // The friend follows the writer and their work, and leaves kudos, a comment and a bookmark on it.
    assert.equal(
      (await api(friend.api.token, 'POST', '/subscriptions', { user: 'vanishingquill' })).status,
      201,
    );
    assert.equal(
      (await api(friend.api.token, 'POST', '/subscriptions', { work_id: doomedWork.id })).status,
      201,
    );
    assert.equal((await api(friend.api.token, 'POST', `/works/${doomedWork.id}/kudos`)).status, 201);
    assert.equal(
      (await api(friend.api.token, 'POST', `/works/${doomedWork.id}/comments`, { body: 'Stay!' })).status,
      201,
    );
    assert.equal((await api(friend.api.token, 'POST', '/bookmarks', { work_id: doomedWork.id })).status, 201);
    // A new chapter reaches the friend's inbox (and mail queue) with the writer's name in it.
    assert.equal(
      (await api(token, 'POST', `/works/${doomedWork.id}/chapters`, { body: '<p>One more.</p>' })).status,
      201,
    );

    // The member reads, comments, leaves kudos, bookmarks, subscribes, marks for later, mutes and blocks.
    assert.equal((await doomed.page.get(`/works/${friendWork.id}`)).status, 200);
    assert.equal(
      (await api(token, 'POST', `/works/${friendWork.id}/comments`, { body: 'A comment that outlives me.' }))
        .status,
      201,
    );
    assert.equal((await api(token, 'POST', `/works/${friendWork.id}/kudos`)).status, 201);
    assert.equal(
      (
        await api(token, 'POST', '/bookmarks', {
          work_id: friendWork.id,
          notes: 'My secret note',
          tags: ['Mine'],
        })
      ).status,
      201,
    );
    assert.equal((await api(token, 'POST', '/subscriptions', { work_id: friendWork.id })).status, 201);
    assert.equal((await api(token, 'POST', `/history/${friendWork.id}/mark-for-later`)).status, 200);
    assert.equal((await api(token, 'POST', '/mutes', { user: bystander.username })).status, 201);
    assert.equal((await api(token, 'POST', '/blocks', { user: bystander.username })).status, 201);
    assert.equal((await guestApi(`/works/${friendWork.id}`)).bookmarks_count, 1);
  });
  after(async () => archive.close());

  it('asks for the password on its own page and changes nothing when it is wrong', async () => {
    const page = await doomed.page.get('/users/vanishingquill/delete');
    assert.equal(page.status, 200);
    assert.match(textOf(page.body), /This cannot be undone/);
    assert.equal((await friend.page.get('/users/vanishingquill/delete')).status, 403);

    const wrong = await doomed.page.post('/users/vanishingquill/delete', {
      password: 'not it',
      works: 'orphan',
    });
    assert.equal(wrong.status, 400);
    assert.match(textOf(wrong.body), /That is not your password/);
    const wrongApi = await api(doomed.api.token, 'DELETE', '/account', {
      password: 'not it',
      works: 'delete',
    });
    assert.equal(wrongApi.status, 400);
    assert.equal(wrongApi.json().error.fields.password, 'That is not your password.');
    assert.equal((await api(doomed.api.token, 'GET', `/works/${doomedDraft.id}`)).status, 200);
    assert.equal((await new ReaderSession(archive.app).logIn('vanishingquill', MEMBER_PASSWORD)).status, 303);
  });

  it('deletes the account, orphaning its works; comments stay, credited to a deleted account', async () => {
    const done = await doomed.page.post('/users/vanishingquill/delete', {
      password: MEMBER_PASSWORD,
      works: 'orphan',
    });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/');
    assert.match(String(done.headers['set-cookie']), /quire_session=;/);
    // Logged out everywhere: the page session, the API token, and no log-in any more.
    assert.equal((await doomed.page.get('/users/login')).body.includes('vanishingquill'), false);
    assert.equal((await api(doomed.api.token, 'GET', '/inbox')).status, 401);
    assert.notEqual(
      (await new ReaderSession(archive.app).logIn('vanishingquill', MEMBER_PASSWORD)).status,
      303,
    );
    assert.equal(
      (await archive.app.inject({ method: 'GET', url: '/users/vanishingquill/works' })).statusCode,
      404,
    );

    // The posted work stays, orphaned, with what readers gave it; the draft is gone.
    const left = await guestApi(`/works/${doomedWork.id}`);
    assert.deepEqual(left.creators, ['orphan_account']);
    assert.equal(left.kudos_count, 1);
    assert.equal(left.comments_count, 1);
    assert.equal(left.bookmarks_count, 1);
    assert.equal((await api(friend.api.token, 'GET', `/works/${doomedDraft.id}`)).status, 404);

    // On the friend's work: the comment stays, unsigned; the kudos still counts, nameless; the bookmark goes.
    const friendly = await guestApi(`/works/${friendWork.id}`);
    assert.equal(friendly.comments_count, 1);
    assert.equal(friendly.kudos_count, 1);
    assert.equal(friendly.bookmarks_count, 0);
    const kudos = await guestApi(`/works/${friendWork.id}/kudos`);
    assert.deepEqual(kudos.users, []);
    const workPage = textOf((await friend.page.get(`/works/${friendWork.id}`)).body);
    assert.match(workPage, /A comment that outlives me\./);
    assert.match(workPage, /A deleted account/);
    assert.doesNotMatch(workPage, /vanishingquill/);
    const inbox = (await api(friend.api.token, 'GET', '/inbox')).json();
    assert.ok(
      inbox.items.some((item: { text: string }) => item.text.startsWith('A deleted account left a comment')),
    );
  });

  it('leaves nothing of the account in any table: not its id, its name nor its address', async () => {
    // The search does find a member who is still here, in the tables that hold them.
    const present = await tracesOf(archive, {
      id: friend.id,
      username: 'steadyfriend',
      email: 'steadyfriend@example.org',
    });
    for (const place of [
      'users.username holds',
      'users.email holds',
      'pseuds.name holds',
      'kudos.user_id =',
      'bookmarks.user_id =',
      'subscriptions.user_id =',
    ])
      assert.ok(
        present.some((trace) => trace.startsWith(place)),
        `${place}: ${present.join(', ')}`,
      );
    // The friend's rows (their kudos, comment and bookmark on the orphaned work) are no trace of the member.
    assert.deepEqual(
      await tracesOf(archive, {
        id: doomed.id,
        username: 'vanishingquill',
        email: 'vanishingquill@example.org',
      }),
      [],
    );
  });

  it("can keep the pseud's name on the orphaned works, as the member chooses", async () => {
    const named = await member(archive, 'keptname');
    const work = await named.api.postWork({ title: 'Signed Still' });
    await named.page.get('/users/keptname/delete');
    const done = await named.page.post('/users/keptname/delete', {
      password: MEMBER_PASSWORD,
      works: 'orphan',
      keep_pseud: 'on',
    });
    assert.equal(done.status, 303);
    assert.match(textOf((await friend.page.get(`/works/${work.id}`)).body), /keptname \(orphan_account\)/);
  });

  it('deletes an account and its works through the API', async () => {
    const leaving = await member(archive, 'apileaver');
    const work = await leaving.api.postWork({ title: 'Gone With Me' });
    assert.equal(
      (await api(friend.api.token, 'POST', `/works/${work.id}/comments`, { body: 'Bye' })).status,
      201,
    );
    const deleted = await api(leaving.api.token, 'DELETE', '/account', {
      password: MEMBER_PASSWORD,
      works: 'delete',
    });
    assert.equal(deleted.status, 204, deleted.body);
    assert.equal((await api(friend.api.token, 'GET', `/works/${work.id}`)).status, 404);
    assert.equal((await api(leaving.api.token, 'GET', '/inbox')).status, 401);
    assert.deepEqual(
      await tracesOf(archive, { id: leaving.id, username: 'apileaver', email: 'apileaver@example.org' }),
      [],
    );
    // The only administrator cannot leave the archive without one.
    await archive.archive.db.updateTable('users').set({ is_admin: 0 }).execute();
    await archive.archive.db
      .updateTable('users')
      .set({ is_admin: 1 })
      .where('username', '=', 'steadyfriend')
      .execute();
    const lastAdmin = await api(friend.api.token, 'DELETE', '/account', {
      password: MEMBER_PASSWORD,
      works: 'orphan',
    });
    assert.equal(lastAdmin.status, 409);
    assert.match(lastAdmin.json().error.message, /only administrator/);
    assert.equal((await api(friend.api.token, 'GET', '/inbox')).status, 200);
    const guest = await archive.app.inject({
      method: 'DELETE',
      url: '/api/v1/account',
      payload: { password: MEMBER_PASSWORD, works: 'delete' },
    });
    assert.equal(guest.statusCode, 401);
  });
});
