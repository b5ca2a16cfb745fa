import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { type ReceivedMail, TestMailbox } from '../support/mailbox.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`subscriptions and notification mail (${testDialect})`, () => {
  let mailbox: TestMailbox;
  let archive: TestArchive;
  let writer: ApiWriter;
  let writerPages: ReaderSession;
  let follower: ReaderSession;
  let seriesFan: ApiWriter;
  let creatorFan: ReaderSession;
  let quiet: ReaderSession;
  let workId: number;

  before(async () => {
    mailbox = await TestMailbox.start();
    // Confirming addresses is another test's subject (emailConfirmation.test.ts): these readers post at once.
    archive = await startTestArchive({
      environment: { QUIRE_SMTP_URL: mailbox.smtpUrl, QUIRE_CONFIRM_EMAIL: 'off' },
    });
    writer = await ApiWriter.signUp(archive.app, 'harbourmaster');
    writerPages = new ReaderSession(archive.app);
    await writerPages.logIn('harbourmaster', 'long enough password');
    follower = new ReaderSession(archive.app);
    await follower.signUp('follower');
    seriesFan = await ApiWriter.signUp(archive.app, 'seriesfan');
    creatorFan = new ReaderSession(archive.app);
    await creatorFan.signUp('creatorfan');
    quiet = new ReaderSession(archive.app);
    await quiet.signUp('quiet');
    workId = (await writer.postWork({ title: 'The Long Voyage', expected_chapters: 3 })).id;
  });
  after(async () => {
    await archive.close();
    await mailbox.close();
  });

  const api = (who: ApiWriter, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    archive.app.inject({ method, url, payload, headers: { authorization: `Bearer ${who.token}` } });

  async function userId(username: string): Promise<number> {
    const row = await archive.archive.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function inbox(username: string) {
    return archive.archive.db
      .selectFrom('notifications')
      .select(['kind', 'text', 'work_id', 'chapter_id'])
      .where('user_id', '=', await userId(username))
      .orderBy('id')
      .execute();
  }

  /** Runs the mail queue as `quire serve`'s worker would, and hands over what arrived since last time. */
  async function deliverMail(): Promise<ReceivedMail[]> {
    return mailbox.deliver(archive);
  }

  async function postChapter(work: number, title: string) {
    const response = await api(writer, 'POST', `/api/v1/works/${work}/chapters`, {
      title,
      body: '<p>More sea.</p>',
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: number };
  }

  it('subscribes to a work from its page, and only once', async () => {
    const page = await follower.get(`/works/${workId}`);
    assert.match(
      page.body,
      /<input type="hidden" name="work_id" value="\d+"\/><button class="button" type="submit">Subscribe/,
    );
    const subscribed = await follower.submit('/subscriptions', { work_id: String(workId) });
    assert.match(textOf(subscribed.body), /You are now subscribed to The Long Voyage/);
    assert.match(subscribed.body, /Unsubscribe/);
    const again = await follower.submit('/subscriptions', { work_id: String(workId) });
    assert.match(textOf(again.body), /You are already subscribed/);
    const rows = await archive.archive.db.selectFrom('subscriptions').selectAll().execute();
    assert.equal(rows.length, 1);
    // The writer sees no Subscribe button on their own work, and the API refuses it.
    assert.doesNotMatch((await writerPages.get(`/works/${workId}`)).body, />Subscribe</);
    assert.equal((await api(writer, 'POST', '/api/v1/subscriptions', { work_id: workId })).statusCode, 400);
  });

  it('tells work subscribers of a new chapter in their inbox and by mail, never the writer', async () => {
    mailbox.clear();
    await deliverMail();
    const chapter = await postChapter(workId, 'Landfall');
    const items = await inbox('follower');
    assert.equal(items.length, 1);
    assert.equal(items[0].kind, 'new_chapter');
    assert.equal(items[0].chapter_id, chapter.id);
    assert.match(items[0].text, /The Long Voyage/);
    assert.deepEqual(await inbox('harbourmaster'), []);
    const inboxPage = await follower.get('/users/follower/inbox');
    assert.match(textOf(inboxPage.body), /The Long Voyage/);

    const mail = await deliverMail();
    assert.equal(mail.length, 1);
    assert.deepEqual(mail[0].to, ['follower@example.org']);
    assert.match(mail[0].subject, /“The Long Voyage” by harbourmaster has a new chapter/);
    assert.match(mail[0].body, new RegExp(`http://[^/\\s]+/works/${workId}/chapters/${chapter.id}`));
  });

  it('subscribes to a creator from their page and tells of new works, but not of drafts until posted', async () => {
    const page = await creatorFan.get('/users/harbourmaster/works');
    assert.match(page.body, /name="user" value="harbourmaster"/);
    const subscribed = await creatorFan.submit('/subscriptions', { user: 'harbourmaster' });
    assert.match(textOf(subscribed.body), /You are now subscribed to harbourmaster/);
    await deliverMail();

    const draft = await writer.postWork({ title: 'Ship in a Bottle', draft: true });
    await postChapter(draft.id, 'Still a draft');
    assert.deepEqual(await inbox('creatorfan'), []);
    assert.deepEqual(await deliverMail(), []);

    const posted = await api(writer, 'PATCH', `/api/v1/works/${draft.id}`, { draft: false });
    assert.equal(posted.statusCode, 200, posted.body);
    const items = await inbox('creatorfan');
    assert.deepEqual(
      items.map((item) => [item.kind, item.work_id]),
      [['new_work', draft.id]],
    );
    const mail = await deliverMail();
    assert.deepEqual(
      mail.map((message) => message.to),
      [['creatorfan@example.org']],
    );
    assert.match(mail[0].subject, /harbourmaster posted a new work: “Ship in a Bottle”/);
    assert.match(mail[0].body, new RegExp(`/works/${draft.id}\\b`));

    const another = await writer.postWork({ title: 'Message in a Bottle' });
    assert.equal((await inbox('creatorfan')).length, 2);
    assert.match((await deliverMail())[0].subject, /Message in a Bottle/);
    assert.ok(another.id > 0);
  });

  it('tells series subscribers of a new part, once even when they also follow the creator', async () => {
    const first = await writer.postWork({ title: 'Voyage One', series_title: 'The Voyages' });
    const series = await archive.archive.db
      .selectFrom('series')
      .select('id')
      .where('title', '=', 'The Voyages')
      .executeTakeFirstOrThrow();
    const subscribed = await api(seriesFan, 'POST', '/api/v1/subscriptions', { series_id: series.id });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    assert.equal(subscribed.json().type, 'series');
    assert.equal(
      (await api(seriesFan, 'POST', '/api/v1/subscriptions', { series_id: series.id })).statusCode,
      409,
    );
    const seriesPage = await creatorFan.get(`/series/${series.id}`);
    assert.match(seriesPage.body, /name="series_id"/);
    await creatorFan.submit('/subscriptions', { series_id: String(series.id) });
    await deliverMail();
    const before = (await inbox('creatorfan')).length;

    const second = await writer.postWork({ title: 'Voyage Two', series_title: 'The Voyages' });
    const fanItems = await inbox('seriesfan');
    assert.deepEqual(
      fanItems.map((item) => [item.kind, item.work_id]),
      [['new_series_part', second.id]],
    );
    assert.match(fanItems[0].text, /The series “The Voyages” has a new part: Part 2, “Voyage Two”/);
    assert.equal((await inbox('creatorfan')).length, before + 1);
    const mail = await deliverMail();
    assert.deepEqual(mail.map((message) => message.to[0]).sort(), [
      'creatorfan@example.org',
      'seriesfan@example.org',
    ]);
    assert.ok(mail.every((message) => message.subject.includes('Voyage Two')));
    assert.ok(first.id > 0);
  });

  it('keeps the inbox item but sends no mail once a reader turns email off in their preferences', async () => {
    const form = await quiet.get('/users/quiet/preferences');
    assert.equal(form.status, 200);
    assert.match(form.body, /name="email_notifications" value="on" checked/);
    assert.match(textOf(form.body), /Email me about subscriptions and comments/);
    assert.equal((await follower.get('/users/quiet/preferences')).status, 403);
    assert.equal((await new ReaderSession(archive.app).get('/users/quiet/preferences')).status, 401);
    const saved = await quiet.submit('/users/quiet/preferences', {});
    assert.match(textOf(saved.body), /Your preferences were saved/);
    assert.doesNotMatch(saved.body, /name="email_notifications" value="on" checked/);

    await quiet.submit('/subscriptions', { work_id: String(workId) });
    await deliverMail();
    await postChapter(workId, 'Quiet Waters');
    assert.equal((await inbox('quiet')).length, 1);
    const mail = await deliverMail();
    assert.deepEqual(
      mail.map((message) => message.to),
      [['follower@example.org']],
    );
  });

  it('lists a reader’s subscriptions for them alone, and ends them from there or the API', async () => {
    const page = await follower.get('/users/follower/subscriptions');
    assert.equal(page.status, 200);
    assert.match(textOf(page.body), /Works \(new chapters\) The Long Voyage/);
    assert.equal((await quiet.get('/users/follower/subscriptions')).status, 403);

    const [subscription] = await archive.archive.db
      .selectFrom('subscriptions')
      .select('id')
      .where('user_id', '=', await userId('follower'))
      .execute();
    assert.equal((await quiet.post(`/subscriptions/${subscription.id}/delete`, {})).status, 404);
    const ended = await follower.submit(`/subscriptions/${subscription.id}/delete`, { return_to: 'list' });
    assert.match(textOf(ended.body), /You have unsubscribed from The Long Voyage/);
    assert.match(textOf(ended.body), /You have no subscriptions/);

    const listed = await api(seriesFan, 'GET', '/api/v1/subscriptions');
    assert.equal(listed.statusCode, 200);
    const [own] = listed.json().subscriptions;
    assert.equal(own.name, 'The Voyages');
    assert.equal((await api(writer, 'DELETE', `/api/v1/subscriptions/${own.id}`)).statusCode, 404);
    assert.equal((await api(seriesFan, 'DELETE', `/api/v1/subscriptions/${own.id}`)).statusCode, 204);
    assert.deepEqual((await api(seriesFan, 'GET', '/api/v1/subscriptions')).json().subscriptions, []);
    const unknown = await api(seriesFan, 'POST', '/api/v1/subscriptions', { user: 'nobody-here' });
    assert.equal(unknown.statusCode, 404);
    const two = await api(seriesFan, 'POST', '/api/v1/subscriptions', {
      work_id: workId,
      user: 'harbourmaster',
    });
    assert.equal(two.statusCode, 400);
    const wrongType = await api(seriesFan, 'POST', '/api/v1/subscriptions', { work_id: 'abc' });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.json().error.fields.work_id, /work_id must be the id of a work/);
    assert.equal((await api(seriesFan, 'DELETE', '/api/v1/subscriptions/abc')).statusCode, 404);
    const anonymous = await archive.app.inject({ method: 'GET', url: '/api/v1/subscriptions' });
    assert.equal(anonymous.statusCode, 401);
  });
});
