import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { ApiWriter } from '../support/apiClient.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const PASSWORD = 'long enough password';

function bearer(writer: ApiWriter) {
  return { authorization: `Bearer ${writer.token}` };
}

/** The table row a reader sees for one work (or the totals), as its cell texts. */
function rowTexts(html: string, firstCell: string): string[] {
  const rows = html.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
  const row = rows.find((candidate) => textOf(candidate).startsWith(firstCell));
  assert.ok(row, `expected a row for ${firstCell}`);
  return (row.match(/<t[hd][^>]*>[\s\S]*?<\/t[hd]>/g) ?? []).map((cell) => textOf(cell));
}

describe(`stats for writers (${testDialect})`, () => {
  let archive: TestArchive;
  let app: FastifyInstance;
  let writer: ApiWriter;
  let writerPage: ReaderSession;
  let reader: ApiWriter;
  let readerPage: ReaderSession;
  let popular: { id: number };
  let quiet: { id: number };

  before(async () => {
    archive = await startTestArchive();
    app = archive.app;
    writer = await ApiWriter.signUp(app, 'statwriter');
    writerPage = new ReaderSession(app);
    await writerPage.logIn('statwriter', PASSWORD);
    reader = await ApiWriter.signUp(app, 'statreader');
    readerPage = new ReaderSession(app);
    await readerPage.logIn('statreader', PASSWORD);
    const second = await ApiWriter.signUp(app, 'secondreader');

    popular = await writer.postWork({
      title: 'Popular Tale',
      chapters: [{ body: '<p>One two three four five six seven.</p>' }],
    });
    quiet = await writer.postWork({ title: 'Quiet Tale', chapters: [{ body: '<p>Just three words.</p>' }] });
    await writer.postWork({ title: 'Unposted Tale', draft: true });

    // Three guests and one member read the popular work, one guest the quiet one.
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      await app.inject({ method: 'GET', url: `/works/${popular.id}`, remoteAddress: address });
    await app.inject({ method: 'GET', url: `/works/${quiet.id}`, remoteAddress: '203.0.113.1' });
    await readerPage.get(`/works/${popular.id}`);
    for (const who of [reader, second])
      await app.inject({ method: 'POST', url: `/api/v1/works/${popular.id}/kudos`, headers: bearer(who) });
    await app.inject({ method: 'POST', url: `/api/v1/works/${quiet.id}/kudos`, headers: bearer(reader) });

    // Comments, bookmarks and subscriptions come from their own features; here they are plain rows.
    const db = archive.archive.db;
    const now = new Date().toISOString();
    const readerId = (
      await db.selectFrom('users').select('id').where('username', '=', 'statreader').executeTakeFirstOrThrow()
    ).id;
    const secondId = (
      await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'secondreader')
        .executeTakeFirstOrThrow()
    ).id;
    const comment = (status: 'visible' | 'unreviewed', parentId: number | null = null) =>
      db
        .insertInto('comments')
        .values({
          work_id: popular.id,
          chapter_id: null,
          parent_id: parentId,
          user_id: readerId,
          pseud_id: null,
          guest_name: null,
          guest_email: null,
          body: '<p>Lovely.</p>',
          status,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const thread = await comment('visible');
    await comment('visible', thread.id);
    await comment('unreviewed');
    await db
      .insertInto('bookmarks')
      .values([
        {
          user_id: readerId,
          work_id: popular.id,
          series_id: null,
          notes: '',
          private: 0,
          rec: 0,
          created_at: now,
          updated_at: now,
        },
        {
          user_id: secondId,
          work_id: popular.id,
          series_id: null,
          notes: '',
          private: 1,
          rec: 0,
          created_at: now,
          updated_at: now,
        },
      ])
      .execute();
    await db
      .insertInto('subscriptions')
      .values([
        { user_id: readerId, work_id: popular.id, series_id: null, creator_id: null, created_at: now },
        { user_id: secondId, work_id: quiet.id, series_id: null, creator_id: null, created_at: now },
      ])
      .execute();
  });
  after(async () => archive.close());

  it('shows the writer their works and totals, drafts left out', async () => {
    const page = await writerPage.get('/users/statwriter/stats');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.doesNotMatch(text, /Unposted Tale/);
    // Work, hits, kudos, comment threads, bookmarks, subscriptions, words.
    assert.deepEqual(rowTexts(page.body, 'Popular Tale'), ['Popular Tale', '4', '2', '1', '1', '1', '7']);
    assert.deepEqual(rowTexts(page.body, 'Quiet Tale'), ['Quiet Tale', '1', '1', '0', '0', '1', '3']);
    assert.deepEqual(rowTexts(page.body, 'Total'), ['Total', '5', '3', '1', '1', '2', '10']);
  });

  it('draws the activity chart as an accessible SVG that parses', async () => {
    const page = await writerPage.get('/users/statwriter/stats');
    const svg = page.body.match(/<svg[\s\S]*?<\/svg>/)?.[0];
    assert.ok(svg, 'the page should hold an SVG chart');
    assert.equal(XMLValidator.validate(svg), true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg).svg;
    assert.equal(parsed['@_role'], 'img');
    assert.match(String(parsed.title['#text'] ?? parsed.title), /Reader activity per day/);
    const description = String(parsed.desc['#text'] ?? parsed.desc);
    assert.match(description, /5 hits, 3 kudos, 1 comment thread, 1 bookmark in all/);
    for (const series of ['Hits', 'Kudos', 'Comments', 'Bookmarks'])
      assert.ok(svg.includes(`>${series}</text>`), series);
    assert.match(svg, /Day \(UTC\)/);
    for (const period of ['year', 'all']) {
      const longer = await writerPage.get(`/users/statwriter/stats?period=${period}`);
      assert.equal(longer.status, 200);
      const chart = longer.body.match(/<svg[\s\S]*?<\/svg>/)?.[0] ?? '';
      assert.equal(XMLValidator.validate(chart), true, period);
    }
  });

  it('sorts by any column, both ways', async () => {
    const order = async (query: string) => {
      const page = await writerPage.get(`/users/statwriter/stats?${query}`);
      return [...textOf(page.body).matchAll(/(Popular|Quiet) Tale/g)].map((match) => match[1]);
    };
    assert.deepEqual(await order('sort=hits'), ['Popular', 'Quiet']);
    assert.deepEqual(await order('sort=hits&direction=asc'), ['Quiet', 'Popular']);
    assert.deepEqual(await order('sort=subscriptions&direction=desc'), ['Popular', 'Quiet']);
    assert.deepEqual(await order('sort=title&direction=desc'), ['Quiet', 'Popular']);
    assert.deepEqual(await order('sort=nonsense'), ['Popular', 'Quiet']);
  });

  it('keeps stats to the writer: others get 403, guests are asked to log in', async () => {
    assert.equal((await readerPage.get('/users/statwriter/stats')).status, 403);
    assert.equal((await new ReaderSession(app).get('/users/statwriter/stats')).status, 401);
    assert.equal((await readerPage.get('/users/nobody-here/stats')).status, 404);
  });

  it('links to the stats from the writer’s own works page only', async () => {
    assert.match((await writerPage.get('/users/statwriter/works')).body, /href="\/users\/statwriter\/stats"/);
    assert.doesNotMatch((await readerPage.get('/users/statwriter/works')).body, /\/stats"/);
  });

  it('gives the same numbers in the API', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/stats', headers: bearer(writer) });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(body.totals, {
      hits: 5,
      kudos: 3,
      comment_threads: 1,
      bookmarks: 1,
      subscriptions: 2,
      word_count: 10,
    });
    assert.deepEqual(body.works, [
      {
        id: popular.id,
        title: 'Popular Tale',
        hits: 4,
        kudos: 2,
        comment_threads: 1,
        bookmarks: 1,
        subscriptions: 1,
        word_count: 7,
      },
      {
        id: quiet.id,
        title: 'Quiet Tale',
        hits: 1,
        kudos: 1,
        comment_threads: 0,
        bookmarks: 0,
        subscriptions: 1,
        word_count: 3,
      },
    ]);
    const readerStats = await app.inject({ method: 'GET', url: '/api/v1/stats', headers: bearer(reader) });
    assert.deepEqual(readerStats.json().totals.hits, 0);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/stats' })).statusCode, 401);
  });
});
