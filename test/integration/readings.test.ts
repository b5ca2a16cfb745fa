import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

interface PostedWork {
  id: number;
  chapters: { id: number; position: number; title: string }[];
}

describe(`reading history and Marked for Later (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;
  let writerSession: ReaderSession;
  let reader: ApiWriter;
  let readerSession: ReaderSession;
  let snoop: ReaderSession;
  let serial: PostedWork;
  let oneShot: PostedWork;

  async function api(method: 'GET' | 'POST' | 'DELETE', url: string, token?: string) {
    return archive.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  }

  /** The visible text of one work's entry on a history page. */
  function entryOf(body: string, workId: number): string {
    const match = body.match(
      new RegExp(`<li class="blurb" id="work_${workId}">([\\s\\S]*?)</li>\\s*(?=<li class="blurb"|</ol>)`),
    );
    return match ? textOf(match[1]) : '';
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await ApiWriter.signUp(archive.app, 'quillwright');
    reader = await ApiWriter.signUp(archive.app, 'bookworm');
    writerSession = new ReaderSession(archive.app);
    assert.equal((await writerSession.logIn('quillwright', 'long enough password')).status, 303);
    readerSession = new ReaderSession(archive.app);
    assert.equal((await readerSession.logIn('bookworm', 'long enough password')).status, 303);
    snoop = new ReaderSession(archive.app);
    await snoop.signUp('snoop');
    serial = (await writer.postWork({
      title: 'The Long Road',
      chapters: [
        { title: 'Setting Out', body: '<p>They left at dawn.</p>' },
        { title: 'The Ford', body: '<p>The river was high.</p>' },
        { title: 'Home Again', body: '<p>And back they came.</p>' },
      ],
    })) as unknown as PostedWork;
    oneShot = (await writer.postWork({ title: 'A Single Evening' })) as unknown as PostedWork;
  });
  after(async () => archive.close());

  it('records where a reader stopped and how often they came back', async () => {
    const [first, second, third] = serial.chapters;
    assert.equal((await readerSession.get(`/works/${serial.id}/chapters/${second.id}`)).status, 200);
    let history = await readerSession.get('/users/bookworm/readings');
    assert.equal(history.status, 200);
    let entry = entryOf(history.body, serial.id);
    assert.match(entry, /The Long Road/);
    assert.match(entry, /Last visited: \d{4}-\d\d-\d\d \(Chapter 2: The Ford\) · Visited once/);
    assert.match(
      history.body,
      new RegExp(`href="/works/${serial.id}/chapters/${second.id}">Continue reading`),
    );

    // The work page of a multi-chapter work opens at chapter 1.
    await readerSession.get(`/works/${serial.id}`);
    entry = entryOf((await readerSession.get('/users/bookworm/readings')).body, serial.id);
    assert.match(entry, /\(Chapter 1: Setting Out\) · Visited 2 times/);

    await readerSession.get(`/works/${serial.id}/chapters/${third.id}`);
    // The whole-work view keeps the reader's place.
    await readerSession.get(`/works/${serial.id}?view_full_work=true`);
    history = await readerSession.get('/users/bookworm/readings');
    entry = entryOf(history.body, serial.id);
    assert.match(entry, /\(Chapter 3: Home Again\) · Visited 4 times/);
    assert.match(
      history.body,
      new RegExp(`href="/works/${serial.id}/chapters/${third.id}">Continue reading`),
    );
    assert.doesNotMatch(history.body, new RegExp(`/chapters/${first.id}">Continue reading`));
  });

  it('lists the most recently read work first', async () => {
    await readerSession.get(`/works/${oneShot.id}`);
    const text = textOf((await readerSession.get('/users/bookworm/readings')).body);
    assert.ok(text.indexOf('A Single Evening') < text.indexOf('The Long Road'), text);
  });

  it('keeps no history of a creator reading their own work', async () => {
    await writerSession.get(`/works/${serial.id}`);
    await writerSession.get(`/works/${serial.id}/chapters/${serial.chapters[1].id}`);
    const history = await writerSession.get('/users/quillwright/readings');
    assert.equal(history.status, 200);
    assert.match(textOf(history.body), /Your history is empty/);
    assert.doesNotMatch(textOf(history.body), /The Long Road/);
    // Nor does it offer to mark their own work for later.
    assert.doesNotMatch((await writerSession.get(`/works/${serial.id}`)).body, /Mark for Later/);
    const refused = await api('POST', `/api/v1/history/${serial.id}/mark-for-later`, writer.token);
    assert.equal(refused.statusCode, 400);
  });

  it('shows a history to its reader alone', async () => {
    const others = await snoop.get('/users/bookworm/readings');
    assert.equal(others.status, 403);
    assert.doesNotMatch(textOf(others.body), /The Long Road/);
    assert.equal((await snoop.get('/users/bookworm/readings?show=to-read')).status, 403);
    assert.equal((await new ReaderSession(archive.app).get('/users/bookworm/readings')).status, 401);
    // Nor may anyone else change it.
    const forget = await snoop.post(`/users/bookworm/readings/${serial.id}/delete`, {});
    assert.equal(forget.status, 403);
    assert.equal((await snoop.get('/users/bookworm/readings/clear')).status, 403);
    assert.equal((await snoop.post('/users/bookworm/readings/clear', {})).status, 403);
    assert.match(textOf((await readerSession.get('/users/bookworm/readings')).body), /The Long Road/);
  });

  it('says when a chapter was added since the last visit', async () => {
    let entry = entryOf((await readerSession.get('/users/bookworm/readings')).body, oneShot.id);
    assert.doesNotMatch(entry, /Update available/);
    const added = await archive.app.inject({
      method: 'POST',
      url: `/api/v1/works/${oneShot.id}/chapters`,
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { title: 'Morning', body: '<p>The next day.</p>' },
    });
    assert.equal(added.statusCode, 201, added.body);
    entry = entryOf((await readerSession.get('/users/bookworm/readings')).body, oneShot.id);
    assert.match(entry, /Update available/);
    const items = (await api('GET', '/api/v1/history', reader.token)).json().items;
    assert.equal(
      items.find((item: { work_id: number }) => item.work_id === oneShot.id).update_available,
      true,
    );

    await readerSession.get(`/works/${oneShot.id}/chapters/${added.json().id}`);
    entry = entryOf((await readerSession.get('/users/bookworm/readings')).body, oneShot.id);
    assert.doesNotMatch(entry, /Update available/);
    assert.match(entry, /\(Chapter 2: Morning\)/);
  });

  it('marks a work for later, even unread, and filters the history to those', async () => {
    assert.match((await readerSession.get(`/works/${oneShot.id}`)).body, /Mark for Later/);
    const unread = (await writer.postWork({ title: 'Saved For A Rainy Day' })) as unknown as PostedWork;
    const marked = await readerSession.post(`/works/${unread.id}/mark_for_later`, {
      return_to: `/works/${unread.id}`,
    });
    assert.equal(marked.status, 303);
    assert.equal(marked.location, `/works/${unread.id}`);

    const toRead = await readerSession.get('/users/bookworm/readings?show=to-read');
    assert.equal(toRead.status, 200);
    const text = textOf(toRead.body);
    assert.match(text, /added to your Marked for Later list/);
    assert.match(text, /Saved For A Rainy Day/);
    assert.doesNotMatch(text, /The Long Road/);
    assert.match(entryOf(toRead.body, unread.id), /Not visited yet · Marked for Later/);
    assert.match(toRead.body, new RegExp(`href="/works/${unread.id}">Start reading`));

    // Reading it leaves it marked until the reader says they have read it.
    assert.match((await readerSession.get(`/works/${unread.id}`)).body, /Mark as Read/);
    assert.match(
      entryOf((await readerSession.get('/users/bookworm/readings?show=to-read')).body, unread.id),
      /Visited once/,
    );
    const done = await readerSession.post(`/works/${unread.id}/mark_as_read`, {
      return_to: '/users/bookworm/readings?show=to-read',
    });
    assert.equal(done.location, '/users/bookworm/readings?show=to-read');
    assert.doesNotMatch(textOf((await readerSession.get(done.location!)).body), /Saved For A Rainy Day/);
    assert.match(textOf((await readerSession.get('/users/bookworm/readings')).body), /Saved For A Rainy Day/);
  });

  it('sends the mark-for-later form back only to the archive’s own pages', async () => {
    const response = await readerSession.post(`/works/${serial.id}/mark_for_later`, {
      return_to: 'https://elsewhere.example/',
    });
    assert.equal(response.location, `/works/${serial.id}`);
    await readerSession.post(`/works/${serial.id}/mark_as_read`, { return_to: '//elsewhere.example' });
  });

  it('answers the history API in its documented shape', async () => {
    assert.equal((await api('GET', '/api/v1/history')).statusCode, 401);
    const listed = await api('GET', '/api/v1/history', reader.token);
    assert.equal(listed.statusCode, 200);
    const body = listed.json();
    assert.ok(body.items.length >= 2);
    const item = body.items.find((entry: { work_id: number }) => entry.work_id === serial.id);
    assert.deepEqual(Object.keys(item).sort(), [
      'chapter_id',
      'last_read_at',
      'marked_for_later',
      'title',
      'update_available',
      'visits',
      'work_id',
    ]);
    assert.equal(item.title, 'The Long Road');
    assert.equal(item.chapter_id, serial.chapters[2].id);
    assert.equal(item.visits, 4);
    assert.equal(item.marked_for_later, false);

    const marked = await api('POST', `/api/v1/history/${serial.id}/mark-for-later`, reader.token);
    assert.equal(marked.statusCode, 200, marked.body);
    assert.equal(marked.json().marked_for_later, true);
    assert.equal(marked.json().visits, 4);
    const toRead = (await api('GET', '/api/v1/history?show=to-read', reader.token)).json();
    assert.deepEqual(
      toRead.items.map((entry: { work_id: number }) => entry.work_id),
      [serial.id],
    );
    assert.equal(
      (await api('DELETE', `/api/v1/history/${serial.id}/mark-for-later`, reader.token)).statusCode,
      204,
    );
    assert.equal((await api('GET', '/api/v1/history?show=to-read', reader.token)).json().items.length, 0);
    // Marking a work that does not exist is a 404, not a row.
    assert.equal((await api('POST', '/api/v1/history/999999/mark-for-later', reader.token)).statusCode, 404);
    // An id that is not a number names nothing either.
    assert.equal((await api('DELETE', '/api/v1/history/abc', reader.token)).statusCode, 404);
    assert.equal((await api('POST', '/api/v1/history/1.5/mark-for-later', reader.token)).statusCode, 404);
  });

  it('deletes one work from the history, then clears it after asking', async () => {
    const forgotten = await readerSession.post(`/users/bookworm/readings/${oneShot.id}/delete`, {
      return_to: '/users/bookworm/readings',
    });
    assert.equal(forgotten.status, 303);
    let history = await readerSession.get(forgotten.location!);
    assert.match(textOf(history.body), /deleted from your history/);
    assert.doesNotMatch(textOf(history.body), /A Single Evening/);
    assert.match(textOf(history.body), /The Long Road/);
    assert.equal((await readerSession.post(`/users/bookworm/readings/${oneShot.id}/delete`, {})).status, 404);

    const question = await readerSession.get('/users/bookworm/readings/clear');
    assert.equal(question.status, 200);
    assert.match(textOf(question.body), /Are you sure you want to clear your reading history/);
    history = await readerSession.submit('/users/bookworm/readings/clear', {});
    assert.match(textOf(history.body), /Your history is now cleared/);
    assert.match(textOf(history.body), /Your history is empty/);
    assert.equal((await api('GET', '/api/v1/history', reader.token)).json().total, 0);

    await readerSession.get(`/works/${oneShot.id}`);
    assert.equal((await api('DELETE', '/api/v1/history', reader.token)).statusCode, 204);
    assert.equal((await api('GET', '/api/v1/history', reader.token)).json().total, 0);
  });

  it('stops recording when the reader turns history off, and offers to clear it', async () => {
    await readerSession.get(`/works/${oneShot.id}`);
    const preferences = await readerSession.get('/users/bookworm/preferences');
    assert.equal(preferences.status, 200);
    assert.match(textOf(preferences.body), /Keep my reading history/);
    assert.match(preferences.body, /name="history_enabled" value="on" checked/);
    await readerSession.submit('/users/bookworm/preferences', { email_notifications: 'on' });
    const turnedOff = await readerSession.get('/users/bookworm/preferences');
    assert.doesNotMatch(turnedOff.body, /name="history_enabled" value="on" checked/);
    assert.match(textOf(turnedOff.body), /Your reading history is off/);
    assert.match(turnedOff.body, /href="\/users\/bookworm\/readings\/clear"/);

    await readerSession.get(`/works/${serial.id}`);
    await readerSession.get(`/works/${oneShot.id}`);
    const history = await readerSession.get('/users/bookworm/readings');
    const text = textOf(history.body);
    assert.match(text, /Your reading history is off/);
    assert.doesNotMatch(text, /The Long Road/);
    assert.match(entryOf(history.body, oneShot.id), /Visited once/);
    assert.match(history.body, /href="\/users\/bookworm\/readings\/clear"/);
    // Marking for later is the reader's own choice, so it still works.
    await readerSession.post(`/works/${serial.id}/mark_for_later`, {});
    assert.match(
      textOf((await readerSession.get('/users/bookworm/readings?show=to-read')).body),
      /The Long Road/,
    );

    await readerSession.submit('/users/bookworm/preferences', {
      email_notifications: 'on',
      history_enabled: 'on',
    });
    await readerSession.get(`/works/${oneShot.id}`);
    assert.match(
      entryOf((await readerSession.get('/users/bookworm/readings')).body, oneShot.id),
      /Visited 2 times/,
    );
  });
});
