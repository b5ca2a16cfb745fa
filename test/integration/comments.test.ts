import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe(`comments (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;
  let bystander: Member;
  let guest: ReaderSession;

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'quillwright');
    reader = await member(archive, 'nightreader');
    bystander = await member(archive, 'bystander');
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  async function api(method: Method, url: string, who?: Member | null, payload?: unknown) {
    const response = await archive.app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${who.api.token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: response.statusCode, json: response.body ? response.json() : undefined };
  }

  async function postWork(fields: Record<string, unknown> = {}, by: Member = writer) {
    const work = await by.api.postWork({ title: 'Tidewater', ...fields });
    return { id: work.id, chapterIds: (work.chapters as { id: number }[]).map((chapter) => chapter.id) };
  }

  /** Comments through the API; returns the new comment's id. */
  async function comment(who: Member | null, workId: number, payload: Record<string, unknown>) {
    const response = await api('POST', `/api/v1/works/${workId}/comments`, who, payload);
    assert.equal(response.status, 201, JSON.stringify(response.json));
    return response.json.id as number;
  }

  async function commentsCount(workId: number): Promise<number> {
    return (await api('GET', `/api/v1/works/${workId}`, writer)).json.comments_count;
  }

  async function visibleRows(workId: number): Promise<number> {
    const row = await archive.archive.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('work_id', '=', workId)
      .where('status', '=', 'visible')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function pageText(session: ReaderSession, url: string): Promise<string> {
    const page = await session.get(url);
    assert.equal(page.status, 200, url);
    return textOf(page.body);
  }

  it('keeps the comment settings on the work form and in the API', async () => {
    await writer.page.get('/works/new');
    const posted = await writer.page.post('/works', {
      ...sampleWork,
      comment_policy: 'registered',
      moderate_comments: 'on',
    });
    assert.equal(posted.status, 303, textOf(posted.body).slice(0, 300));
    const workId = Number(posted.location?.match(/\/works\/(\d+)/)?.[1]);
    const shown = await api('GET', `/api/v1/works/${workId}`);
    assert.equal(shown.json.comment_policy, 'registered');
    assert.equal(shown.json.moderate_comments, true);

    const form = await writer.page.get(`/works/${workId}/edit`);
    assert.match(form.body, /<legend>Privacy and comments<\/legend>/);
    assert.match(form.body, /<option value="registered" selected/);
    assert.match(form.body, /name="moderate_comments" value="on" checked/);

    // A PATCH that leaves the settings out keeps them.
    const renamed = await api('PATCH', `/api/v1/works/${workId}`, writer, { title: 'Renamed' });
    assert.equal(renamed.json.comment_policy, 'registered');
    assert.equal(renamed.json.moderate_comments, true);
    const opened = await api('PATCH', `/api/v1/works/${workId}`, writer, {
      comment_policy: 'off',
      moderate_comments: false,
    });
    assert.equal(opened.json.comment_policy, 'off');
    assert.equal(opened.json.moderate_comments, false);
    const wrong = await api('PATCH', `/api/v1/works/${workId}`, writer, { comment_policy: 'friends' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.json.error.fields.comment_policy, /Choose who may comment/);

    const defaults = await postWork();
    const plain = await api('GET', `/api/v1/works/${defaults.id}`);
    assert.equal(plain.json.comment_policy, 'open');
    assert.equal(plain.json.moderate_comments, false);
  });

  it('lets a member comment from the work page and a creator reply in a thread', async () => {
    const { id: workId } = await postWork({ title: 'Lamp Room' });
    const page = await reader.page.get(`/works/${workId}`);
    assert.match(textOf(page.body), /Comment as nightreader/);
    const posted = await reader.page.post(`/works/${workId}/comments`, { body: 'What a lovely lighthouse.' });
    assert.equal(posted.status, 303);
    const commentId = Number(posted.location?.match(new RegExp(`^/works/${workId}#comment_(\\d+)$`))?.[1]);
    assert.ok(commentId > 0, `expected the comment's anchor, got ${posted.location}`);
    const text = await pageText(guest, `/works/${workId}`);
    assert.match(text, /nightreader .*What a lovely lighthouse\./);
    assert.match(text, /Comments: 1/);

    const replyPage = await writer.page.get(`/comments/${commentId}/reply`);
    assert.equal(replyPage.status, 200);
    assert.match(textOf(replyPage.body), /What a lovely lighthouse\./);
    assert.match(replyPage.body, new RegExp(`name="parent_id" value="${commentId}"`));
    const replied = await writer.page.post(`/works/${workId}/comments`, {
      body: 'Thank you for reading!',
      parent_id: String(commentId),
    });
    assert.equal(replied.status, 303);
    const replyId = Number(replied.location?.match(/#comment_(\d+)$/)?.[1]);
    const html = (await guest.get(`/works/${workId}`)).body;
    const parentAt = html.indexOf(`id="comment_${commentId}"`);
    const repliesAt = html.indexOf('class="comment-replies"', parentAt);
    assert.ok(parentAt > 0 && repliesAt > parentAt && html.indexOf(`id="comment_${replyId}"`) > repliesAt);
    assert.equal(await commentsCount(workId), 2);
    // The reply link works without JavaScript: it is a page of its own.
    assert.match(html, new RegExp(`href="/comments/${commentId}/reply"`));
  });

  it('keeps comments on a chapter with that chapter, and shows all of them on the whole work', async () => {
    const { id: workId, chapterIds } = await postWork({
      title: 'Two Tides',
      chapters: [{ body: '<p>First tide.</p>' }, { body: '<p>Second tide.</p>' }],
    });
    const chapterPage = await reader.page.get(`/works/${workId}/chapters/${chapterIds[1]}`);
    assert.match(chapterPage.body, new RegExp(`name="chapter_id" value="${chapterIds[1]}"`));
    const posted = await reader.page.post(`/works/${workId}/comments`, {
      body: 'The second tide is my favourite.',
      chapter_id: String(chapterIds[1]),
    });
    assert.equal(posted.status, 303);
    assert.match(
      posted.location ?? '',
      new RegExp(`^/works/${workId}/chapters/${chapterIds[1]}#comment_\\d+$`),
    );
    assert.match(await pageText(guest, `/works/${workId}/chapters/${chapterIds[1]}`), /my favourite/);
    assert.doesNotMatch(await pageText(guest, `/works/${workId}`), /my favourite/, 'chapter 1 has its own');
    const whole = await pageText(guest, `/works/${workId}?view_full_work=true`);
    assert.match(whole, /nightreader on Chapter 2/);

    // A comment on the whole work (from the API) is found on the whole-work page.
    const onWork = await comment(reader, workId, { body: 'The whole thing, really.' });
    const found = await guest.get(`/comments/${onWork}`);
    assert.equal(found.location, `/works/${workId}?view_full_work=true#comment_${onWork}`);

    // Deleting the chapter takes its comments along and the count follows.
    const deleted = await api('DELETE', `/api/v1/works/${workId}/chapters/${chapterIds[1]}`, writer);
    assert.equal(deleted.status, 204);
    assert.equal(await commentsCount(workId), 1);
    assert.equal(await visibleRows(workId), 1);
  });

  it('takes guest comments with a name (and an email that is never shown) on open works', async () => {
    const { id: workId } = await postWork({ title: 'Open House' });
    const page = await guest.get(`/works/${workId}`);
    assert.match(page.body, /name="guest_name"/);
    const nameless = await guest.post(`/works/${workId}/comments`, { body: 'Lovely!', guest_name: '  ' });
    assert.equal(nameless.status, 400);
    assert.match(textOf(nameless.body), /Give your name/);
    assert.match(nameless.body, />Lovely!<\/textarea>/, 'the typed comment is kept');
    const badEmail = await guest.post(`/works/${workId}/comments`, {
      body: 'Lovely!',
      guest_name: 'Wandering Gull',
      guest_email: 'not-an-email',
    });
    assert.equal(badEmail.status, 400);
    assert.match(textOf(badEmail.body), /valid email/);
    const posted = await guest.post(`/works/${workId}/comments`, {
      body: 'Lovely!',
      guest_name: 'Wandering Gull',
      guest_email: 'gull@example.org',
    });
    assert.equal(posted.status, 303);
    const page2 = await guest.get(`/works/${workId}`);
    assert.match(textOf(page2.body), /Wandering Gull \(Guest\) .*Lovely!/);
    assert.doesNotMatch(page2.body, /gull@example\.org/);
    // Guests comment through the API too, with the same rules.
    assert.equal((await api('POST', `/api/v1/works/${workId}/comments`, null, { body: 'Hi' })).status, 400);
    await comment(null, workId, { body: 'Hi from the API', guest_name: 'Tern' });
    assert.equal(await commentsCount(workId), 2);
  });

  it('follows the comment policy: registered users only, or nobody', async () => {
    const { id: registered } = await postWork({ title: 'Members Only', comment_policy: 'registered' });
    const guestView = await pageText(guest, `/works/${registered}`);
    assert.match(guestView, /Only registered users can comment on this work\. Log in/);
    const refused = await guest.post(`/works/${registered}/comments`, { body: 'Hi', guest_name: 'Gull' });
    assert.equal(refused.status, 401);
    assert.match(textOf(refused.body), /Only registered users can comment/);
    const apiRefused = await api('POST', `/api/v1/works/${registered}/comments`, null, {
      body: 'Hi',
      guest_name: 'Gull',
    });
    assert.equal(apiRefused.status, 401);
    assert.equal(apiRefused.json.error.code, 'unauthenticated');
    await comment(reader, registered, { body: 'Members may.' });

    const { id: closed } = await postWork({ title: 'Quiet Please', comment_policy: 'off' });
    for (const who of [reader, writer]) {
      const response = await api('POST', `/api/v1/works/${closed}/comments`, who, { body: 'Hello?' });
      assert.equal(response.status, 403);
      assert.match(response.json.error.message, /turned off comments/);
    }
    const page = await reader.page.get(`/works/${closed}`);
    assert.match(textOf(page.body), /The creators of this work have turned off comments\./);
    assert.doesNotMatch(page.body, /name="body"/);
    const formRefused = await reader.page.post(`/works/${closed}/comments`, { body: 'Hello?' });
    assert.equal(formRefused.status, 403);

    // Turning comments off keeps what was said; it only stops new comments and replies.
    const earlier = await comment(reader, registered, { body: 'Said before the doors closed.' });
    await api('PATCH', `/api/v1/works/${registered}`, writer, { comment_policy: 'off' });
    assert.match(await pageText(guest, `/works/${registered}`), /Said before the doors closed\./);
    const reply = await api('POST', `/api/v1/works/${registered}/comments`, writer, {
      body: 'Reply',
      parent_id: earlier,
    });
    assert.equal(reply.status, 403);
  });

  it('holds comments on moderated works until a creator approves them', async () => {
    const { id: workId } = await postWork({ title: 'Held', moderate_comments: true });
    const held = await api('POST', `/api/v1/works/${workId}/comments`, reader, {
      body: 'Waiting patiently.',
    });
    assert.deepEqual(held.json, { id: held.json.id, status: 'unreviewed' });
    const heldId = held.json.id as number;
    assert.equal(await commentsCount(workId), 0);
    assert.doesNotMatch(await pageText(guest, `/works/${workId}`), /Waiting patiently/);
    assert.doesNotMatch(await pageText(bystander.page, `/works/${workId}`), /Waiting patiently/);
    const own = await pageText(reader.page, `/works/${workId}`);
    assert.match(own, /Waiting patiently\./);
    assert.match(own, /Waiting for approval/);
    const creatorView = await writer.page.get(`/works/${workId}`);
    assert.match(textOf(creatorView.body), /Waiting patiently\./);
    assert.match(creatorView.body, new RegExp(`action="/comments/${heldId}/approve"`));
    const listed = await api('GET', `/api/v1/works/${workId}/comments`, bystander);
    assert.equal(listed.json.total_threads, 0);
    // Nobody replies to a comment that is not out yet.
    const early = await api('POST', `/api/v1/works/${workId}/comments`, writer, {
      body: 'Hm',
      parent_id: heldId,
    });
    assert.equal(early.status, 400);

    // The creators' own comments are never held.
    const creatorComment = await api('POST', `/api/v1/works/${workId}/comments`, writer, {
      body: 'Welcome!',
    });
    assert.equal(creatorComment.json.status, 'visible');
    assert.equal(await commentsCount(workId), 1);

    // A guest is told their comment waits, and lands back on the work.
    await guest.get(`/works/${workId}`);
    const guestPost = await guest.post(`/works/${workId}/comments`, {
      body: 'Guest words',
      guest_name: 'Gull',
    });
    assert.equal(guestPost.location, `/works/${workId}#comments`);
    assert.match(
      await pageText(guest, `/works/${workId}`),
      /will appear once a creator of the work approves it/,
    );

    assert.equal((await reader.page.post(`/comments/${heldId}/approve`, {})).status, 403);
    const approved = await writer.page.post(`/comments/${heldId}/approve`, {});
    assert.equal(approved.status, 303);
    assert.match(await pageText(guest, `/works/${workId}`), /Waiting patiently\./);
    assert.equal(await commentsCount(workId), 2);
    assert.equal((await writer.page.post(`/comments/${heldId}/approve`, {})).status, 409);
  });

  it('lets creators hide, unhide and delete comments on their works', async () => {
    const { id: workId } = await postWork({ title: 'Curated' });
    const commentId = await comment(reader, workId, { body: 'A comment to curate.' });
    assert.equal(await commentsCount(workId), 1);
    assert.equal((await bystander.page.post(`/comments/${commentId}/hide`, {})).status, 403);
    assert.equal((await reader.page.post(`/comments/${commentId}/hide`, {})).status, 403);

    assert.equal((await writer.page.post(`/comments/${commentId}/hide`, {})).status, 303);
    assert.equal(await commentsCount(workId), 0);
    for (const session of [guest, reader.page, bystander.page])
      assert.doesNotMatch(await pageText(session, `/works/${workId}`), /A comment to curate/);
    const creatorView = await pageText(writer.page, `/works/${workId}`);
    assert.match(creatorView, /Hidden by a creator: only the creators can see it\. .*A comment to curate\./);
    assert.equal((await api('GET', `/api/v1/works/${workId}/comments`)).json.total_threads, 0);
    assert.equal((await guest.get(`/comments/${commentId}`)).status, 404);

    assert.equal((await writer.page.post(`/comments/${commentId}/unhide`, {})).status, 303);
    assert.equal(await commentsCount(workId), 1);
    assert.match(await pageText(guest, `/works/${workId}`), /A comment to curate\./);

    // Through the API: a creator sets the status.
    const hidden = await api('PATCH', `/api/v1/comments/${commentId}`, writer, { status: 'hidden' });
    assert.equal(hidden.status, 200);
    assert.equal(hidden.json.status, 'hidden');
    assert.equal(
      (await api('PATCH', `/api/v1/comments/${commentId}`, reader, { status: 'visible' })).status,
      403,
    );
    assert.equal(
      (await api('PATCH', `/api/v1/comments/${commentId}`, writer, { status: 'visible' })).json.status,
      'visible',
    );

    // A creator deletes a reader's comment.
    const confirm = await writer.page.get(`/comments/${commentId}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.body), /Are you sure you want to delete this comment/);
    const deleted = await writer.page.post(`/comments/${commentId}/delete`, {});
    assert.equal(deleted.status, 303);
    assert.equal(deleted.location, `/works/${workId}#comments`);
    assert.equal(await commentsCount(workId), 0);
    assert.doesNotMatch(await pageText(guest, `/works/${workId}`), /A comment to curate/);
  });

  it('lets authors edit and delete their own comments, and no one else', async () => {
    const { id: workId } = await postWork({ title: 'Edits' });
    const first = await comment(reader, workId, { body: 'Frist!' });
    const edit = await reader.page.get(`/comments/${first}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.body, /Frist!<\/p><\/textarea>|Frist!<\/textarea>/);
    const empty = await reader.page.post(`/comments/${first}`, { body: '   ' });
    assert.equal(empty.status, 400);
    assert.match(textOf(empty.body), /Write your comment first/);
    const saved = await reader.page.post(`/comments/${first}`, { body: 'First! (spelled right)' });
    assert.equal(saved.status, 303);
    const text = await pageText(guest, `/works/${workId}`);
    assert.match(text, /First! \(spelled right\)/);
    assert.match(text, /\(edited\)/);

    for (const [method, url] of [
      ['GET', `/comments/${first}/edit`],
      ['GET', `/comments/${first}/delete`],
    ] as const) {
      assert.equal((await bystander.page.get(url)).status, 403, `${method} ${url}`);
    }
    assert.equal((await bystander.page.post(`/comments/${first}`, { body: 'Mine now' })).status, 403);
    assert.equal((await bystander.page.post(`/comments/${first}/delete`, {})).status, 403);
    assert.equal(
      (await api('PATCH', `/api/v1/comments/${first}`, bystander, { body: 'Mine now' })).status,
      403,
    );
    assert.equal((await api('DELETE', `/api/v1/comments/${first}`, bystander)).status, 403);
    // The creator moderates but does not put words in a reader's mouth.
    assert.equal(
      (await api('PATCH', `/api/v1/comments/${first}`, writer, { body: 'Better words' })).status,
      403,
    );
    assert.equal((await api('PATCH', `/api/v1/comments/${first}`, null, { body: 'x' })).status, 401);
    assert.match(await pageText(guest, `/works/${workId}`), /First! \(spelled right\)/);

    // Deleting a comment with replies leaves its place in the thread.
    const reply = await comment(writer, workId, { body: 'Ha, thank you.', parent_id: first });
    const nested = await comment(reader, workId, { body: 'You are welcome.', parent_id: reply });
    assert.equal(await commentsCount(workId), 3);
    assert.equal((await reader.page.get(`/comments/${first}/delete`)).status, 200);
    assert.equal((await reader.page.post(`/comments/${first}/delete`, {})).status, 303);
    const afterDelete = await pageText(guest, `/works/${workId}`);
    assert.match(afterDelete, /\(Previous comment deleted\.\) .*Ha, thank you\. .*You are welcome\./);
    assert.doesNotMatch(afterDelete, /spelled right/);
    assert.equal(await commentsCount(workId), 2);
    const deletedReply = await api('POST', `/api/v1/works/${workId}/comments`, writer, {
      body: 'Too late',
      parent_id: first,
    });
    assert.equal(deletedReply.status, 400);

    // Once its last reply goes, a deleted placeholder goes too.
    assert.equal((await api('DELETE', `/api/v1/comments/${nested}`, reader)).status, 204);
    assert.equal((await api('DELETE', `/api/v1/comments/${reply}`, writer)).status, 204);
    const remaining = await archive.archive.db
      .selectFrom('comments')
      .select('id')
      .where('work_id', '=', workId)
      .execute();
    assert.deepEqual(remaining, []);
    assert.doesNotMatch(await pageText(guest, `/works/${workId}`), /Previous comment deleted/);
    assert.equal(await commentsCount(workId), 0);
    assert.equal((await api('DELETE', `/api/v1/comments/${first}`, reader)).status, 404);
  });

  it('refuses comments and replies from users a creator has blocked', async () => {
    const blocked = await member(archive, 'blockedone');
    const { id: workId } = await postWork({ title: 'No Trolls' });
    const earlier = await comment(reader, workId, { body: 'A fine comment.' });
    await archive.archive.db
      .insertInto('blocks')
      .values({ user_id: writer.id, target_id: blocked.id, created_at: new Date().toISOString() })
      .execute();
    const message = /one of its creators has blocked you/;
    const direct = await api('POST', `/api/v1/works/${workId}/comments`, blocked, { body: 'Hello' });
    assert.equal(direct.status, 403);
    assert.match(direct.json.error.message, message);
    const reply = await api('POST', `/api/v1/works/${workId}/comments`, blocked, {
      body: 'Hi',
      parent_id: earlier,
    });
    assert.equal(reply.status, 403);
    const page = await blocked.page.get(`/works/${workId}`);
    assert.match(textOf(page.body), message);
    assert.doesNotMatch(page.body, /name="body"/);
    const form = await blocked.page.post(`/works/${workId}/comments`, { body: 'Hello' });
    assert.equal(form.status, 403);
    assert.match(textOf(form.body), message);
    // Other creators' works are not affected.
    const { id: elsewhere } = await postWork({ title: 'Elsewhere' }, bystander);
    await comment(blocked, elsewhere, { body: 'Fine here.' });
    assert.equal(await visibleRows(workId), 1);
  });

  it("hides a muted user's comments from the reader who muted them, and only from them", async () => {
    const loud = await member(archive, 'loudmouth');
    const { id: workId } = await postWork({ title: 'Muted' });
    await archive.archive.db
      .insertInto('mutes')
      .values({ user_id: reader.id, target_id: loud.id, created_at: new Date().toISOString() })
      .execute();
    const loudComment = await comment(loud, workId, { body: 'A very loud opinion.' });
    await comment(bystander, workId, { body: 'An answer to the loud one.', parent_id: loudComment });
    await comment(bystander, workId, { body: 'A quiet remark.' });
    const readerView = await pageText(reader.page, `/works/${workId}`);
    assert.doesNotMatch(readerView, /A very loud opinion|answer to the loud one/);
    assert.match(readerView, /A quiet remark\./);
    for (const session of [guest, writer.page, bystander.page])
      assert.match(await pageText(session, `/works/${workId}`), /A very loud opinion\./);
    const listed = await api('GET', `/api/v1/works/${workId}/comments`, reader);
    assert.equal(listed.json.total_threads, 1);
    assert.equal((await api('GET', `/api/v1/works/${workId}/comments`)).json.total_threads, 2);
    assert.equal(await commentsCount(workId), 3, 'muting changes what one reader sees, not the count');
  });

  it('pages threads twenty at a time with their replies, and links each comment to its page', async () => {
    const { id: workId } = await postWork({ title: 'Popular' });
    const roots: number[] = [];
    for (let index = 1; index <= 45; index++)
      roots.push(await comment(index % 2 ? reader : bystander, workId, { body: `Thread number ${index}.` }));
    const reply = await comment(writer, workId, { body: 'A reply in thread one.', parent_id: roots[0] });
    const deeper = await comment(reader, workId, { body: 'A reply to the reply.', parent_id: reply });

    const first = await api('GET', `/api/v1/works/${workId}/comments?page=1`);
    assert.equal(first.json.threads.length, 20);
    assert.equal(first.json.total_threads, 45);
    assert.equal(first.json.pages, 3);
    assert.equal(first.json.threads[0].replies[0].id, reply);
    assert.equal(first.json.threads[0].replies[0].replies[0].id, deeper);
    const last = await api('GET', `/api/v1/works/${workId}/comments?page=3`);
    assert.deepEqual(
      last.json.threads.map((thread: { id: number }) => thread.id),
      roots.slice(40),
    );
    assert.equal((await api('GET', `/api/v1/works/${workId}/comments?page=99`)).json.page, 3);

    const pageTwo = await guest.get(`/works/${workId}?page=2`);
    const text = textOf(pageTwo.body);
    assert.match(text, /Thread number 21\./);
    assert.match(text, /Thread number 40\./);
    assert.doesNotMatch(text, /Thread number 20\.|Thread number 41\./);
    assert.match(pageTwo.body, new RegExp(`href="/works/${workId}\\?page=3"`));
    assert.match(textOf((await guest.get(`/works/${workId}`)).body), /A reply to the reply\./);

    assert.equal(
      (await guest.get(`/comments/${roots[44]}`)).location,
      `/works/${workId}?page=3#comment_${roots[44]}`,
    );
    assert.equal((await guest.get(`/comments/${deeper}`)).location, `/works/${workId}#comment_${deeper}`);
    assert.equal((await guest.get('/comments/987654')).status, 404);
  });

  it('refuses empty, oversized and misdirected comments with clear messages', async () => {
    const { id: workId, chapterIds } = await postWork({ title: 'Strict' });
    const { id: otherWork, chapterIds: otherChapters } = await postWork({ title: 'Other' });
    const otherComment = await comment(reader, otherWork, { body: 'Elsewhere.' });

    const refusals: [Record<string, unknown>, number, string, RegExp][] = [
      [{ body: '' }, 400, 'body', /Write your comment first/],
      [{ body: '   \n ' }, 400, 'body', /Write your comment first/],
      [{ body: '<script>alert(1)</script>' }, 400, 'body', /Write your comment first/],
      [{ body: 'x'.repeat(10_001) }, 400, 'body', /at most 10,000 characters/],
      [{ body: 42 }, 400, 'body', /Write your comment first/],
      [{ body: 'Hi', parent_id: otherComment }, 400, 'parent_id', /same work/],
      [{ body: 'Hi', parent_id: 'abc' }, 400, 'parent_id', /Reply to a comment/],
      [{ body: 'Hi', chapter_id: otherChapters[0] }, 400, 'chapter_id', /not part of this work/],
    ];
    for (const [payload, status, field, message] of refusals) {
      const response = await api('POST', `/api/v1/works/${workId}/comments`, reader, payload);
      assert.equal(response.status, status, JSON.stringify(payload).slice(0, 60));
      assert.match(response.json.error.fields[field], message, JSON.stringify(payload).slice(0, 60));
    }
    const missing = await api('POST', `/api/v1/works/${workId}/comments`, reader, {
      body: 'Hi',
      parent_id: 999999,
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'not_found');
    assert.equal(await visibleRows(workId), 0, 'nothing refused was stored');

    const longest = await api('POST', `/api/v1/works/${workId}/comments`, reader, {
      body: 'y'.repeat(10_000),
      chapter_id: chapterIds[0],
    });
    assert.equal(longest.status, 201);
    const cleaned = await api('POST', `/api/v1/works/${workId}/comments`, reader, {
      body: '<p>Kept <em>this</em></p><script>alert(1)</script>',
    });
    const listed = await api('GET', `/api/v1/works/${workId}/comments`);
    const stored = listed.json.threads.find((thread: { id: number }) => thread.id === cleaned.json.id);
    assert.equal(stored.body, '<p>Kept <em>this</em></p>');

    // Drafts take no comments; deleted works are gone.
    const draft = await postWork({ title: 'Draft', draft: true });
    const onDraft = await api('POST', `/api/v1/works/${draft.id}/comments`, writer, { body: 'Note to self' });
    assert.equal(onDraft.status, 403);
    assert.match(onDraft.json.error.message, /drafts cannot have comments/);
    assert.equal(
      (await api('POST', `/api/v1/works/${draft.id}/comments`, reader, { body: 'Hi' })).status,
      404,
    );
    const doomed = await postWork({ title: 'Doomed' });
    const doomedComment = await comment(reader, doomed.id, { body: 'Before the end.' });
    assert.equal((await api('DELETE', `/api/v1/works/${doomed.id}`, writer)).status, 204);
    assert.equal(
      (await api('POST', `/api/v1/works/${doomed.id}/comments`, reader, { body: 'Hi' })).status,
      404,
    );
    assert.equal((await guest.get(`/comments/${doomedComment}`)).status, 404);

    // A refused form comes back with what was typed.
    await reader.page.get(`/works/${workId}`);
    const tooLong = `${'z'.repeat(10_001)}`;
    const refusedForm = await reader.page.post(`/works/${workId}/comments`, { body: tooLong });
    assert.equal(refusedForm.status, 400);
    assert.match(textOf(refusedForm.body), /at most 10,000 characters/);
    assert.ok(refusedForm.body.includes(tooLong));
  });

  it('refuses comment forms without the CSRF token', async () => {
    const { id: workId } = await postWork({ title: 'Guarded' });
    const commentId = await comment(reader, workId, { body: 'Guarded words.' });
    await reader.page.get(`/works/${workId}`);
    const forged = await reader.page.post(`/works/${workId}/comments`, { body: 'Forged' }, { csrf: false });
    assert.equal(forged.status, 403);
    assert.equal((await writer.page.post(`/comments/${commentId}/hide`, {}, { csrf: 'forged' })).status, 403);
    assert.equal((await reader.page.post(`/comments/${commentId}/delete`, {}, { csrf: false })).status, 403);
    assert.equal(
      (await reader.page.post(`/comments/${commentId}`, { body: 'x' }, { csrf: false })).status,
      403,
    );
    assert.equal(await visibleRows(workId), 1);
    assert.match(await pageText(guest, `/works/${workId}`), /Guarded words\./);
  });

  it('keeps comments_count equal to the visible comments under concurrent posting and moderation', async () => {
    const { id: workId } = await postWork({ title: 'Busy' });
    const earlier: number[] = [];
    for (let index = 0; index < 6; index++)
      earlier.push(await comment(reader, workId, { body: `Earlier ${index}` }));
    const posts = Array.from({ length: 30 }, (_, index) =>
      api('POST', `/api/v1/works/${workId}/comments`, index % 2 ? reader : bystander, {
        body: `Concurrent comment ${index}`,
        // Some answer a comment that is being deleted at the same time.
        ...(index % 5 === 0 ? { parent_id: earlier[0] } : {}),
      }),
    );
    const changes = [
      api('DELETE', `/api/v1/comments/${earlier[0]}`, reader),
      api('PATCH', `/api/v1/comments/${earlier[1]}`, writer, { status: 'hidden' }),
      api('PATCH', `/api/v1/comments/${earlier[2]}`, writer, { status: 'hidden' }),
      api('DELETE', `/api/v1/comments/${earlier[3]}`, writer),
    ];
    const results = await Promise.all([...posts, ...changes]);
    for (const result of results)
      assert.ok([200, 201, 204, 400, 404].includes(result.status), JSON.stringify(result));
    const created = results.slice(0, 30).filter((result) => result.status === 201).length;
    assert.ok(created >= 24, 'every comment that does not answer the deleted one goes in');
    assert.equal(await commentsCount(workId), await visibleRows(workId));
    assert.equal(await commentsCount(workId), 6 + created - 4);
  });

  it('answers the comment API with the documented shapes', async () => {
    const { id: workId, chapterIds } = await postWork({ title: 'Shapes' });
    const created = await api('POST', `/api/v1/works/${workId}/comments`, reader, {
      body: 'Shape of things.',
      chapter_id: chapterIds[0],
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.json).sort(), ['id', 'status']);
    await comment(writer, workId, { body: 'A reply.', parent_id: created.json.id });
    const listed = await api('GET', `/api/v1/works/${workId}/comments`);
    assert.deepEqual(Object.keys(listed.json).sort(), ['page', 'pages', 'threads', 'total_threads']);
    const [thread] = listed.json.threads;
    assert.deepEqual(thread, {
      id: created.json.id,
      url: thread.url,
      work_id: workId,
      chapter_id: chapterIds[0],
      parent_id: null,
      author: { pseud: 'nightreader', username: 'nightreader' },
      guest_name: null,
      body: 'Shape of things.',
      status: 'visible',
      created_at: thread.created_at,
      edited: false,
      replies: [thread.replies[0]],
    });
    assert.match(thread.url, new RegExp(`^https?://[^/]+/comments/${created.json.id}$`));
    assert.equal(thread.replies[0].author.username, 'quillwright');
    assert.equal(thread.replies[0].parent_id, created.json.id);

    const patched = await api('PATCH', `/api/v1/comments/${created.json.id}`, reader, { body: 'Reshaped.' });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.body, 'Reshaped.');
    assert.equal(patched.json.edited, true);
    assert.equal((await api('PATCH', `/api/v1/comments/${created.json.id}`, reader, {})).status, 400);
    // The contract names the field at fault, and an id that is no number names no comment.
    const wrongStatus = await api('PATCH', `/api/v1/comments/${created.json.id}`, writer, {
      status: 'deleted',
    });
    assert.equal(wrongStatus.status, 400);
    assert.match(wrongStatus.json.error.fields.status, /visible or hidden/);
    const wrongBody = await api('PATCH', `/api/v1/comments/${created.json.id}`, reader, { body: 42 });
    assert.equal(wrongBody.status, 400);
    assert.match(wrongBody.json.error.fields.body, /Write your comment first/);
    assert.equal((await api('PATCH', '/api/v1/comments/first', reader, { body: 'x' })).status, 404);
    assert.equal((await api('DELETE', '/api/v1/comments/first', reader)).status, 404);
    assert.equal((await api('GET', '/api/v1/works/first/comments')).status, 404);
    const wrongChapter = await api('GET', `/api/v1/works/${workId}/comments?chapter_id=first`);
    assert.equal(wrongChapter.status, 400);
    assert.match(wrongChapter.json.error.fields.chapter_id, /number of one of the work’s chapters/);
    const oneChapter = await api('GET', `/api/v1/works/${workId}/comments?chapter_id=${chapterIds[0]}`);
    assert.equal(oneChapter.json.total_threads, 1);
    assert.equal((await api('DELETE', `/api/v1/comments/${created.json.id}`, null)).status, 401);
    const spec = await api('GET', '/api/v1/openapi.json');
    for (const path of ['/works/{id}/comments', '/comments/{id}', '/inbox', '/inbox/{id}'])
      assert.ok(spec.json.paths[path], `OpenAPI documents ${path}`);
  });

  it('limits how fast one client can post comments', async () => {
    const limited = await startTestArchive({ environment: { QUIRE_RATE_LIMIT: 'on' } });
    try {
      const author = await member(limited, 'fastwriter');
      const chatty = await member(limited, 'chatty');
      const work = await author.api.postWork({ title: 'Popular Thread' });
      const statuses: number[] = [];
      for (let index = 0; index < 11; index++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: `/api/v1/works/${work.id}/comments`,
          headers: { authorization: `Bearer ${chatty.api.token}` },
          payload: { body: `Comment ${index}` },
        });
        statuses.push(response.statusCode);
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(201));
      assert.equal(statuses[10], 429);
      // The page form counts against the same limit.
      await chatty.page.get(`/works/${work.id}`);
      const form = await chatty.page.post(`/works/${work.id}/comments`, { body: 'One more' });
      assert.equal(form.status, 429);
      assert.match(textOf(form.body), /Too many attempts/);
    } finally {
      await limited.close();
    }
  });
});
