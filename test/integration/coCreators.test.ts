import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEMBER_PASSWORD, type Member, member } from '../support/members.ts';
import { textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Co-creators (issue 12): a creator invites another member's pseud; until the invitee accepts they are a
// reader like any other; once they accept they are in the byline, edit the work and its chapters, see
// its stats, hear of its comments and cannot leave kudos on it; they can leave, but the last creator
// cannot. Through the API and the pages.

describe(`co-creators (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let friend: Member;
  let stranger: Member;
  let reader: Member;

  async function api(who: Member | null, method: string, url: string, payload?: object) {
    const response = await archive.app.inject({
      method: method as 'POST',
      url: `/api/v1${url}`,
      headers: who ? { authorization: `Bearer ${who.api.token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: () => response.json(), body: response.body };
  }

  async function invite(work: { id: number }, payload: object, who = writer) {
    return api(who, 'POST', `/works/${work.id}/creatorships`, payload);
  }

  /** The member's pending invitations (to one work, when it is named). */
  async function pendingOf(
    who: Member,
    work?: { id: number },
  ): Promise<{ id: number; work_id: number; invited_by: string | null }[]> {
    const listed = await api(who, 'GET', '/creatorships');
    assert.equal(listed.status, 200, listed.body);
    return listed.json().items.filter((item: { work_id: number }) => !work || item.work_id === work.id);
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'quill_keeper');
    friend = await member(archive, 'ink_friend');
    stranger = await member(archive, 'passing_stranger');
    reader = await member(archive, 'avid_reader');
  });
  after(async () => archive.close());

  it('keeps an invitee out of the work until they accept, then lets them in as a creator (API)', async () => {
    const work = await writer.api.postWork({ title: 'Two Hands' });
    const sent = await invite(work, { user: 'INK_FRIEND' });
    assert.equal(sent.status, 201, sent.body);
    const invitation = sent.json();
    assert.equal(invitation.pseud, 'ink_friend');
    assert.equal(invitation.invited_by, 'quill_keeper');

    // The invitee hears of it in their inbox and finds it in their requests.
    const inbox = (await api(friend, 'GET', '/inbox')).json();
    assert.equal(inbox.items[0].kind, 'creatorship_invitation');
    assert.equal(inbox.items[0].work_id, work.id);
    assert.match(inbox.items[0].text, /co-creator of “Two Hands”/);
    assert.deepEqual(
      (await pendingOf(friend, work)).map((entry) => entry.id),
      [invitation.id],
    );
    // The work's creators see it pending.
    const pending = (await api(writer, 'GET', `/works/${work.id}/creatorships`)).json();
    assert.deepEqual(
      pending.pending.map((entry: { user: string }) => entry.user),
      ['ink_friend'],
    );

    // Not accepted yet: not in the byline, cannot edit, cannot see the work's stats or its creator list.
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, ['quill_keeper']);
    assert.equal((await api(friend, 'PATCH', `/works/${work.id}`, { summary: 'Mine too?' })).status, 403);
    assert.equal((await api(friend, 'GET', `/works/${work.id}/creatorships`)).status, 403);
    assert.equal(
      (await api(friend, 'POST', `/works/${work.id}/chapters`, { body: '<p>Early.</p>' })).status,
      403,
    );
    // Nobody else can answer it, nor withdraw it.
    assert.equal(
      (await api(stranger, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status,
      404,
    );
    assert.equal((await api(null, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status, 401);
    assert.equal(
      (await api(stranger, 'DELETE', `/works/${work.id}/creatorships/${invitation.id}`)).status,
      403,
    );
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, ['quill_keeper']);

    const accepted = await api(friend, 'PATCH', `/creatorships/${invitation.id}`, { accept: true });
    assert.equal(accepted.status, 200, accepted.body);
    assert.deepEqual(accepted.json(), { work_id: work.id, title: 'Two Hands', accepted: true });
    assert.deepEqual(await pendingOf(friend, work), []);
    assert.equal(
      (await api(friend, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status,
      404,
    );

    // Now a creator: byline, editing the work and its chapters, stats, and no kudos on their own work.
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, [
      'quill_keeper',
      'ink_friend',
    ]);
    assert.equal((await api(friend, 'PATCH', `/works/${work.id}`, { summary: 'Ours now.' })).status, 200);
    assert.equal(
      (await api(friend, 'POST', `/works/${work.id}/chapters`, { body: '<p>My half.</p>' })).status,
      201,
    );
    const stats = (await api(friend, 'GET', '/stats')).json();
    assert.deepEqual(
      stats.works.map((entry: { title: string }) => entry.title),
      ['Two Hands'],
    );
    assert.equal((await api(friend, 'POST', `/works/${work.id}/kudos`)).status, 403);
    const byline = textOf((await reader.page.get(`/works/${work.id}`)).body);
    assert.match(byline, /quill_keeper/);
    assert.match(byline, /ink_friend/);

    // A reader's comment reaches both creators' inboxes.
    assert.equal(
      (await api(reader, 'POST', `/works/${work.id}/comments`, { body: 'Two voices, one story.' })).status,
      201,
    );
    for (const creator of [writer, friend]) {
      const items = (await api(creator, 'GET', '/inbox')).json().items;
      assert.equal(items[0].kind, 'comment', creator.username);
      assert.equal(items[0].work_id, work.id);
    }
  });

  it('lets a co-creator leave, after which editing is refused; the last creator cannot leave', async () => {
    const work = await writer.api.postWork({ title: 'Shared Lease' });
    const invitation = (await invite(work, { pseud: 'ink_friend' })).json();
    assert.equal(
      (await api(friend, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status,
      200,
    );

    const foundUnder = async (name: string) =>
      (await api(reader, 'GET', `/works?q=${encodeURIComponent(`"${name}" "Shared Lease"`)}`))
        .json()
        .works.map((entry: { title: string }) => entry.title);
    assert.deepEqual(await foundUnder('ink_friend'), ['Shared Lease']);

    // Someone who never was a creator has nothing to leave.
    assert.equal((await api(stranger, 'DELETE', `/works/${work.id}/creatorships/mine`)).status, 403);
    assert.equal((await api(friend, 'DELETE', `/works/${work.id}/creatorships/mine`)).status, 204);
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, ['quill_keeper']);
    assert.deepEqual(await foundUnder('ink_friend'), []);
    assert.equal((await api(friend, 'PATCH', `/works/${work.id}`, { summary: 'Back?' })).status, 403);
    assert.equal((await api(friend, 'DELETE', `/works/${work.id}/creatorships/mine`)).status, 403);
    const statsWorkIds = (await api(friend, 'GET', '/stats'))
      .json()
      .works.map((entry: { id: number }) => entry.id);
    assert.ok(!statsWorkIds.includes(work.id), 'a former co-creator no longer sees the stats of the work');

    const last = await api(writer, 'DELETE', `/works/${work.id}/creatorships/mine`);
    assert.equal(last.status, 409);
    assert.match(last.json().error.message, /only creator .*Orphan it or delete it instead/);
    assert.equal((await api(writer, 'PATCH', `/works/${work.id}`, { summary: 'Still mine.' })).status, 200);
  });

  it('withdraws and declines invitations, which then answer 404', async () => {
    const work = await writer.api.postWork({ title: 'Maybe Later' });
    const first = (await invite(work, { user: 'ink_friend' })).json();
    assert.equal((await api(writer, 'DELETE', `/works/${work.id}/creatorships/${first.id}`)).status, 204);
    assert.deepEqual(await pendingOf(friend, work), []);
    const inbox = (await api(friend, 'GET', '/inbox')).json().items;
    assert.ok(
      !inbox.some(
        (item: { kind: string; work_id: number }) =>
          item.kind === 'creatorship_invitation' && item.work_id === work.id,
      ),
      'the withdrawn invitation leaves the inbox',
    );
    assert.equal((await api(friend, 'PATCH', `/creatorships/${first.id}`, { accept: true })).status, 404);

    const second = (await invite(work, { user: 'ink_friend' })).json();
    const declined = await api(friend, 'PATCH', `/creatorships/${second.id}`, { accept: false });
    assert.equal(declined.status, 200);
    assert.equal(declined.json().accepted, false);
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, ['quill_keeper']);
    assert.equal((await api(friend, 'PATCH', `/works/${work.id}`, { summary: 'No.' })).status, 403);
    assert.equal((await api(friend, 'PATCH', `/creatorships/${second.id}`, { accept: true })).status, 404);
    assert.equal((await api(friend, 'PATCH', `/creatorships/${second.id}`, {})).status, 400);
  });

  it('refuses invitations that cannot be, each with a clear message', async () => {
    const work = await writer.api.postWork({ title: 'Closed Circle' });
    const nobody = await invite(work, { pseud: 'no_such_pseud' });
    assert.equal(nobody.status, 400);
    assert.match(nobody.json().error.message, /There is no pseud called no_such_pseud/);
    assert.equal((await invite(work, { user: 'no_such_user' })).status, 400);
    assert.equal((await invite(work, {})).status, 400);
    assert.equal((await invite(work, { pseud: 'ink_friend', user: 'ink_friend' })).status, 400);

    const self = await invite(work, { user: 'quill_keeper' });
    assert.equal(self.status, 409);
    assert.match(self.json().error.message, /already a creator/);

    assert.equal((await invite(work, { user: 'ink_friend' })).status, 201);
    const twice = await invite(work, { pseud: 'Ink_Friend' });
    assert.equal(twice.status, 409);
    assert.match(twice.json().error.message, /already been invited/);

    // Only a creator invites.
    assert.equal((await invite(work, { user: 'avid_reader' }, stranger)).status, 403);
    assert.equal((await invite({ id: 999_999 }, { user: 'avid_reader' })).status, 404);
  });

  it('tells apart members who share a pseud name by their username', async () => {
    for (const who of [friend, stranger])
      assert.equal((await api(who, 'POST', '/pseuds', { name: 'Lamplighter' })).status, 201);
    const work = await writer.api.postWork({ title: 'Whose Lamp' });
    const ambiguous = await invite(work, { pseud: 'lamplighter' });
    assert.equal(ambiguous.status, 400);
    assert.match(ambiguous.json().error.fields.pseud, /write it as “lamplighter \(their username\)”/);
    const sent = await invite(work, { pseud: 'Lamplighter (ink_friend)' });
    assert.equal(sent.status, 201, sent.body);
    assert.deepEqual([sent.json().pseud, sent.json().user], ['Lamplighter', 'ink_friend']);
    assert.equal(
      (await api(friend, 'PATCH', `/creatorships/${sent.json().id}`, { accept: true })).status,
      200,
    );
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, [
      'quill_keeper',
      'Lamplighter',
    ]);
  });

  it('lets exactly one of two creators leaving at once go', async () => {
    const work = await writer.api.postWork({ title: 'Last One Out' });
    const invitation = (await invite(work, { user: 'ink_friend' })).json();
    assert.equal(
      (await api(friend, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status,
      200,
    );
    const answers = await Promise.all(
      [writer, friend].map((who) => api(who, 'DELETE', `/works/${work.id}/creatorships/mine`)),
    );
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [204, 409]);
    assert.equal((await api(reader, 'GET', `/works/${work.id}`)).json().creators.length, 1);
  });

  it("keeps an invitation when its sender's account is deleted, and drops it with its invitee's", async () => {
    const sender = await member(archive, 'brief_sender');
    const work = await sender.api.postWork({ title: 'Handed On' });
    const invitation = (await invite(work, { user: 'ink_friend' }, sender)).json();
    const gone = await api(sender, 'DELETE', '/account', { password: MEMBER_PASSWORD, works: 'orphan' });
    assert.equal(gone.status, 204, gone.body);
    const [kept] = await pendingOf(friend, work);
    assert.equal(kept.id, invitation.id);
    assert.equal(kept.invited_by, null);
    assert.equal(
      (await api(friend, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status,
      200,
    );
    assert.deepEqual((await api(reader, 'GET', `/works/${work.id}`)).json().creators, [
      'orphan_account',
      'ink_friend',
    ]);

    const invitee = await member(archive, 'brief_invitee');
    const mine = await writer.api.postWork({ title: 'Asked Too Late' });
    assert.equal((await invite(mine, { user: 'brief_invitee' })).status, 201);
    assert.equal(
      (await api(invitee, 'DELETE', '/account', { password: MEMBER_PASSWORD, works: 'delete' })).status,
      204,
    );
    assert.deepEqual((await api(writer, 'GET', `/works/${mine.id}/creatorships`)).json().pending, []);
  });

  it('moves the invitations of a deleted pseud to the default pseud, keeping one per work', async () => {
    const host = await member(archive, 'alias_host');
    const holder = await member(archive, 'alias_holder');
    const alias = await api(holder, 'POST', '/pseuds', { name: 'Night Heron' });
    assert.equal(alias.status, 201, alias.body);
    const single = await host.api.postWork({ title: 'Asked Under Another Name' });
    const toAlias = (await invite(single, { pseud: 'Night Heron' }, host)).json();
    assert.equal(toAlias.pseud, 'Night Heron');
    // Both of the holder's pseuds invited to one work, as a race between two creators could leave it.
    const doubled = await host.api.postWork({ title: 'Asked Twice' });
    assert.equal((await invite(doubled, { user: 'alias_holder' }, host)).status, 201);
    await archive.archive.db
      .insertInto('creatorship_invitations')
      .values({
        work_id: doubled.id,
        pseud_id: alias.json().id,
        invited_by: host.id,
        created_at: new Date().toISOString(),
      })
      .execute();

    assert.equal((await api(holder, 'DELETE', `/pseuds/${alias.json().id}`)).status, 204);
    const pending = (await api(holder, 'GET', '/creatorships')).json().items;
    assert.deepEqual(
      pending
        .map((item: { work_id: number; pseud: string }) => [item.work_id, item.pseud])
        .sort((a: number[], b: number[]) => a[0] - b[0]),
      [
        [single.id, 'alias_holder'],
        [doubled.id, 'alias_holder'],
      ],
    );
    const moved = pending.find((item: { work_id: number }) => item.work_id === single.id);
    assert.equal(moved.id, toAlias.id);
    assert.equal((await api(holder, 'PATCH', `/creatorships/${moved.id}`, { accept: true })).status, 200);
    assert.deepEqual((await api(reader, 'GET', `/works/${single.id}`)).json().creators, [
      'alias_host',
      'alias_holder',
    ]);
  });

  it('keeps blocked members and the members who blocked them apart', async () => {
    const work = await writer.api.postWork({ title: 'No Thank You' });
    assert.equal((await api(stranger, 'POST', '/blocks', { user: 'quill_keeper' })).status, 201);
    const blockedMe = await invite(work, { user: 'passing_stranger' });
    assert.equal(blockedMe.status, 400);
    assert.match(blockedMe.json().error.message, /they have blocked you/);
    assert.deepEqual(await pendingOf(stranger), []);

    assert.equal((await api(writer, 'POST', '/blocks', { user: 'avid_reader' })).status, 201);
    const iBlocked = await invite(work, { user: 'avid_reader' });
    assert.equal(iBlocked.status, 400);
    assert.match(iBlocked.json().error.message, /You have blocked avid_reader/);

    // A block that comes after the invitation stops it being accepted.
    const later = await writer.api.postWork({ title: 'Changed Mind' });
    const invitation = (await invite(later, { user: 'ink_friend' })).json();
    assert.equal((await api(writer, 'POST', '/blocks', { user: 'ink_friend' })).status, 201);
    assert.equal(
      (await api(friend, 'PATCH', `/creatorships/${invitation.id}`, { accept: true })).status,
      403,
    );
    assert.deepEqual((await api(reader, 'GET', `/works/${later.id}`)).json().creators, ['quill_keeper']);
    assert.equal((await api(writer, 'DELETE', '/blocks/ink_friend')).status, 204);
    assert.equal((await api(writer, 'DELETE', '/blocks/avid_reader')).status, 204);
    assert.equal((await api(stranger, 'DELETE', '/blocks/quill_keeper')).status, 204);
  });

  it('invites from the work form, and the invitee accepts on their co-creator requests page', async () => {
    const work = await writer.api.postWork({ title: 'Paper Trail' });
    const form = await writer.page.get(`/works/${work.id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="co_creators"/);
    const fields = {
      title: 'Paper Trail',
      rating: 'General Audiences',
      warnings: ['No Archive Warnings Apply'],
      fandoms: 'Original Work',
      language: 'en',
      action: 'post',
    };
    // A name that matches nobody keeps the form, with the field's message, and changes nothing.
    const refused = await writer.page.post(`/works/${work.id}`, {
      ...fields,
      title: 'Paper Trail, Renamed',
      co_creators: 'ink_friend, nobody_here',
    });
    assert.equal(refused.status, 400);
    assert.match(textOf(refused.body), /There is no pseud or user called nobody_here here/);
    assert.deepEqual(await pendingOf(friend, work), []);
    assert.equal((await api(reader, 'GET', `/works/${work.id}`)).json().title, 'Paper Trail');

    const sent = await writer.page.post(`/works/${work.id}`, { ...fields, co_creators: 'ink_friend' });
    assert.equal(sent.status, 303, textOf(sent.body));
    const [invitation] = await pendingOf(friend, work);
    const manage = textOf((await writer.page.get(`/works/${work.id}/creatorships`)).body);
    assert.match(manage, /ink_friend .*invited/);

    // The inbox item leads to the requests page, where the invitation is answered.
    const inbox = await friend.page.get('/users/ink_friend/inbox');
    assert.match(inbox.body, /href="\/users\/ink_friend\/creatorships"/);
    assert.match(textOf(inbox.body), /co-creator of “Paper Trail”/);

    // The requests page is the invitee's alone.
    assert.equal((await stranger.page.get('/users/ink_friend/creatorships')).status, 403);
    const requests = await friend.page.get('/users/ink_friend/creatorships');
    assert.equal(requests.status, 200);
    assert.match(textOf(requests.body), /Paper Trail/);
    // Another member cannot answer it through their own page either.
    await stranger.page.get('/users/passing_stranger/creatorships');
    const hijack = await stranger.page.post('/users/passing_stranger/creatorships', {
      creatorship_id: String(invitation.id),
      action: 'accept',
    });
    assert.equal(hijack.status, 404);

    const accepted = await friend.page.post('/users/ink_friend/creatorships', {
      creatorship_id: String(invitation.id),
      action: 'accept',
    });
    assert.equal(accepted.status, 303);
    assert.equal(accepted.location, `/works/${work.id}`);
    assert.equal((await friend.page.get(`/works/${work.id}/edit`)).status, 200);

    // Leaving asks first, then takes the co-creator off the byline.
    const confirm = await friend.page.get(`/works/${work.id}/creatorships/leave`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.body), /Paper Trail/);
    const left = await friend.page.post(`/works/${work.id}/creatorships/leave`, {});
    assert.equal(left.status, 303);
    assert.equal((await friend.page.get(`/works/${work.id}/edit`)).status, 403);
    const lastOne = await writer.page.post(`/works/${work.id}/creatorships/leave`, {});
    assert.equal(lastOne.status, 409);
    assert.match(textOf(lastOne.body), /Orphan it or delete it instead/);
  });
});
