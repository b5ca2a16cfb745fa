import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReaderSession, sampleWork, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

function workIdFrom(location: string | undefined): number {
  const id = Number(location?.match(/^\/works\/(\d+)$/)?.[1]);
  assert.ok(id > 0, `expected a work URL, got ${location}`);
  return id;
}

describe(`posting and reading works (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ReaderSession;
  let coWriterless: ReaderSession;
  let guest: ReaderSession;
  let workId: number;

  before(async () => {
    archive = await startTestArchive();
    writer = new ReaderSession(archive.app);
    await writer.signUp('lamplighter');
    coWriterless = new ReaderSession(archive.app);
    await coWriterless.signUp('bystander');
    guest = new ReaderSession(archive.app);
  });
  after(async () => archive.close());

  async function countRows(table: 'works' | 'chapters' | 'tags') {
    const row = await archive.archive.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('posts a work through the form and shows it with its metadata block', async () => {
    await writer.get('/works/new');
    const response = await writer.post('/works', sampleWork);
    assert.equal(response.status, 303);
    workId = workIdFrom(response.location);
    const page = await guest.get(`/works/${workId}`);
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    for (const expected of [
      'The Lighthouse Keeper',
      'by lamplighter',
      'Rating: General Audiences',
      'Archive Warning: No Archive Warnings Apply',
      'Category: Gen',
      'Fandom: Original Work',
      'Relationship: Keeper & Gull',
      'Characters: The Keeper The Gull',
      'Additional Tags: Fluff Found Family',
      'Language: English',
      'Words: 11',
      'Chapters: 1/2',
      'The lamp turned all night',
    ]) {
      assert.ok(text.includes(expected), `work page should show "${expected}"`);
    }
    assert.match(page.body, /href="\/tags\/Keeper%20\*a\*%20Gull\/works"/);
  });

  it('lists the new work on the home page, the works index, the creator page and its tag pages', async () => {
    for (const url of [
      '/',
      '/works',
      '/users/lamplighter/works',
      '/tags/Original%20Work/works',
      '/tags/fluff/works',
      '/tags/Keeper%20*a*%20Gull/works',
    ]) {
      const page = await guest.get(url);
      assert.equal(page.status, 200, url);
      assert.match(textOf(page.body), /The Lighthouse Keeper/, `${url} should list the work`);
    }
  });

  it('stores each tag name once, whatever its case', async () => {
    const before = await countRows('tags');
    await writer.get('/works/new');
    const response = await writer.post('/works', {
      ...sampleWork,
      title: 'Second Light',
      fandoms: 'ORIGINAL WORK',
      freeforms: 'fluff',
    });
    assert.equal(response.status, 303);
    assert.equal(await countRows('tags'), before);
    const listing = await guest.get('/tags/Original%20Work/works');
    assert.match(textOf(listing.body), /2 Works/);
  });

  it('refuses a tag name already used for another tag type, saving nothing', async () => {
    const works = await countRows('works');
    await writer.get('/works/new');
    const response = await writer.post('/works', { ...sampleWork, characters: 'Original Work' });
    assert.equal(response.status, 400);
    assert.match(textOf(response.body), /already in the archive as a Fandom tag/);
    assert.equal(await countRows('works'), works);
  });

  it('gives the form back with every problem marked and the input kept, saving nothing', async () => {
    const works = await countRows('works');
    const chapters = await countRows('chapters');
    await writer.get('/works/new');
    const response = await writer.post('/works', {
      ...sampleWork,
      title: '',
      rating: 'Extremely Spicy',
      warnings: [],
      fandoms: 'Bad<Tag>',
      chapter_body: '   ',
      summary: 'My kept summary',
    });
    assert.equal(response.status, 400);
    const text = textOf(response.body);
    assert.match(text, /Give the work a title/);
    assert.match(text, /Choose exactly one rating/);
    assert.match(text, /Choose at least one archive warning/);
    assert.match(text, /contains a character tags cannot have/);
    assert.match(text, /Write the chapter text/);
    assert.match(response.body, /My kept summary/);
    assert.equal(await countRows('works'), works);
    assert.equal(await countRows('chapters'), chapters);
  });

  it('enforces AO3 limits: long titles, too many tags, oversized chapters', async () => {
    await writer.get('/works/new');
    const long = await writer.post('/works', { ...sampleWork, title: 'x'.repeat(256) });
    assert.equal(long.status, 400);
    assert.match(textOf(long.body), /at most 255 characters/);
    const manyTags = Array.from({ length: 80 }, (_, index) => `Tag ${index}`).join(', ');
    const tags = await writer.post('/works', { ...sampleWork, freeforms: manyTags });
    assert.equal(tags.status, 400);
    assert.match(textOf(tags.body), /at most 75/);
    const huge = await writer.post('/works', { ...sampleWork, chapter_body: 'word '.repeat(100_001) });
    assert.equal(huge.status, 400);
    assert.match(textOf(huge.body), /at most 500,000 characters/);
  });

  it('removes hostile HTML before it is stored', async () => {
    await writer.get('/works/new');
    const response = await writer.post('/works', {
      ...sampleWork,
      title: 'Hostile <script>alert(1)</script>',
      summary: '<p onclick="steal()">Summary <a href="javascript:alert(1)">link</a></p>',
      chapter_body:
        '<p style="position:fixed;top:0">Text</p><script>alert(2)</script><img src="x" onerror="alert(3)"><a href="https://example.org">ok</a><iframe src="https://evil.example"></iframe>',
    });
    const id = workIdFrom(response.location);
    const page = await guest.get(`/works/${id}`);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.doesNotMatch(page.body, /onclick|onerror|javascript:|position:fixed|<iframe/);
    assert.match(textOf(page.body), /Hostile <script>alert\(1\)<\/script>/, 'the title is shown as text');
    assert.doesNotMatch(page.body, /<script>alert\(1\)/);
    assert.match(page.body, /<a href="https:\/\/example.org" rel="nofollow noopener">ok<\/a>/);
    const stored = await archive.archive.db
      .selectFrom('chapters')
      .select('body')
      .where('work_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.body, /script|onerror|style=/);
  });

  it('renders Markdown chapters and counts their words', async () => {
    await writer.get('/works/new');
    const response = await writer.post('/works', {
      ...sampleWork,
      title: 'Marked Down',
      chapter_format: 'markdown',
      chapter_body: 'The *keeper* said **no**.\n\n<script>alert(1)</script>',
    });
    const page = await guest.get(response.location!);
    assert.match(page.body, /The <em>keeper<\/em> said <strong>no<\/strong>\./);
    assert.match(page.body, /&lt;script&gt;/);
  });

  it('adds, edits, reorders and deletes chapters, keeping counts right', async () => {
    await writer.get(`/works/${workId}/chapters/new`);
    const added = await writer.post(`/works/${workId}/chapters`, {
      title: 'High Tide',
      format: 'html',
      body: '<p>Two three four five.</p>',
    });
    assert.equal(added.status, 303);
    const chapterTwo = Number(added.location?.match(/chapters\/(\d+)$/)?.[1]);
    let page = await guest.get(`/works/${workId}`);
    assert.match(textOf(page.body), /Chapters: 2\/2/);
    assert.match(textOf(page.body), /Words: 15/);
    assert.match(textOf(page.body), /Chapter 1: First Light/);
    assert.doesNotMatch(
      textOf(page.body),
      /Two three four five/,
      'a multi-chapter work opens at its first chapter',
    );

    const chapterPage = await guest.get(`/works/${workId}/chapters/${chapterTwo}`);
    assert.match(textOf(chapterPage.body), /Chapter 2: High Tide/);
    assert.match(chapterPage.body, /rel="prev"/);
    assert.doesNotMatch(chapterPage.body, /rel="next"/);

    const whole = await guest.get(`/works/${workId}?view_full_work=true`);
    const wholeText = textOf(whole.body);
    assert.ok(wholeText.indexOf('The lamp turned') < wholeText.indexOf('Two three four five'));

    await writer.get(`/works/${workId}/chapters/${chapterTwo}/edit`);
    const edited = await writer.post(`/works/${workId}/chapters/${chapterTwo}`, {
      title: 'High Tide',
      format: 'html',
      body: '<p>Only two.</p>',
    });
    assert.equal(edited.status, 303);
    page = await guest.get(`/works/${workId}`);
    assert.match(textOf(page.body), /Words: 13/);

    const chapters = await archive.archive.db
      .selectFrom('chapters')
      .select('id')
      .where('work_id', '=', workId)
      .orderBy('position')
      .execute();
    const [first, second] = chapters.map((chapter) => chapter.id);
    await writer.get(`/works/${workId}/chapters/manage`);
    const bad = await writer.post(`/works/${workId}/chapters/manage`, {
      [`position_${first}`]: '1',
      [`position_${second}`]: '1',
    });
    assert.equal(bad.status, 400);
    const reordered = await writer.post(`/works/${workId}/chapters/manage`, {
      [`position_${first}`]: '2',
      [`position_${second}`]: '1',
    });
    assert.equal(reordered.status, 303);
    page = await guest.get(`/works/${workId}?view_full_work=true`);
    assert.match(textOf(page.body), /Chapter 1: High Tide .* Chapter 2: First Light/);

    await writer.get(`/works/${workId}/chapters/${second}/delete`);
    const deleted = await writer.post(`/works/${workId}/chapters/${second}/delete`, {});
    assert.equal(deleted.status, 303);
    page = await guest.get(`/works/${workId}`);
    assert.match(textOf(page.body), /Chapters: 1\/2/);
    assert.match(textOf(page.body), /Words: 11/);
    await writer.get(`/works/${workId}`);
    const last = await writer.post(`/works/${workId}/chapters/${first}/delete`, {});
    assert.equal(last.status, 400);
    assert.match(textOf(last.body), /delete the whole work instead/);
  });

  it('edits a work: fields and tags change, completion follows the expected count', async () => {
    const form = await writer.get(`/works/${workId}/edit`);
    assert.match(form.body, /value="The Lighthouse Keeper"/);
    const response = await writer.post(`/works/${workId}`, {
      ...sampleWork,
      title: 'The Lighthouse Keeper (Revised)',
      freeforms: 'Angst',
      complete: 'on',
    });
    assert.equal(response.status, 303);
    const page = await guest.get(`/works/${workId}`);
    const text = textOf(page.body);
    assert.match(text, /The Lighthouse Keeper \(Revised\)/);
    assert.match(text, /Additional Tags: Angst/);
    assert.doesNotMatch(text, /Found Family/);
    assert.match(text, /Chapters: 1\/1/);
  });

  it('lets only the creators change or delete a work', async () => {
    for (const url of [`/works/${workId}/edit`, `/works/${workId}/chapters/new`, `/works/${workId}/delete`]) {
      const page = await coWriterless.get(url);
      assert.equal(page.status, 403, url);
    }
    await coWriterless.get('/');
    const edit = await coWriterless.post(`/works/${workId}`, { ...sampleWork, title: 'Taken Over' });
    assert.equal(edit.status, 403);
    const remove = await coWriterless.post(`/works/${workId}/delete`, {});
    assert.equal(remove.status, 403);
    const guestEdit = await guest.get(`/works/${workId}/edit`);
    assert.equal(guestEdit.status, 401);
    const page = await guest.get(`/works/${workId}`);
    assert.match(textOf(page.body), /The Lighthouse Keeper \(Revised\)/);
  });

  it('keeps drafts to their creator until posted', async () => {
    await writer.get('/works/new');
    const saved = await writer.post('/works', { ...sampleWork, title: 'Unfinished Draft', action: 'draft' });
    const id = workIdFrom(saved.location);
    const own = await writer.get(`/works/${id}`);
    assert.match(textOf(own.body), /This work is a draft/);
    assert.equal((await guest.get(`/works/${id}`)).status, 404);
    assert.equal((await coWriterless.get(`/works/${id}`)).status, 404);
    assert.doesNotMatch(textOf((await guest.get('/works')).body), /Unfinished Draft/);
    assert.match(textOf((await writer.get('/users/lamplighter/works')).body), /Unfinished Draft/);
    assert.doesNotMatch(textOf((await guest.get('/users/lamplighter/works')).body), /Unfinished Draft/);
    await writer.get(`/works/${id}`);
    const posted = await writer.post(`/works/${id}/post`, {});
    assert.equal(posted.status, 303);
    assert.equal((await guest.get(`/works/${id}`)).status, 200);
    assert.match(textOf((await guest.get('/works')).body), /Unfinished Draft/);
  });

  it('shows restricted works to logged-in readers only', async () => {
    await writer.get('/works/new');
    const saved = await writer.post('/works', { ...sampleWork, title: 'Members Only', restricted: 'on' });
    const id = workIdFrom(saved.location);
    const forGuest = await guest.get(`/works/${id}`);
    assert.equal(forGuest.status, 404, 'the same answer as for a missing work, so ids cannot be probed');
    assert.match(textOf(forGuest.body), /open only to registered users of the archive: log in/);
    assert.doesNotMatch(textOf((await guest.get('/works')).body), /Members Only/);
    assert.equal((await coWriterless.get(`/works/${id}`)).status, 200);
    assert.match(textOf((await coWriterless.get('/works')).body), /Members Only/);
  });

  it('deletes a work after confirmation, and then it is gone', async () => {
    await writer.get('/works/new');
    const saved = await writer.post('/works', { ...sampleWork, title: 'Short Lived' });
    const id = workIdFrom(saved.location);
    const confirm = await writer.get(`/works/${id}/delete`);
    assert.match(textOf(confirm.body), /Are you sure you want to delete/);
    const deleted = await writer.post(`/works/${id}/delete`, {});
    assert.equal(deleted.status, 303);
    assert.equal((await guest.get(`/works/${id}`)).status, 404);
    const chapters = await archive.archive.db
      .selectFrom('chapters')
      .select('id')
      .where('work_id', '=', id)
      .execute();
    assert.equal(chapters.length, 0);
  });

  it('answers unknown addresses with a real 404 page', async () => {
    for (const url of [
      '/works/999999',
      '/works/not-a-number',
      `/works/${workId}/chapters/999999`,
      '/users/nobody/works',
      '/tags/No%20Such%20Tag/works',
      '/nowhere',
    ]) {
      const page = await guest.get(url);
      assert.equal(page.status, 404, url);
      assert.match(page.headers['content-type'] as string, /text\/html/);
      assert.match(textOf(page.body), /404/);
    }
  });
});
