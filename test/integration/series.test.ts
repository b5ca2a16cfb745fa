import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

function workIdFrom(location: string | undefined): number {
  const id = Number(location?.match(/^\/works\/(\d+)$/)?.[1]);
  assert.ok(id > 0, `expected a work URL, got ${location}`);
  return id;
}

describe(`series (${testDialect})`, () => {
  let archive: TestArchive;
  let quill: ReaderSession;
  let rival: ReaderSession;
  let guest: ReaderSession;
  let first: number;
  let second: number;
  let seriesId: number;

  before(async () => {
    archive = await startTestArchive();
    quill = new ReaderSession(archive.app);
    await quill.signUp('quill');
    rival = new ReaderSession(archive.app);
    await rival.signUp('rival');
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  async function postWork(session: ReaderSession, fields: Record<string, string>) {
    await session.get('/works/new');
    return session.post('/works', { ...sampleWork, comment_policy: 'open', ...fields });
  }

  async function seriesRows() {
    return archive.archive.db.selectFrom('series').selectAll().orderBy('id').execute();
  }

  it('starts a series from the work form with a new series title', async () => {
    const posted = await postWork(quill, { title: 'Low Tide', series_title: 'Harbour Trilogy' });
    assert.equal(posted.status, 303, textOf(posted.body).slice(0, 300));
    first = workIdFrom(posted.location);
    const [series] = await seriesRows();
    assert.equal(series.title, 'Harbour Trilogy');
    seriesId = series.id;
    const page = textOf((await guest.get(`/works/${first}`)).body);
    assert.match(page, /Series: Part 1 of Harbour Trilogy/);
  });

  it("offers the writer's own series on the work form and adds the next part to it", async () => {
    const form = await quill.get('/works/new');
    assert.match(form.body, new RegExp(`<option value="${seriesId}"[^>]*>Harbour Trilogy</option>`));
    assert.doesNotMatch((await rival.get('/works/new')).body, /Harbour Trilogy/);
    const posted = await postWork(quill, { title: 'High Tide', series_id: String(seriesId) });
    second = workIdFrom(posted.location);
    assert.equal((await seriesRows()).length, 1);
  });

  it('shows "Part 2 of" with the previous and next parts on the work pages', async () => {
    const secondPage = await guest.get(`/works/${second}`);
    assert.match(textOf(secondPage.body), /Part 2 of Harbour Trilogy/);
    assert.match(secondPage.body, new RegExp(`rel="prev" href="/works/${first}"`));
    assert.doesNotMatch(secondPage.body, /Next Work/);
    const firstPage = await guest.get(`/works/${first}`);
    assert.match(firstPage.body, new RegExp(`rel="next" href="/works/${second}"`));
    assert.doesNotMatch(firstPage.body, /Previous Work/);
  });

  it('refuses a series choice that is not the writer’s own, or two choices at once, saving nothing', async () => {
    const works = async () =>
      Number(
        (
          await archive.archive.db
            .selectFrom('works')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await works();
    const both = await postWork(quill, {
      title: 'Both',
      series_id: String(seriesId),
      series_title: 'Another',
    });
    assert.equal(both.status, 400);
    assert.match(textOf(both.body), /Choose one of your series or type the title of a new one, not both/);
    assert.match(both.body, /value="Both"/);
    const stolen = await postWork(rival, { title: 'Cuckoo', series_id: String(seriesId) });
    assert.equal(stolen.status, 400);
    assert.match(textOf(stolen.body), /Choose one of your own series/);
    const bogus = await postWork(quill, { title: 'Bogus', series_id: 'abc' });
    assert.equal(bogus.status, 400);
    assert.equal(await works(), before);
  });

  it('shows the series page with its creator, counts, parts in order and an EPUB link', async () => {
    const page = await guest.get(`/series/${seriesId}`);
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    for (const expected of ['Harbour Trilogy', 'Creator: quill', 'Words: 22', 'Works: 2', 'Complete: No']) {
      assert.ok(text.includes(expected), `the series page should show "${expected}"`);
    }
    assert.ok(text.indexOf('Low Tide') < text.indexOf('High Tide'));
    assert.match(text, /Part 1 of Harbour Trilogy.*Part 2 of Harbour Trilogy/);
    assert.match(page.body, new RegExp(`href="/downloads/series/${seriesId}/harbour_trilogy.epub"`));
    assert.doesNotMatch(page.body, /Edit Series/);
    assert.match((await quill.get(`/series/${seriesId}`)).body, /Edit Series/);
  });

  it('lets only the owner edit the series', async () => {
    assert.equal((await guest.get(`/series/${seriesId}/edit`)).status, 401);
    assert.equal((await rival.get(`/series/${seriesId}/edit`)).status, 403);
    await rival.get('/works/new');
    const refused = await rival.post(`/series/${seriesId}/edit`, { title: 'Mine now' });
    assert.equal(refused.status, 403);
    assert.equal((await seriesRows())[0].title, 'Harbour Trilogy');
  });

  it('edits the summary, notes and completion and reorders the parts', async () => {
    const form = await quill.get(`/series/${seriesId}/edit`);
    assert.equal(form.status, 200);
    const refused = await quill.post(`/series/${seriesId}/edit`, {
      title: 'Harbour Trilogy',
      [`position_${first}`]: 'first',
      [`position_${second}`]: '1',
    });
    assert.equal(refused.status, 400);
    assert.match(textOf(refused.body), /whole number/);
    const saved = await quill.submit(`/series/${seriesId}/edit`, {
      title: 'Harbour Trilogy',
      summary: '<p>Three tides.<script>x()</script></p>',
      notes: 'Read in any order.',
      complete: 'on',
      [`position_${first}`]: '2',
      [`position_${second}`]: '1',
    });
    const text = textOf(saved.body);
    assert.match(text, /Series was successfully updated/);
    assert.match(text, /Description: Three tides\./);
    assert.match(text, /Notes: Read in any order\./);
    assert.match(text, /Complete: Yes/);
    assert.ok(text.indexOf('High Tide') < text.indexOf('Low Tide'));
    assert.doesNotMatch(saved.body, /<script>x/);
    const firstPage = await guest.get(`/works/${first}`);
    assert.match(textOf(firstPage.body), /Part 2 of Harbour Trilogy/);
    assert.match(firstPage.body, new RegExp(`rel="prev" href="/works/${second}"`));
  });

  it('skips drafts in the series for readers and in the previous / next links', async () => {
    const draft = await postWork(quill, {
      title: 'Slack Water',
      series_id: String(seriesId),
      action: 'draft',
    });
    const draftId = workIdFrom(draft.location);
    assert.doesNotMatch(textOf((await guest.get(`/series/${seriesId}`)).body), /Slack Water/);
    assert.doesNotMatch((await guest.get(`/works/${first}`)).body, /Next Work/);
    const edit = textOf((await quill.get(`/series/${seriesId}/edit`)).body);
    assert.match(edit, /Slack Water \(draft\)/);
    // Take the draft out again: the work stays, the series no longer lists it.
    await quill.submit(`/series/${seriesId}/edit`, {
      title: 'Harbour Trilogy',
      complete: 'on',
      [`position_${second}`]: '1',
      [`position_${first}`]: '2',
      [`position_${draftId}`]: '3',
      remove: String(draftId),
    });
    const parts = await archive.archive.db
      .selectFrom('series_works')
      .select(['work_id', 'position'])
      .where('series_id', '=', seriesId)
      .orderBy('position')
      .execute();
    assert.deepEqual(parts, [
      { work_id: second, position: 1 },
      { work_id: first, position: 2 },
    ]);
    assert.equal((await quill.get(`/works/${draftId}`)).status, 200);
  });

  it("lists a user's series", async () => {
    const page = await guest.get('/users/quill/series');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(text, /1 Series by quill/);
    assert.match(text, /Harbour Trilogy by quill/);
    assert.match(text, /Works: 2/);
    assert.match(textOf((await guest.get('/users/rival/series')).body), /rival has no series yet/);
  });

  it('adds API-posted works to a series by title, and bookmarks series from their page', async () => {
    const writer = await ApiWriter.signUp(archive.app, 'apiwriter');
    const one = await writer.postWork({ title: 'Part One', series_title: 'API Saga' });
    const two = await writer.postWork({ title: 'Part Two', series_title: 'API Saga' });
    const parts = await archive.archive.db
      .selectFrom('series_works')
      .innerJoin('series', 'series.id', 'series_works.series_id')
      .select(['series_works.work_id', 'series_works.position', 'series.id'])
      .where('series.title', '=', 'API Saga')
      .orderBy('series_works.position')
      .execute();
    assert.deepEqual(
      parts.map((part) => [part.work_id, part.position]),
      [
        [one.id, 1],
        [two.id, 2],
      ],
    );
    const page = await rival.get(`/series/${parts[0].id}`);
    assert.match(page.body, new RegExp(`href="/series/${parts[0].id}/bookmarks/new"`));
    await rival.get(`/series/${parts[0].id}/bookmarks/new`);
    const bookmarked = await rival.submit(`/series/${parts[0].id}/bookmarks`, {
      notes: 'A saga.',
      rec: 'on',
    });
    assert.match(textOf(bookmarked.body), /Bookmark was successfully created/);
    const list = textOf((await guest.get('/users/rival/bookmarks')).body);
    assert.match(list, /API Saga by apiwriter/);
    assert.match(list, /A saga\./);
  });
});
