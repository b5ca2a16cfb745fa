import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEMBER_PASSWORD, type Member, member } from '../support/members.ts';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Text from every request is kept the same way on both databases: NUL and other control characters
// (but tab and line breaks) are dropped, text is composed (NFC), half a surrogate pair is refused with
// the field named, and names (titles, tags, guests' names) refuse direction overrides.

const NUL = '\u0000';
const RLO = '\u202E';

describe(`text at the boundary (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;
  let guest: ReaderSession;
  let workId: number;

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'quillwright');
    reader = await member(archive, 'nightreader');
    guest = new ReaderSession(archive.app);
    workId = (await writer.api.postWork({ title: 'Harbour Lights' })).id;
  });
  after(async () => archive.close());

  const db = () => archive.archive.db;

  async function api(method: 'GET' | 'POST' | 'PATCH', url: string, who: Member | null, payload?: object) {
    const response = await archive.app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${who.api.token}` } : {},
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, json: response.json() };
  }

  async function postWorkForm(fields: Record<string, string | string[]>) {
    await writer.page.get('/works/new');
    return writer.page.post('/works', { ...sampleWork, ...fields });
  }

  function workIdFrom(location: string | undefined): number {
    const id = Number(location?.match(/^\/works\/(\d+)$/)?.[1]);
    assert.ok(id > 0, `expected a work's address, got ${location}`);
    return id;
  }

  async function work(id: number) {
    return db().selectFrom('works').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function chapters(id: number) {
    return db().selectFrom('chapters').selectAll().where('work_id', '=', id).orderBy('position').execute();
  }

  async function tagNames(id: number): Promise<string[]> {
    const rows = await db()
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select('tags.name')
      .where('work_tags.work_id', '=', id)
      .execute();
    return rows.map((row) => row.name);
  }

  async function workCount(): Promise<number> {
    const row = await db()
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A form posted as raw urlencoded text, for bytes that URLSearchParams would never write. */
  async function postRawForm(session: ReaderSession, formPage: string, url: string, body: string) {
    const page = await session.get(formPage);
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    const response = await archive.app.inject({
      method: 'POST',
      url,
      payload: `_csrf=${encodeURIComponent(csrf)}&${body}`,
      headers: { cookie: session.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    return { status: response.statusCode, body: response.body };
  }

  describe('a NUL character is dropped, the same way on both databases', () => {
    it("from a work's title, summary, tags, chapter title and body posted through the form", async () => {
      const posted = await postWorkForm({
        title: `Lamp${NUL}light`,
        summary: `A keeper${NUL} and a gull.`,
        freeforms: `Slow${NUL} Burn`,
        chapter_title: `First${NUL} Light`,
        chapter_body: `<p>The lamp${NUL} turned.</p>`,
      });
      assert.equal(posted.status, 303, textOf(posted.body).slice(0, 400));
      const id = workIdFrom(posted.location);
      const row = await work(id);
      assert.equal(row.title, 'Lamplight');
      assert.equal(row.summary, 'A keeper and a gull.');
      assert.ok((await tagNames(id)).includes('Slow Burn'));
      const [chapter] = await chapters(id);
      assert.equal(chapter.title, 'First Light');
      assert.match(chapter.body, /<p>The lamp turned\.<\/p>/);
      assert.equal((await guest.get(`/works/${id}`)).status, 200);
    });

    it('from a work and its chapters posted and changed through the API', async () => {
      const created = await writer.api.postWork({
        title: `Tide${NUL}water`,
        summary: `Salt${NUL}.`,
        chapters: [{ title: `One${NUL}`, body: `<p>Grey${NUL} water.</p>` }],
      });
      assert.equal(created.title, 'Tidewater');
      assert.equal(created.summary, 'Salt.');
      const added = await api('POST', `/api/v1/works/${created.id}/chapters`, writer, {
        title: `Two${NUL}`,
        body: `<p>Green${NUL} water.</p>`,
      });
      assert.equal(added.status, 201, JSON.stringify(added.json));
      const changed = await api('PATCH', `/api/v1/works/${created.id}`, writer, { title: `Ebb${NUL}tide` });
      assert.equal(changed.status, 200, JSON.stringify(changed.json));
      assert.equal((await work(created.id)).title, 'Ebbtide');
      const stored = await chapters(created.id);
      assert.deepEqual(
        stored.map((chapter) => chapter.title),
        ['One', 'Two'],
      );
      assert.ok(stored.every((chapter) => !chapter.body.includes(NUL)));
    });

    it('from a chapter added through the chapter form', async () => {
      await writer.page.get(`/works/${workId}/chapters/new`);
      const posted = await writer.page.post(`/works/${workId}/chapters`, {
        title: `Night${NUL} Watch`,
        body: `<p>The gull${NUL} slept.</p>`,
        format: 'html',
      });
      assert.equal(posted.status, 303, textOf(posted.body).slice(0, 400));
      const added = (await chapters(workId)).at(-1);
      assert.equal(added?.title, 'Night Watch');
      assert.match(added?.body ?? '', /The gull slept\./);
    });

    it("from comments, a guest's name included, on the page and through the API", async () => {
      await guest.get(`/works/${workId}`);
      const posted = await guest.post(`/works/${workId}/comments`, {
        guest_name: `Pass${NUL}erby`,
        body: `Lovely${NUL} light.`,
      });
      assert.equal(posted.status, 303, textOf(posted.body).slice(0, 400));
      const byApi = await api('POST', `/api/v1/works/${workId}/comments`, reader, { body: `Agreed${NUL}!` });
      assert.equal(byApi.status, 201, JSON.stringify(byApi.json));
      const rows = await db()
        .selectFrom('comments')
        .select(['guest_name', 'body'])
        .where('work_id', '=', workId)
        .orderBy('id')
        .execute();
      assert.equal(rows[0].guest_name, 'Passerby');
      assert.match(rows[0].body, /Lovely light\./);
      assert.match(rows[1].body, /Agreed!/);
    });

    it("from a bookmark's notes, on the page and through the API", async () => {
      await reader.page.get(`/works/${workId}/bookmarks/new`);
      const posted = await reader.page.post(`/works/${workId}/bookmarks`, { notes: `Re${NUL}read it.` });
      assert.equal(posted.status, 303, textOf(posted.body).slice(0, 400));
      const other = await writer.api.postWork({ title: 'Second Harbour' });
      const byApi = await api('POST', '/api/v1/bookmarks', reader, {
        work_id: other.id,
        notes: `Keep${NUL}.`,
      });
      assert.equal(byApi.status, 201, JSON.stringify(byApi.json));
      const notes = await db()
        .selectFrom('bookmarks')
        .select('notes')
        .where('user_id', '=', reader.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        notes.map((row) => textOf(row.notes)),
        ['Reread it.', 'Keep.'],
      );
    });

    it("from a series' title, from the work form and the series form", async () => {
      const posted = await postWorkForm({ title: 'Low Tide', series_title: `Harbour${NUL} Trilogy` });
      assert.equal(posted.status, 303, textOf(posted.body).slice(0, 400));
      const partId = workIdFrom(posted.location);
      const series = await db().selectFrom('series').selectAll().executeTakeFirstOrThrow();
      assert.equal(series.title, 'Harbour Trilogy');
      await writer.page.get(`/series/${series.id}/edit`);
      const edited = await writer.page.post(`/series/${series.id}/edit`, {
        title: `Tides${NUL} Turning`,
        summary: '',
        notes: '',
        [`position_${partId}`]: '1',
      });
      assert.equal(edited.status, 303, textOf(edited.body).slice(0, 400));
      const renamed = await db().selectFrom('series').select('title').executeTakeFirstOrThrow();
      assert.equal(renamed.title, 'Tides Turning');
    });

    it('from the log-in form', async () => {
      const session = new ReaderSession(archive.app);
      const loggedIn = await session.logIn(`quill${NUL}wright`, MEMBER_PASSWORD);
      assert.equal(loggedIn.status, 303);
      const unknown = await new ReaderSession(archive.app).logIn(`nobody${NUL}`, MEMBER_PASSWORD);
      assert.equal(unknown.status, 401);
    });

    it('from what a guest asks for in addresses and query strings', async () => {
      for (const url of [
        '/users/a%00b/works',
        '/users/a%00b/bookmarks',
        '/users/a%00b/series',
        '/tags/a%00b/works',
        '/tags/a%00b',
        '/works/%00',
      ]) {
        assert.equal((await guest.get(url)).status, 404, url);
      }
      for (const url of [
        '/works?q=lamp%00light',
        '/works/search?q=%00',
        '/works?include=Slow%00%20Burn',
        '/users/quillwright/works?q=%00',
        '/opds/search?q=%00',
        '/api/v1/works?q=%00&include=a%00b',
        '/api/v1/tags/autocomplete?term=Slo%00w',
      ]) {
        assert.equal((await guest.get(url)).status, 200, url);
      }
    });
  });

  describe('control characters and direction overrides', () => {
    it('drops U+0001 and ESC from titles and tags', async () => {
      const created = await writer.api.postWork({
        title: 'Low\u0001 Water\u001b[31m',
        freeforms: ['Gulls\u0001 and Terns'],
      });
      assert.equal(created.title, 'Low Water[31m');
      assert.ok((await tagNames(created.id)).includes('Gulls and Terns'));
    });

    it('refuses U+202E in a title, a tag or a guest’s name, saving nothing', async () => {
      const before = await workCount();
      const form = await postWorkForm({ title: `Lamp${RLO}thgil` });
      assert.equal(form.status, 400);
      assert.match(textOf(form.body), /direction/);
      const tagged = await api('POST', '/api/v1/works', writer, {
        title: 'Fine Title',
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        fandoms: [`Original${RLO} Work`],
        chapters: [{ body: '<p>Text.</p>' }],
      });
      assert.equal(tagged.status, 400);
      assert.match(JSON.stringify(tagged.json.error.fields), /direction/);
      const titled = await api('PATCH', `/api/v1/works/${workId}`, writer, { title: `x${RLO}y` });
      assert.equal(titled.status, 400);
      assert.match(titled.json.error.fields.title, /direction/);
      assert.equal((await work(workId)).title, 'Harbour Lights');
      const comment = await api('POST', `/api/v1/works/${workId}/comments`, null, {
        guest_name: `evil${RLO}gnp.exe`,
        body: 'Hello.',
      });
      assert.equal(comment.status, 400);
      assert.match(comment.json.error.fields.guest_name, /direction/);
      assert.equal(await workCount(), before);
    });

    it('keeps direction marks in chapter text, where right-to-left writing needs them', async () => {
      const created = await writer.api.postWork({
        title: 'Mirror',
        chapters: [{ body: `<p>${RLO}\u05E9\u05DC\u05D5\u05DD\u202C</p>` }],
      });
      const [chapter] = await chapters(created.id);
      assert.ok(chapter.body.includes(RLO));
    });
  });

  describe('half a surrogate pair', () => {
    it('is refused in a form, naming the field, and changes nothing', async () => {
      const before = await workCount();
      const { title: _title, warnings: _warnings, categories: _categories, ...others } = sampleWork;
      const fields = new URLSearchParams({ ...others, warnings: 'No Archive Warnings Apply' });
      const posted = await postRawForm(writer.page, '/works/new', '/works', `${fields}&title=Tide%ED%A0%80`);
      assert.equal(posted.status, 400);
      assert.match(textOf(posted.body), /title/);
      assert.equal(await workCount(), before);
    });

    it('is refused in JSON, naming the field, and what is stored stays', async () => {
      const created = await api('POST', '/api/v1/works', writer, {
        title: 'Half \ud800 pair',
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        fandoms: ['Original Work'],
        chapters: [{ body: '<p>Text.</p>' }],
      });
      assert.equal(created.status, 400);
      assert.ok(created.json.error.fields.title, JSON.stringify(created.json));
      const changed = await api('PATCH', `/api/v1/works/${workId}`, writer, { summary: 'low \udc00 half' });
      assert.equal(changed.status, 400);
      assert.ok(changed.json.error.fields.summary, JSON.stringify(changed.json));
      const nested = await api('POST', `/api/v1/works/${workId}/chapters`, writer, { body: '\ud83d' });
      assert.equal(nested.status, 400);
      assert.ok(nested.json.error.fields.body, JSON.stringify(nested.json));
      assert.equal((await work(workId)).title, 'Harbour Lights');
    });
  });

  it('composes text (NFC), so a tag typed decomposed is found under its composed name', async () => {
    const created = await writer.api.postWork({
      title: 'Cafe\u0301 at Dawn',
      freeforms: ['Cafe\u0301 Nights'],
    });
    assert.equal(created.title, 'Café at Dawn');
    assert.ok((await tagNames(created.id)).includes('Café Nights'));
    const listing = await guest.get(`/tags/${encodeURIComponent('Café Nights')}/works`);
    assert.equal(listing.status, 200);
    assert.match(textOf(listing.body), /Café at Dawn/);
  });
});
