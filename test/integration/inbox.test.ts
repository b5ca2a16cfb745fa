import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notify } from '../../src/services/notifications.ts';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Item {
  id: number;
  kind: string;
  read: boolean;
  text: string;
  work_id: number | null;
  chapter_id: number | null;
  comment_id: number | null;
}

describe(`the inbox (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let coWriter: Member;
  let reader: Member;
  let bystander: Member;
  let guest: ReaderSession;
  let workId: number;
  let chapterIds: number[];

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'quillwright');
    coWriter = await member(archive, 'penpal');
    reader = await member(archive, 'nightreader');
    bystander = await member(archive, 'bystander');
    guest = new ReaderSession(archive.app);
    const work = await writer.api.postWork({
      title: 'Tidewater',
      chapters: [{ body: '<p>First tide.</p>' }, { body: '<p>Second tide.</p>' }],
    });
    workId = work.id;
    chapterIds = (work.chapters as { id: number }[]).map((chapter) => chapter.id);
    // Co-creators are credited together; both hear about comments.
    const pseud = await archive.archive.db
      .selectFrom('pseuds')
      .select('id')
      .where('user_id', '=', coWriter.id)
      .executeTakeFirstOrThrow();
    await archive.archive.db
      .insertInto('work_creators')
      .values({ work_id: workId, pseud_id: pseud.id, position: 1 })
      .execute();
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

  async function comment(who: Member, payload: Record<string, unknown>, work = workId): Promise<number> {
    const response = await api('POST', `/api/v1/works/${work}/comments`, who, payload);
    assert.equal(response.status, 201, JSON.stringify(response.json));
    return response.json.id;
  }

  async function inbox(who: Member, query = ''): Promise<Item[]> {
    const response = await api('GET', `/api/v1/inbox${query}`, who);
    assert.equal(response.status, 200);
    return response.json.items;
  }

  /** Empties everyone's inbox so that each test counts only its own items. */
  async function clearInboxes(): Promise<void> {
    await archive.archive.db.deleteFrom('notifications').execute();
  }

  it("puts a comment in every creator's inbox and a reply in the answered reader's, never the commenter's", async () => {
    await clearInboxes();
    const first = await comment(reader, { body: 'Lovely tides.' });
    for (const creator of [writer, coWriter]) {
      const items = await inbox(creator);
      assert.equal(items.length, 1);
      assert.equal(items[0].kind, 'comment');
      assert.equal(items[0].read, false);
      assert.equal(items[0].comment_id, first);
      assert.equal(items[0].work_id, workId);
      assert.equal(items[0].text, 'nightreader left a comment on “Tidewater”');
    }
    assert.deepEqual(await inbox(reader), [], 'nobody hears about their own comment');

    const answer = await comment(writer, { body: 'Thank you!', parent_id: first });
    const readerItems = await inbox(reader);
    assert.equal(readerItems.length, 1);
    assert.equal(readerItems[0].kind, 'reply');
    assert.equal(readerItems[0].comment_id, answer);
    assert.equal(readerItems[0].text, 'quillwright replied to your comment on “Tidewater”');
    assert.equal((await inbox(writer)).length, 1, 'the writer is not told of their own reply');
    assert.equal((await inbox(coWriter)).length, 2, 'the co-creator hears of the writer’s reply');

    // A reader answering a creator's reply: the creator gets one item, as the one answered.
    await comment(bystander, { body: 'Me too!', parent_id: answer });
    const writerItems = await inbox(writer);
    assert.deepEqual(
      writerItems.map((item) => item.kind),
      ['reply', 'comment'],
    );
    assert.equal((await inbox(coWriter)).length, 3);
    assert.equal((await inbox(reader)).length, 1);

    // Chapter comments say which chapter; guests are named as guests.
    await comment(reader, { body: 'About chapter two.', chapter_id: chapterIds[1] });
    assert.equal((await inbox(writer))[0].text, 'nightreader left a comment on Chapter 2 of “Tidewater”');
    await api('POST', `/api/v1/works/${workId}/comments`, null, { body: 'Hello', guest_name: 'Gull' });
    assert.equal((await inbox(writer))[0].text, 'Gull (Guest) left a comment on “Tidewater”');

    // Mail goes out through the queue for readers who want it.
    const mail = await archive.archive.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'mail')
      .execute();
    assert.ok(mail.some((job) => JSON.parse(job.payload).to === 'nightreader@example.org'));
  });

  it('shows the unread count in the header and the items on the inbox page, to the owner alone', async () => {
    await clearInboxes();
    await comment(reader, { body: 'Counting on you.' });
    await comment(bystander, { body: 'And me.' });
    const home = await writer.page.get('/');
    assert.match(home.body, /href="\/users\/quillwright\/inbox">Inbox \(2\)</);
    assert.match((await reader.page.get('/')).body, /href="\/users\/nightreader\/inbox">Inbox</);
    assert.doesNotMatch((await guest.get('/')).body, /Inbox/);

    const page = await writer.page.get('/users/quillwright/inbox');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(text, /2 unread items\./);
    assert.match(text, /bystander left a comment on “Tidewater” .*And me\./);
    assert.match(text, /nightreader left a comment on “Tidewater” .*Counting on you\./);
    assert.equal((await reader.page.get('/users/quillwright/inbox')).status, 403);
    assert.equal((await guest.get('/users/quillwright/inbox')).status, 401);
    assert.equal((await writer.page.get('/users/nobody_here/inbox')).status, 404);
  });

  it('marks selected items read and unread, filters the unread ones, and deletes them', async () => {
    await clearInboxes();
    await comment(reader, { body: 'One.' });
    await comment(reader, { body: 'Two.' });
    await comment(reader, { body: 'Three.' });
    const [three, two, one] = await inbox(writer);
    const base = '/users/quillwright/inbox';
    await writer.page.get(base);

    const marked = await writer.page.post(base, { ids: [String(three.id), String(two.id)], action: 'read' });
    assert.equal(marked.status, 303);
    assert.equal(marked.location, base);
    const after = await writer.page.get(base);
    assert.match(textOf(after.body), /Marked 2 items as read\./);
    assert.match(after.body, /Inbox \(1\)/);
    const unread = await writer.page.get(`${base}?filter=unread`);
    assert.match(textOf(unread.body), /One\./);
    assert.doesNotMatch(textOf(unread.body), /Two\.|Three\./);
    assert.deepEqual(
      (await inbox(writer, '?filter=unread')).map((item) => item.id),
      [one.id],
    );

    await writer.page.post(base, { ids: String(two.id), action: 'unread', filter: 'unread' });
    assert.deepEqual(
      (await inbox(writer, '?filter=unread')).map((item) => item.id),
      [two.id, one.id],
    );

    // Someone else's items are out of reach, even by number.
    const readerItem = await comment(writer, { body: 'Reply to one', parent_id: one.comment_id });
    const [theirs] = await inbox(reader);
    assert.equal(theirs.comment_id, readerItem);
    await writer.page.get(base);
    await writer.page.post(base, { ids: String(theirs.id), action: 'delete' });
    assert.match(textOf((await writer.page.get(base)).body), /Deleted 0 items\./);
    assert.equal((await inbox(reader)).length, 1);

    const deleted = await writer.page.post(base, {
      ids: [String(one.id), String(three.id)],
      action: 'delete',
    });
    assert.equal(deleted.status, 303);
    assert.deepEqual(
      (await inbox(writer)).map((item) => item.id),
      [two.id],
    );
    await writer.page.post(base, { action: 'read' });
    assert.match(textOf((await writer.page.get(base)).body), /Select at least one inbox item first\./);
    assert.equal(
      (await writer.page.post(base, { ids: String(two.id), action: 'delete' }, { csrf: false })).status,
      403,
    );
    assert.equal((await inbox(writer)).length, 1);
  });

  it('replies from the inbox, and the reply lands in the thread', async () => {
    await clearInboxes();
    const question = await comment(reader, { body: 'Will there be a third tide?' });
    const page = await writer.page.get('/users/quillwright/inbox');
    assert.match(page.body, new RegExp(`name="parent_id" value="${question}"`));
    assert.match(page.body, /name="from" value="inbox"/);
    const posted = await writer.page.post(`/works/${workId}/comments`, {
      body: 'Yes, next week!',
      parent_id: String(question),
      from: 'inbox',
    });
    assert.equal(posted.status, 303);
    assert.equal(posted.location, '/users/quillwright/inbox');
    const back = await writer.page.get('/users/quillwright/inbox');
    assert.match(textOf(back.body), /Comment created!/);
    assert.equal((await inbox(writer))[0].read, true, 'answering a comment reads its item');

    const html = (await guest.get(`/works/${workId}?view_full_work=true`)).body;
    const questionAt = html.indexOf(`id="comment_${question}"`);
    const replyAt = html.indexOf('Yes, next week!');
    assert.ok(questionAt > 0 && replyAt > html.indexOf('class="comment-replies"', questionAt));
    const [news] = await inbox(reader);
    assert.equal(news.kind, 'reply');
    assert.equal(news.text, 'quillwright replied to your comment on “Tidewater”');

    // An empty reply comes back as a form with the problem named.
    await writer.page.get('/users/quillwright/inbox');
    const empty = await writer.page.post(`/works/${workId}/comments`, {
      body: ' ',
      parent_id: String(question),
      from: 'inbox',
    });
    assert.equal(empty.status, 400);
    assert.match(textOf(empty.body), /Write your comment first/);
  });

  it('lists subscription news written elsewhere, with a link to what it announces', async () => {
    await clearInboxes();
    await notify(archive.archive.db, {
      userId: reader.id,
      kind: 'new_chapter',
      workId,
      chapterId: chapterIds[1],
      text: 'quillwright posted Chapter 2 of “Tidewater”',
      url: `http://example.org/works/${workId}/chapters/${chapterIds[1]}`,
    });
    await notify(archive.archive.db, {
      userId: reader.id,
      kind: 'new_work',
      workId,
      text: 'quillwright posted a new work: “Tidewater”',
      url: `http://example.org/works/${workId}`,
    });
    const page = await reader.page.get('/users/nightreader/inbox');
    assert.match(
      page.body,
      new RegExp(
        `<a href="/works/${workId}/chapters/${chapterIds[1]}">quillwright posted Chapter 2 of “Tidewater”</a>`,
      ),
    );
    assert.match(
      page.body,
      new RegExp(`<a href="/works/${workId}">quillwright posted a new work: “Tidewater”</a>`),
    );
    assert.deepEqual(
      (await inbox(reader)).map((item) => item.kind),
      ['new_work', 'new_chapter'],
    );
  });

  it('does not tell readers about comments from users they muted', async () => {
    await clearInboxes();
    const loud = await member(archive, 'loudmouth');
    await archive.archive.db
      .insertInto('mutes')
      .values({ user_id: writer.id, target_id: loud.id, created_at: new Date().toISOString() })
      .execute();
    await comment(loud, { body: 'Loud words.' });
    assert.deepEqual(await inbox(writer), []);
    assert.equal((await inbox(coWriter)).length, 1);
  });

  it('tells creators of held comments, and the answered reader once a creator approves', async () => {
    await clearInboxes();
    const held = await writer.api.postWork({ title: 'Held Back', moderate_comments: true });
    const opener = await comment(writer, { body: 'Ask me anything.' }, held.id);
    const question = await comment(reader, { body: 'Why the lighthouse?', parent_id: opener }, held.id);
    const [item] = await inbox(writer);
    assert.equal(item.text, 'nightreader left a comment on “Held Back”; it waits for your approval');
    assert.equal((await inbox(writer)).length, 1, 'a held comment reaches the creators only');

    const page = await writer.page.get('/users/quillwright/inbox');
    assert.match(page.body, new RegExp(`action="/comments/${question}/approve"`));
    assert.doesNotMatch(
      page.body,
      new RegExp(`name="parent_id" value="${question}"`),
      'approve before replying',
    );
    const approved = await writer.page.post(`/comments/${question}/approve`, { from: 'inbox' });
    assert.equal(approved.status, 303);
    assert.equal(approved.location, '/users/quillwright/inbox');
    assert.match(textOf((await writer.page.get('/users/quillwright/inbox')).body), /approved/);

    // The reader's question answers the writer's opener: now that it is out, the writer hears of it as a reply.
    const [news] = await inbox(writer);
    assert.equal(news.kind, 'reply');
    assert.equal(news.text, 'nightreader replied to your comment on “Held Back”');
  });

  it('answers the inbox API with the documented shapes', async () => {
    await clearInboxes();
    const commentId = await comment(reader, { body: 'Shape check.' });
    const listed = await api('GET', '/api/v1/inbox', writer);
    assert.deepEqual(Object.keys(listed.json).sort(), ['items', 'page', 'pages', 'total', 'unread_count']);
    const [item] = listed.json.items;
    assert.deepEqual(item, {
      id: item.id,
      kind: 'comment',
      read: false,
      created_at: item.created_at,
      work_id: workId,
      chapter_id: null,
      comment_id: commentId,
      text: 'nightreader left a comment on “Tidewater”',
      comment: {
        id: commentId,
        author: 'nightreader',
        body: 'Shape check.',
        status: 'visible',
        can_reply: true,
      },
    });
    assert.equal(listed.json.unread_count, 1);

    const read = await api('PATCH', `/api/v1/inbox/${item.id}`, writer, { read: true });
    assert.equal(read.status, 200);
    assert.equal(read.json.read, true);
    assert.equal((await api('GET', '/api/v1/inbox', writer)).json.unread_count, 0);
    // What the filter and page cannot use means all items and the first page, as on the inbox page.
    assert.equal((await api('GET', '/api/v1/inbox?filter=unread', writer)).json.items.length, 0);
    const lenient = await api('GET', '/api/v1/inbox?filter=bogus&page=abc', writer);
    assert.equal(lenient.status, 200);
    assert.equal(lenient.json.page, 1);
    assert.equal(lenient.json.items.length, 1);
    assert.equal((await api('GET', '/api/v1/inbox?filter=unread', writer)).json.items.length, 0);
    assert.equal((await api('PATCH', `/api/v1/inbox/${item.id}`, writer, { read: false })).json.read, false);
    const wrong = await api('PATCH', `/api/v1/inbox/${item.id}`, writer, { read: 'yes' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error.code, 'invalid_input');
    assert.ok(wrong.json.error.fields.read);
    assert.equal((await api('PATCH', '/api/v1/inbox/abc', writer, { read: true })).status, 404);
    assert.equal((await api('PATCH', `/api/v1/inbox/${item.id}`, reader, { read: true })).status, 404);
    assert.equal((await api('DELETE', `/api/v1/inbox/${item.id}`, reader)).status, 404);
    assert.equal((await api('GET', '/api/v1/inbox')).status, 401);
    assert.equal((await api('DELETE', `/api/v1/inbox/${item.id}`, writer)).status, 204);
    assert.equal((await api('DELETE', `/api/v1/inbox/${item.id}`, writer)).status, 404);
  });
});
