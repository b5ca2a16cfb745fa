import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paths } from '../../src/domain/archivePaths.ts';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// A series shows to a viewer only while they may read one of its parts; its owner always sees it, to
// manage it. To anyone else a series of drafts, of restricted works (for guests) or of deleted works is
// a missing series: the same 404 everywhere, and absent from every listing.

const MISSING = 987654;

describe(`a series nobody may read a part of does not show (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let reader: Member;
  let guest: ReaderSession;

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'loomwright');
    reader = await member(archive, 'loomreader');
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  /** Posts a work through the API as the first part of a new series; returns the work's and series' ids. */
  async function seriesOf(title: string, fields: Record<string, unknown>) {
    const work = await writer.api.postWork({ title: `${title} part`, series_title: title, ...fields });
    const series = await archive.archive.db
      .selectFrom('series')
      .select('id')
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    return { workId: work.id, seriesId: series.id };
  }

  async function call(method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: object) {
    const response = await archive.app.inject({
      method,
      url,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.statusCode, body: response.body, json: () => response.json() };
  }

  /** What a page or API answer says, with the series' id replaced, to compare with a missing series'. */
  async function answer(request: Promise<{ status: number; body: string }>, id: number) {
    const response = await request;
    return { status: response.status, body: textOf(response.body).replaceAll(String(id), 'ID') };
  }

  /** Every way of reaching a series by its id, for someone (a guest, or a member with their token). */
  async function reachedAs(who: 'guest' | Member, id: number) {
    const session = who === 'guest' ? guest : who.page;
    const token = who === 'guest' ? undefined : who.api.token;
    return {
      page: await answer(session.get(paths.series(id)), id),
      epub: await answer(call('GET', paths.seriesDownload(id, 'loom')), id),
      ...(who === 'guest'
        ? {}
        : {
            bookmarkForm: await answer(session.get(`/series/${id}/bookmarks/new`), id),
            bookmark: await answer(call('POST', '/api/v1/bookmarks', token, { series_id: id }), id),
            subscription: await answer(call('POST', '/api/v1/subscriptions', token, { series_id: id }), id),
          }),
    };
  }

  async function assertMissingTo(who: 'guest' | Member, id: number) {
    const missing = await reachedAs(who, MISSING);
    assert.equal(missing.page.status, 404);
    assert.deepEqual(
      await reachedAs(who, id),
      missing,
      `series ${id} as ${who === 'guest' ? who : who.username}`,
    );
  }

  async function listedTitles(who: ReaderSession, login: string): Promise<string> {
    const page = await who.get(`/users/${login}/series`);
    assert.equal(page.status, 200);
    return textOf(page.body);
  }

  it('answers a series of drafts as a missing series to everyone but its owner, and lists it to no one else', async () => {
    const { seriesId } = await seriesOf('Unwoven Drafts', { draft: true, summary: 'x' });
    await assertMissingTo('guest', seriesId);
    await assertMissingTo(reader, seriesId);
    for (const session of [guest, reader.page]) {
      assert.doesNotMatch(await listedTitles(session, writer.username), /Unwoven Drafts/);
    }

    const own = await writer.page.get(paths.series(seriesId));
    assert.equal(own.status, 200);
    assert.match(textOf(own.body), /Unwoven Drafts/);
    assert.match(await listedTitles(writer.page, writer.username), /Unwoven Drafts/);
    assert.equal((await writer.page.get(`/series/${seriesId}/edit`)).status, 200);
  });

  it('shows a series of restricted works to members only', async () => {
    const { seriesId } = await seriesOf('Members Weave', { restricted: true });
    await assertMissingTo('guest', seriesId);
    assert.doesNotMatch(await listedTitles(guest, writer.username), /Members Weave/);

    const forReader = await reader.page.get(paths.series(seriesId));
    assert.equal(forReader.status, 200);
    assert.match(textOf(forReader.body), /Members Weave/);
    assert.match(await listedTitles(reader.page, writer.username), /Members Weave/);
    assert.equal((await reader.page.get(paths.seriesDownload(seriesId, 'loom'))).status, 200);
  });

  it('hides a series once its only work is deleted, and the bookmarks of it from listings', async () => {
    const { workId, seriesId } = await seriesOf('Frayed Thread', {});
    const bookmarked = await call('POST', '/api/v1/bookmarks', reader.api.token, { series_id: seriesId });
    assert.equal(bookmarked.status, 201, bookmarked.body);
    assert.match(textOf((await guest.get(`/users/${reader.username}/bookmarks`)).body), /Frayed Thread/);

    const deleted = await call('DELETE', `/api/v1/works/${workId}`, writer.api.token);
    assert.equal(deleted.status, 204, deleted.body);
    await assertMissingTo('guest', seriesId);
    for (const session of [guest, reader.page]) {
      assert.doesNotMatch(await listedTitles(session, writer.username), /Frayed Thread/);
      assert.doesNotMatch(
        textOf((await session.get(`/users/${reader.username}/bookmarks`)).body),
        /Frayed Thread/,
      );
    }
    const listed = await call('GET', `/api/v1/bookmarks?user=${reader.username}`, reader.api.token);
    assert.equal(listed.json().total, 0, listed.body);
    assert.equal((await writer.page.get(paths.series(seriesId))).status, 200);
  });

  it('lists a bookmark of a series of restricted works to members, never to guests', async () => {
    const { seriesId } = await seriesOf('Guarded Loom', { restricted: true });
    const bookmarked = await call('POST', '/api/v1/bookmarks', reader.api.token, { series_id: seriesId });
    assert.equal(bookmarked.status, 201, bookmarked.body);
    assert.doesNotMatch(
      textOf((await guest.get(`/users/${reader.username}/bookmarks`)).body),
      /Guarded Loom/,
    );
    assert.match(textOf((await writer.page.get(`/users/${reader.username}/bookmarks`)).body), /Guarded Loom/);
  });

  it('shows a series of drafts to all once one of its parts is posted', async () => {
    const { workId, seriesId } = await seriesOf('Late Weave', { draft: true });
    assert.equal((await guest.get(paths.series(seriesId))).status, 404);
    await writer.page.get(paths.work(workId));
    await writer.page.submit(`/works/${workId}/post`, {});
    assert.equal((await guest.get(paths.series(seriesId))).status, 200);
    assert.match(await listedTitles(guest, writer.username), /Late Weave/);
  });
});
