import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paths } from '../../src/domain/archivePaths.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { runDueJobs } from '../../src/jobs/queue.ts';
import { changeRole } from '../../src/services/staffRoles.ts';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// What a guest may not read must not show through the side doors: tag suggestions, a status code that
// differs from a missing work's, or a series' Next Work link.

const MISSING = 987654;

describe(`hidden works leave no trace for those who may not read them (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;
  let wrangler: Member;
  let guest: ReaderSession;

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'lanternwright');
    reader = await member(archive, 'lanternreader');
    wrangler = await member(archive, 'lanternwrangler');
    await changeRole(archive.archive, 'command line', {
      login: 'lanternwrangler',
      role: 'wrangler',
      granted: true,
    });
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  async function suggestions(term: string, token?: string): Promise<string[]> {
    const response = await archive.app.inject({
      method: 'GET',
      url: `/api/v1/tags/autocomplete?term=${encodeURIComponent(term)}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().tags.map((tag: { name: string }) => tag.name);
  }

  async function postPage(fields: Record<string, string>): Promise<number> {
    await writer.page.get('/works/new');
    const posted = await writer.page.post('/works', { ...sampleWork, ...fields });
    assert.equal(posted.status, 303, textOf(posted.body).slice(0, 300));
    return Number(posted.location?.match(/^\/works\/(\d+)$/)?.[1]);
  }

  it('suggests a tag only once a work the asker may read uses it, directly or through a synonym', async () => {
    await writer.api.postWork({ title: 'Lit', freeforms: ['Lantern Light'] });
    await writer.api.postWork({ title: 'Unlit', freeforms: ['Lantern Draft Only'], draft: true });
    await writer.api.postWork({
      title: 'Members Lamp',
      freeforms: ['Lantern Members Only'],
      restricted: true,
    });
    const gone = await writer.api.postWork({ title: 'Snuffed', freeforms: ['Lantern Deleted'] });
    const deleted = await archive.app.inject({
      method: 'DELETE',
      url: `/api/v1/works/${gone.id}`,
      headers: { authorization: `Bearer ${writer.api.token}` },
    });
    assert.equal(deleted.statusCode, 204, deleted.body);
    // A canonical tag no work uses itself, whose synonym a posted work uses.
    await writer.api.postWork({ title: 'Canon Draft', freeforms: ['Lantern Canon'], draft: true });
    await writer.api.postWork({ title: 'Synonym Work', freeforms: ['Lantern Shorthand'] });
    for (const [tag, fields] of [
      ['Lantern Canon', { canonical: 'on' }],
      ['Lantern Shorthand', { synonym_of: 'Lantern Canon' }],
    ] as const) {
      await wrangler.page.get(paths.tag(tag));
      assert.equal((await wrangler.page.post(paths.wrangleTag(tag), fields)).status, 303);
    }
    await runDueJobs(archive.archive.db, archive.archive.dialect, jobHandlers(archive.config));

    assert.deepEqual((await suggestions('lantern')).sort(), ['Lantern Canon', 'Lantern Light']);
    assert.deepEqual((await suggestions('lantern', reader.api.token)).sort(), [
      'Lantern Canon',
      'Lantern Light',
      'Lantern Members Only',
    ]);
    assert.deepEqual(await suggestions('lantern sh'), ['Lantern Canon'], 'a synonym leads to its canonical');
  });

  it('answers a guest the same 404 for a restricted work as for a missing one, on pages and in the API', async () => {
    const restricted = await writer.api.postWork({ title: 'Behind The Door', restricted: true });
    const chapter = (restricted.chapters as { id: number }[])[0].id;
    const draft = await writer.api.postWork({ title: 'Not Yet Posted', draft: true });
    const urls = (id: number) => [
      paths.work(id),
      paths.chapter(id, chapter),
      `${paths.work(id)}?view_full_work=true`,
      `/downloads/${id}/behind_the_door.epub`,
      `/api/v1/works/${id}`,
      `/api/v1/works/${id}/chapters`,
      `/api/v1/works/${id}/kudos`,
    ];
    async function answer(url: string, id: number) {
      const response = await archive.app.inject({ method: 'GET', url });
      const body = response.headers['content-type']?.toString().startsWith('application/json')
        ? JSON.stringify(response.json())
        : textOf(response.body);
      return { status: response.statusCode, body: body.replaceAll(String(id), 'ID') };
    }
    for (const [index, url] of urls(restricted.id).entries()) {
      const missing = await answer(urls(MISSING)[index], MISSING);
      assert.equal(missing.status, 404, urls(MISSING)[index]);
      assert.deepEqual(await answer(url, restricted.id), missing, url);
      assert.deepEqual(await answer(urls(draft.id)[index], draft.id), missing, `draft: ${url}`);
    }
    const page = await answer(paths.work(MISSING), MISSING);
    assert.match(page.body, /log in/i, 'the 404 may suggest logging in, since it is the same for every id');
    await guest.get(paths.logIn());
    const kudosOnRestricted = await guest.post(`/works/${restricted.id}/kudos`, {});
    const kudosOnMissing = await guest.post(`/works/${MISSING}/kudos`, {});
    assert.deepEqual(
      [kudosOnRestricted.status, textOf(kudosOnRestricted.body).replaceAll(String(restricted.id), 'ID')],
      [404, textOf(kudosOnMissing.body).replaceAll(String(MISSING), 'ID')],
    );
    assert.equal((await reader.page.get(paths.work(restricted.id))).status, 200);
  });

  it("links a series' readers past the parts they may not read", async () => {
    const first = await postPage({ title: 'Dusk', series_title: 'Lamplighter Cycle' });
    const series = await archive.archive.db
      .selectFrom('series')
      .select('id')
      .where('title', '=', 'Lamplighter Cycle')
      .executeTakeFirstOrThrow();
    const hidden = await postPage({ title: 'Midnight', series_id: String(series.id), restricted: 'on' });
    const last = await postPage({ title: 'Dawn', series_id: String(series.id) });

    const forGuest = await guest.get(paths.work(first));
    assert.match(forGuest.body, new RegExp(`rel="next" href="/works/${last}"`));
    assert.doesNotMatch(forGuest.body, new RegExp(`/works/${hidden}"|Midnight`));
    const backForGuest = await guest.get(paths.work(last));
    assert.match(backForGuest.body, new RegExp(`rel="prev" href="/works/${first}"`));

    const forReader = await reader.page.get(paths.work(first));
    assert.match(forReader.body, new RegExp(`rel="next" href="/works/${hidden}"`));
  });
});
