import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { readZipEntries } from '../../src/formats/safeZip.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { runDueJobs } from '../../src/jobs/queue.ts';
import { type Member, member } from '../support/members.ts';
import { textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Download my data (issue 12): a zip of everything the archive holds about a member, made in the job
// queue, announced in their inbox, downloadable by them alone, and gone after a few days.

describe(`download my data (${testDialect})`, () => {
  let archive: TestArchive;
  let keeper: Member;
  let friend: Member;
  let friendWork: { id: number };
  let icon: Buffer;

  async function api(who: Member | null, method: string, url: string, payload?: object) {
    const response = await archive.app.inject({
      method: method as 'POST',
      url: `/api/v1${url}`,
      headers: who ? { authorization: `Bearer ${who.api.token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: () => response.json(), body: response.rawPayload, response };
  }

  const runJobs = () => runDueJobs(archive.archive.db, archive.archive.dialect, jobHandlers(archive.config));

  async function unzip(bytes: Buffer): Promise<Record<string, unknown>> {
    const files = await readZipEntries(bytes, (name) => name.endsWith('.json'));
    return Object.fromEntries(
      [...files].map(([name, content]) => [name, JSON.parse(content.toString('utf8'))]),
    );
  }

  before(async () => {
    archive = await startTestArchive();
    keeper = await member(archive, 'datakeeper');
    friend = await member(archive, 'datafriend');
    const bystander = await member(archive, 'databystander');
    friendWork = await friend.api.postWork({ title: 'A Friend’s Story' });
    const posted = await keeper.api.postWork({
      title: 'My Posted Work',
      chapters: [{ title: 'Opening', body: '<p>Words only I wrote.</p>' }],
    });
    await keeper.api.postWork({ title: 'My Secret Draft', draft: true });
    assert.equal(
      (await api(friend, 'POST', `/works/${posted.id}/comments`, { body: 'Well done!' })).status,
      201,
    );
    assert.equal(
      (await api(keeper, 'POST', `/works/${friendWork.id}/comments`, { body: 'A comment of mine.' })).status,
      201,
    );
    assert.equal((await api(keeper, 'POST', `/works/${friendWork.id}/kudos`)).status, 201);
    assert.equal(
      (
        await api(keeper, 'POST', '/bookmarks', {
          work_id: friendWork.id,
          notes: 'Private thoughts',
          private: true,
        })
      ).status,
      201,
    );
    assert.equal((await api(keeper, 'POST', '/subscriptions', { work_id: friendWork.id })).status, 201);
    assert.equal((await keeper.page.get(`/works/${friendWork.id}`)).status, 200);
    assert.equal((await api(keeper, 'POST', '/mutes', { user: bystander.username })).status, 201);
    // A second pseud, described, with an icon; and co-creator invitations sent and received.
    const pseud = await api(keeper, 'POST', '/pseuds', {
      name: 'Lamplighter',
      description: '<p>My <em>evening</em> name.</p>',
      icon_alt_text: 'A lit lamp',
    });
    assert.equal(pseud.status, 201);
    const png = await sharp({
      create: { width: 20, height: 20, channels: 3, background: { r: 240, g: 200, b: 40 } },
    })
      .png()
      .toBuffer();
    const uploaded = await archive.app.inject({
      method: 'PUT',
      url: `/api/v1/pseuds/${pseud.json().id}/icon`,
      headers: { 'content-type': 'image/png', authorization: `Bearer ${keeper.api.token}` },
      payload: png,
    });
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    const served = new URL(uploaded.json().icon_url);
    const fetched = await archive.app.inject({ method: 'GET', url: served.pathname + served.search });
    assert.equal(fetched.headers['content-type'], 'image/webp');
    icon = fetched.rawPayload;
    assert.equal(
      (await api(keeper, 'POST', `/works/${posted.id}/creatorships`, { user: friend.username })).status,
      201,
    );
    assert.equal(
      (await api(friend, 'POST', `/works/${friendWork.id}/creatorships`, { pseud: 'Lamplighter' })).status,
      201,
    );
  });
  after(async () => archive.close());

  it('is asked for from the preferences page and made in the job queue, with a link in the inbox', async () => {
    const preferences = await keeper.page.get('/users/datakeeper/preferences');
    assert.match(preferences.body, /action="\/users\/datakeeper\/data_export"/);
    assert.match(
      textOf((await keeper.page.get('/users/datakeeper/data_export')).body),
      /not asked for your data/,
    );

    const asked = await keeper.page.post('/users/datakeeper/data_export', {});
    assert.equal(asked.status, 303);
    assert.match(textOf((await keeper.page.get(asked.location!)).body), /being gathered/);
    // Asking again while it is made changes nothing.
    const again = await api(keeper, 'POST', '/account/data_export');
    assert.equal(again.status, 202);
    assert.equal(again.json().status, 'queued');
    assert.equal(again.json().download_url, null);
    assert.equal((await api(keeper, 'GET', '/account/data_export/download')).status, 404);

    await runJobs();
    const ready = (await api(keeper, 'GET', '/account/data_export')).json();
    assert.equal(ready.status, 'ready');
    assert.match(ready.download_url, /\/api\/v1\/account\/data_export\/download$/);
    const days = (Date.parse(ready.expires_at) - Date.parse(ready.ready_at)) / 86_400_000;
    assert.equal(days, 3);

    const inbox = (await api(keeper, 'GET', '/inbox')).json();
    const item = inbox.items.find((entry: { kind: string }) => entry.kind === 'data_export');
    assert.match(item.text, /Your data from Quire is ready to download until \d{4}-\d\d-\d\d\./);
    assert.match(
      (await keeper.page.get('/users/datakeeper/inbox')).body,
      /href="\/users\/datakeeper\/data_export"/,
    );
    // Making one reads everything the member has: a new one waits an hour after the last.
    const soon = await keeper.page.post('/users/datakeeper/data_export', {});
    assert.match(textOf((await keeper.page.get(soon.location!)).body), /still ready below/);
    assert.equal((await api(keeper, 'POST', '/account/data_export')).json().status, 'ready');
    const exportRows = await archive.archive.db.selectFrom('data_exports').select('id').execute();
    assert.equal(exportRows.length, 1);
    const jobs = await archive.archive.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'data-export')
      .execute();
    assert.equal(jobs.length, 2, 'the one that made the zip and the one booked to drop it');
  });

  it('holds everything the archive holds about the member, and not their password hash', async () => {
    const page = await keeper.page.get('/users/datakeeper/data_export/download');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'application/zip');
    assert.match(
      String(page.headers['content-disposition']),
      /attachment; filename="quire-data-datakeeper-\d{4}-\d\d-\d\d\.zip"/,
    );
    assert.match(String(page.headers['cache-control']), /private/);
    const fromApi = await api(keeper, 'GET', '/account/data_export/download');
    assert.equal(fromApi.status, 200);
    const files = await unzip(fromApi.body);

    const account = files['account.json'] as Record<string, unknown>;
    assert.equal(account.username, 'datakeeper');
    assert.equal(account.email, 'datakeeper@example.org');
    assert.equal('password_hash' in account, false);
    assert.deepEqual(
      (files['pseuds.json'] as { name: string; description: string; icon_alt_text: string }[]).map(
        (pseud) => [pseud.name, pseud.description, pseud.icon_alt_text],
      ),
      [
        ['datakeeper', '', ''],
        ['Lamplighter', '<p>My <em>evening</em> name.</p>', 'A lit lamp'],
      ],
    );
    // The icon itself, as the archive serves it.
    const images = await readZipEntries(fromApi.body, (name) => name.startsWith('pseuds/'));
    assert.deepEqual([...images.keys()], ['pseuds/Lamplighter.webp']);
    assert.ok(images.get('pseuds/Lamplighter.webp')?.equals(icon));
    assert.deepEqual(files['co_creator_invitations.json'], {
      sent: [
        {
          work_id: (files['works.json'] as { id: number }[])[0].id,
          work_title: 'My Posted Work',
          pseud: 'datafriend',
          username: 'datafriend',
          created_at: (files['co_creator_invitations.json'] as { sent: { created_at: string }[] }).sent[0]
            .created_at,
        },
      ],
      received: [
        {
          work_id: friendWork.id,
          work_title: 'A Friend’s Story',
          pseud: 'Lamplighter',
          invited_by: 'datafriend',
          created_at: (files['co_creator_invitations.json'] as { received: { created_at: string }[] })
            .received[0].created_at,
        },
      ],
    });
    const works = files['works.json'] as { title: string; chapters: { body: string }[] }[];
    assert.deepEqual(
      works.map((work) => work.title),
      ['My Posted Work', 'My Secret Draft'],
    );
    assert.match(works[0].chapters[0].body, /Words only I wrote\./);
    assert.match(JSON.stringify(files['comments.json']), /A comment of mine\./);
    assert.match(JSON.stringify(files['bookmarks.json']), /Private thoughts/);
    assert.match(JSON.stringify(files['kudos.json']), /A Friend’s Story/);
    assert.match(JSON.stringify(files['subscriptions.json']), /A Friend’s Story/);
    assert.match(JSON.stringify(files['history.json']), /A Friend’s Story/);
    assert.match(JSON.stringify(files['inbox.json']), /datafriend left a comment on “My Posted Work”/);
    assert.match(JSON.stringify(files['muted.json']), /databystander/);
    assert.doesNotMatch(JSON.stringify(files['api_tokens.json']), /token_hash/);
    // Nobody else's data: the friend's email is not in it.
    assert.doesNotMatch(JSON.stringify(files), /datafriend@example\.org/);
  });

  it('is downloadable by its owner alone', async () => {
    assert.equal((await friend.page.get('/users/datakeeper/data_export/download')).status, 403);
    assert.equal((await friend.page.get('/users/datakeeper/data_export')).status, 403);
    assert.equal((await api(friend, 'GET', '/account/data_export/download')).status, 404);
    assert.equal((await api(friend, 'GET', '/account/data_export')).json().status, 'none');
    assert.equal((await api(null, 'GET', '/account/data_export/download')).status, 401);
    const guest = await archive.app.inject({ method: 'GET', url: '/users/datakeeper/data_export/download' });
    assert.ok([401, 302, 303].includes(guest.statusCode), `${guest.statusCode}`);
  });

  it('stops being offered when its days are up, and its bytes are dropped', async () => {
    // Time passes: the offer ends, and the job booked for that moment comes due.
    const past = new Date(Date.now() - 1000).toISOString();
    await archive.archive.db.updateTable('data_exports').set({ expires_at: past }).execute();
    assert.equal((await api(keeper, 'GET', '/account/data_export/download')).status, 404);
    assert.equal((await api(keeper, 'GET', '/account/data_export')).json().status, 'expired');
    assert.match(textOf((await keeper.page.get('/users/datakeeper/data_export')).body), /has expired/);
    await archive.archive.db
      .updateTable('jobs')
      .set({ run_at: past })
      .where('kind', '=', 'data-export')
      .execute();
    await runJobs();
    const row = await archive.archive.db
      .selectFrom('data_exports')
      .select(['status', 'content'])
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'expired');
    assert.equal(row.content, null);
  });
});
