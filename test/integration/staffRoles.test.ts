import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordStaffAction } from '../../src/services/auditLog.ts';
import { type Member, member } from '../support/members.ts';
import { quire } from '../support/quireCommand.ts';
import { textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`staff roles and the audit log (${testDialect})`, () => {
  let archive: TestArchive;
  let chief: Member;
  let moderator: Member;
  let reader: Member;
  let bystander: Member;

  async function api(who: Member | null, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) {
    const response = await archive.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? { authorization: `Bearer ${who.api.token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null };
  }

  const setRole = (who: Member, login: string, body: object) =>
    api(who, 'PUT', `/admin/users/${login}/roles`, body);

  /** The audit log's newest entry, as an administrator reads it through the API. */
  async function newestEntry() {
    const log = await api(chief, 'GET', '/admin/audit');
    assert.equal(log.status, 200, JSON.stringify(log.json));
    return log.json.entries[0];
  }

  async function rolesOf(login: string): Promise<string[]> {
    const found = await api(chief, 'GET', `/admin/users?q=${login}`);
    return found.json.users.find((user: { username: string }) => user.username === login).roles;
  }

  before(async () => {
    archive = await startTestArchive();
    chief = await member(archive, 'chief');
    moderator = await member(archive, 'moderator');
    reader = await member(archive, 'reader');
    bystander = await member(archive, 'bystander');
  });
  after(async () => archive.close());

  it('grants roles with `quire user role`, recorded as done from the command line', async () => {
    const admin = await quire(archive, 'user', 'role', 'Chief', 'administrator');
    assert.equal(admin.status, 0, admin.stderr);
    assert.equal(admin.stdout, 'chief is now an administrator.\n');

    const made = await quire(
      archive,
      'user',
      'role',
      'moderator',
      'moderator',
      '--reason',
      'Runs the reports',
    );
    assert.equal(made.stdout, 'moderator is now a moderator.\n');
    const entry = await newestEntry();
    assert.equal(entry.actor, 'command line');
    assert.equal(entry.action, 'grant moderator');
    assert.equal(entry.target_kind, 'user');
    assert.equal(entry.target_name, 'moderator');
    assert.equal(entry.reason, 'Runs the reports');

    const again = await quire(archive, 'user', 'role', 'moderator', 'moderator');
    assert.equal(again.stdout, 'moderator already has the moderator role; nothing changed.\n');
    assert.equal((await newestEntry()).id, entry.id, 'a change that changes nothing is not logged');

    const unknown = await quire(archive, 'user', 'role', 'moderator', 'overlord');
    assert.equal(unknown.status, 1);
    assert.match(
      unknown.stderr,
      /There is no role named “overlord”: use one of administrator, moderator, wrangler/,
    );
    assert.equal((await quire(archive, 'user', 'role', 'nobodyhere', 'wrangler')).status, 1);

    // The older commands are the same change, logged the same way.
    assert.equal(
      (await quire(archive, 'user', 'wrangler', 'bystander')).stdout,
      'bystander is now a tag wrangler.\n',
    );
    assert.equal((await newestEntry()).action, 'grant wrangler');
    assert.equal((await quire(archive, 'user', 'wrangler', 'bystander', '--revoke')).status, 0);
    assert.equal((await newestEntry()).action, 'revoke wrangler');
  });

  it('lets an administrator grant and revoke roles at /admin/users, with the reason in the audit log', async () => {
    const page = await chief.page.get('/admin/users?q=REA');
    assert.equal(page.status, 200);
    assert.match(textOf(page.body), /reader/);
    assert.doesNotMatch(textOf(page.body), /bystander/, 'the search narrows the list');
    assert.match(page.body, /aria-label="Grant tag wrangler for reader"/);

    const forged = await chief.page.post(
      '/admin/users/reader/roles',
      { role: 'wrangler', granted: 'true' },
      {
        csrf: false,
      },
    );
    assert.equal(forged.status, 403, 'the form needs its CSRF token');
    assert.deepEqual(await rolesOf('reader'), []);

    const granted = await chief.page.submit('/admin/users/reader/roles', {
      role: 'wrangler',
      granted: 'true',
      reason: 'Sorts the Potter tags',
    });
    assert.match(textOf(granted.body), /reader now has the wrangler role/);
    assert.match(granted.body, /aria-label="Revoke tag wrangler for reader"/);
    assert.deepEqual(await rolesOf('reader'), ['wrangler']);
    const entry = await newestEntry();
    assert.deepEqual(
      [entry.actor, entry.action, entry.target_name, entry.reason],
      ['chief', 'grant wrangler', 'reader', 'Sorts the Potter tags'],
    );

    await chief.page.submit('/admin/users/reader/roles', { role: 'wrangler', granted: 'false' });
    assert.deepEqual(await rolesOf('reader'), []);
    assert.deepEqual([(await newestEntry()).action, (await newestEntry()).reason], ['revoke wrangler', '']);

    const audit = await chief.page.get('/admin/audit');
    assert.equal(audit.status, 200);
    assert.match(textOf(audit.body), /chief\s*revoke wrangler\s*user reader/);
  });

  it('grants and revokes through the API, and refuses what the policy forbids', async () => {
    assert.deepEqual((await setRole(chief, 'reader', { role: 'moderator', granted: true })).json, {
      username: 'reader',
      change: 'granted',
    });
    assert.deepEqual(await rolesOf('reader'), ['moderator']);
    assert.equal(
      (await setRole(chief, 'reader', { role: 'moderator', granted: false })).json.change,
      'revoked',
    );

    const before = (await newestEntry()).id;
    const plain = await setRole(bystander, 'reader', { role: 'wrangler', granted: true });
    assert.equal(plain.status, 403);
    assert.match(plain.json.error.message, /Only administrators and moderators/);
    assert.equal((await api(bystander, 'GET', '/admin/users')).status, 403);
    assert.equal((await api(null, 'GET', '/admin/users')).status, 401);
    assert.equal((await bystander.page.get('/admin/users')).status, 403);

    // A moderator brings in tag wranglers, but grants nothing higher and touches no administrator.
    assert.equal((await setRole(moderator, 'bystander', { role: 'wrangler', granted: true })).status, 200);
    assert.equal((await newestEntry()).actor, 'moderator');
    const higher = await setRole(moderator, 'chief', { role: 'wrangler', granted: false });
    assert.equal(higher.status, 403);
    assert.match(JSON.stringify(higher.json), /higher role than yours/);
    assert.equal((await setRole(moderator, 'bystander', { role: 'moderator', granted: true })).status, 403);
    assert.equal(
      (await api(moderator, 'GET', '/admin/users')).status,
      403,
      'the role list is for administrators',
    );

    const last = await setRole(chief, 'chief', { role: 'administrator', granted: false });
    assert.equal(last.status, 409);
    assert.match(JSON.stringify(last.json), /chief is the archive's last administrator/);
    assert.deepEqual(await rolesOf('chief'), ['administrator']);

    assert.equal((await setRole(chief, 'reader', { role: 'overlord', granted: true })).status, 400);
    assert.equal((await setRole(chief, 'nobodyhere', { role: 'wrangler', granted: true })).status, 404);
    const entries = (await api(chief, 'GET', '/admin/audit')).json.entries;
    assert.deepEqual(
      entries
        .filter((entry: { id: number }) => entry.id > before)
        .map((entry: { action: string }) => entry.action),
      ['grant wrangler'],
      'only the change that happened is logged',
    );
  });

  it('shows the audit log to moderators, not to users, and stops a revoked moderator at once', async () => {
    const open = await moderator.page.get('/admin/audit');
    assert.equal(open.status, 200);
    assert.match(open.body, /href="\/admin\/audit">Admin</);
    assert.equal((await api(moderator, 'GET', '/admin/audit')).status, 200);
    assert.equal((await reader.page.get('/admin/audit')).status, 403);
    assert.equal((await api(reader, 'GET', '/admin/audit')).status, 403);
    assert.doesNotMatch((await reader.page.get('/')).body, />Admin</);

    await setRole(chief, 'moderator', { role: 'moderator', granted: false, reason: 'Stepped down' });
    assert.equal((await moderator.page.get('/admin/audit')).status, 403, 'the open session lost the role');
    assert.equal((await setRole(moderator, 'reader', { role: 'wrangler', granted: true })).status, 403);
    assert.equal((await newestEntry()).reason, 'Stepped down');
  });

  it('pages the audit log newest first, and no route changes an entry', async () => {
    await archive.archive.db.transaction().execute(async (trx) => {
      for (let index = 0; index < 60; index++)
        await recordStaffAction(trx, 'command line', {
          action: 'grant wrangler',
          target: { kind: 'user', id: reader.id, name: `paging-${index}` },
        });
    });
    const first = (await api(chief, 'GET', '/admin/audit')).json;
    assert.equal(first.entries[0].target_name, 'paging-59');
    assert.equal(first.entries.length, 50);
    assert.equal(first.pages, 2);
    const second = (await api(chief, 'GET', '/admin/audit?page=2')).json;
    assert.equal(second.page, 2);
    const ids = [...first.entries, ...second.entries].map((entry: { id: number }) => entry.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    assert.match((await chief.page.get('/admin/audit?page=2')).body, /aria-current="page">\s*2/);

    const id = first.entries[0].id;
    assert.equal((await api(chief, 'DELETE', `/admin/audit/${id}`)).status, 404);
    assert.equal((await chief.page.post(`/admin/audit/${id}/delete`, {})).status, 404);
  });
});
