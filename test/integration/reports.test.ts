import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Member, member } from '../support/members.ts';
import { quire } from '../support/quireCommand.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`readers' reports (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;
  let moderator: Member;
  let workId: number;
  let chapterId: number;
  let commentId: number;
  let bookmarkId: number;
  let draftId: number;

  async function api(who: Member | null, method: 'GET' | 'POST', url: string, payload?: object) {
    const response = await archive.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? { authorization: `Bearer ${who.api.token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null };
  }

  const queue = async (query = '') => {
    const listed = await api(moderator, 'GET', `/admin/reports${query}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    return listed.json.reports as {
      id: number;
      target_kind: string;
      target_id: number;
      status: string;
      category: string;
      messages: { reporter: string; text: string }[];
      resolution_note: string;
      claimed_by: string | null;
    }[];
  };

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'writer');
    reader = await member(archive, 'reader');
    moderator = await member(archive, 'moderator');
    const made = await quire(archive, 'user', 'role', 'moderator', 'moderator');
    assert.equal(made.status, 0, made.stderr);
    const work = await writer.api.postWork({ title: 'Reported Work' });
    workId = work.id;
    chapterId = (work.chapters as { id: number }[])[0].id;
    draftId = (await writer.api.postWork({ title: 'Quiet Draft', draft: true })).id;
    const comment = await api(reader, 'POST', `/works/${workId}/comments`, { body: 'Buy cheap pills' });
    assert.equal(comment.status, 201, JSON.stringify(comment.json));
    commentId = comment.json.id;
    const bookmark = await api(reader, 'POST', '/bookmarks', { work_id: workId, notes: 'spammy notes' });
    assert.equal(bookmark.status, 201, JSON.stringify(bookmark.json));
    bookmarkId = bookmark.json.id;
  });
  after(async () => archive.close());

  it('puts a Report link on work, chapter, comment, bookmark and user pages, opening the form', async () => {
    const guest = new ReaderSession(archive.app);
    const workPage = await guest.get(`/works/${workId}`);
    assert.match(workPage.body, new RegExp(`href="/reports/new\\?work_id=${workId}"`));
    assert.match(workPage.body, new RegExp(`href="/reports/new\\?comment_id=${commentId}"`));
    const bookmarks = await guest.get(`/users/reader/bookmarks`);
    assert.match(bookmarks.body, new RegExp(`href="/reports/new\\?bookmark_id=${bookmarkId}"`));
    const profile = await guest.get('/users/writer/profile');
    assert.match(profile.body, /href="\/reports\/new\?user=writer"/);
    const form = await guest.get(`/reports/new?chapter_id=${chapterId}`);
    assert.equal(form.status, 200);
    assert.match(textOf(form.body), /Report chapter/);
    assert.match(form.body, /name="email"/);
  });

  it('files reports from the form and the API about each kind of thing; a second report adds to the first', async () => {
    await reader.page.get(`/reports/new?work_id=${workId}`);
    const sent = await reader.page.post('/reports', {
      work_id: String(workId),
      category: 'plagiarism',
      text: 'Copied from a novel',
    });
    assert.equal(sent.status, 303, textOf(sent.body));
    const again = await api(writer, 'POST', '/reports', {
      work_id: workId,
      category: 'rating',
      text: 'Also wrongly rated',
    });
    assert.equal(again.status, 201, JSON.stringify(again.json));
    assert.equal(again.json.added, true);
    for (const body of [
      { chapter_id: chapterId },
      { comment_id: commentId },
      { bookmark_id: bookmarkId },
      { user: 'Writer' },
    ]) {
      const filed = await api(reader, 'POST', '/reports', { ...body, category: 'spam', text: 'Spam' });
      assert.equal(filed.status, 201, JSON.stringify(filed.json));
      assert.equal(filed.json.added, false);
    }
    const reports = await queue();
    const onWork = reports.filter((report) => report.target_kind === 'work');
    assert.equal(onWork.length, 1);
    assert.deepEqual(
      onWork[0].messages.map((message) => [message.reporter, message.text]),
      [
        ['reader', 'Copied from a novel'],
        ['writer', 'Also wrongly rated'],
      ],
    );
    assert.deepEqual(
      reports.map((report) => report.target_kind),
      ['user', 'bookmark', 'comment', 'chapter', 'work'],
      'newest first',
    );
  });

  it('asks guests for an email address, and hides what the reporter cannot see', async () => {
    const noEmail = await api(null, 'POST', '/reports', {
      comment_id: commentId,
      category: 'spam',
      text: 'Spam',
    });
    assert.equal(noEmail.status, 400);
    assert.match(noEmail.json.error.message ?? JSON.stringify(noEmail.json), /email/i);
    const withEmail = await api(null, 'POST', '/reports', {
      comment_id: commentId,
      category: 'spam',
      text: 'Spam from a guest',
      email: 'guest@example.net',
    });
    assert.equal(withEmail.status, 201, JSON.stringify(withEmail.json));
    const guest = new ReaderSession(archive.app);
    assert.equal((await guest.get(`/reports/new?work_id=${draftId}`)).status, 404);
    const draft = await api(null, 'POST', '/reports', {
      work_id: draftId,
      category: 'spam',
      text: 'x',
      email: 'g@example.net',
    });
    assert.equal(draft.status, 404);
    const two = await api(reader, 'POST', '/reports', {
      work_id: workId,
      user: 'writer',
      category: 'spam',
      text: 'x',
    });
    assert.equal(two.status, 400);
    const comment = (await queue('?category=spam')).find((report) => report.target_kind === 'comment');
    assert.ok(comment?.messages.some((message) => message.reporter === 'guest@example.net'));
  });

  it('lets moderators filter, claim and resolve, writing each to the audit log; users are refused', async () => {
    const [report] = (await queue('?category=plagiarism')).filter((entry) => entry.target_kind === 'work');
    assert.ok(report);
    assert.deepEqual(await queue('?category=harassment'), []);
    for (const [url, body] of [
      ['/admin/reports', undefined],
      [`/admin/reports/${report.id}/claim`, {}],
      [`/admin/reports/${report.id}/resolve`, { note: 'no' }],
    ] as const) {
      const refused = await api(reader, body ? 'POST' : 'GET', url, body);
      assert.equal(refused.status, 403, url);
    }
    assert.equal((await reader.page.get('/admin/reports')).status, 403);

    assert.equal((await api(moderator, 'POST', `/admin/reports/${report.id}/claim`, {})).status, 204);
    const claimed = (await queue('?status=claimed')).map((entry) => [entry.id, entry.claimed_by]);
    assert.deepEqual(claimed, [[report.id, 'moderator']]);

    await moderator.page.get('/admin/reports');
    const resolved = await moderator.page.post(`/admin/reports/${report.id}/resolve`, {
      note: 'Asked the writer to credit the source',
    });
    assert.equal(resolved.status, 303, textOf(resolved.body));
    const [done] = await queue('?status=resolved');
    assert.equal(done.resolution_note, 'Asked the writer to credit the source');

    // The reporters hear the outcome by mail: members at their account's address.
    const mail = await archive.archive.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'mail')
      .execute();
    const answers = mail
      .map((job) => JSON.parse(job.payload))
      .filter((message) => /was resolved/.test(message.subject));
    assert.deepEqual(answers.map((message) => message.to).sort(), [
      'reader@example.org',
      'writer@example.org',
    ]);
    assert.match(answers[0].text, /Asked the writer to credit the source/);

    const log = await api(moderator, 'GET', '/admin/audit');
    assert.deepEqual(
      log.json.entries
        .slice(0, 2)
        .map((entry: { actor: string; action: string; reason: string }) => [
          entry.actor,
          entry.action,
          entry.reason,
        ]),
      [
        ['moderator', 'resolve report', 'Asked the writer to credit the source'],
        ['moderator', 'claim report', ''],
      ],
    );
    // A new report about the same work starts afresh once the first is resolved.
    const later = await api(reader, 'POST', '/reports', {
      work_id: workId,
      category: 'other',
      text: 'Again',
    });
    assert.equal(later.json.added, false);
  });
});
