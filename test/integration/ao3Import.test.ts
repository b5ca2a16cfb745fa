import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { quire } from '../support/quireCommand.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const fixtures = path.resolve('test/fixtures/ao3');
const references = '/work/shared/reference/ao3-downloads';
const referencesPresent = fs.existsSync(references);
const CURRENT_TEMPLATE_CREATORS = ['inkmoth', 'Fern (quillfern)'];

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe(`quire import ao3 (${testDialect})`, () => {
  let archive: TestArchive;
  let scratch: string;

  before(async () => {
    archive = await startTestArchive();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-ao3-'));
    const created = await quire(
      archive,
      'user',
      'create',
      '--username',
      'shelf_keeper',
      '--email',
      'shelf@example.org',
      '--password',
      'long enough password',
    );
    assert.equal(created.status, 0, created.stderr);
  });
  after(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await archive.close();
  });

  function importAo3(...paths: string[]) {
    return quire(archive, 'import', 'ao3', '--as', 'shelf_keeper', ...paths);
  }

  async function apiWork(title: string) {
    const listing = (await archive.app.inject({ method: 'GET', url: '/api/v1/works' })).json();
    const found = listing.works.find((work: { title: string }) => work.title === title);
    assert.ok(found, `"${title}" should be in the archive`);
    return (await archive.app.inject({ method: 'GET', url: `/api/v1/works/${found.id}` })).json();
  }

  it('imports the current template with every field, and reports bad files without stopping', async () => {
    const result = await importAo3(
      path.join(fixtures, 'current-template.html'),
      path.join(fixtures, 'one-shot.html'),
      path.join(fixtures, 'not-ao3.html'),
      path.join(fixtures, 'truncated.html'),
      path.join(scratch, 'missing.html'),
    );
    assert.equal(result.status, 1, 'failures make the exit status non-zero');
    assert.match(result.stdout, /Imported 2, skipped 0 already imported, failed 3\./);
    assert.match(result.stderr, /not-ao3\.html: not an AO3 download/);
    assert.match(result.stderr, /truncated\.html: incomplete AO3 download/);
    assert.match(result.stderr, /missing\.html: no such file or folder/);
  });

  it('keeps metadata, credits, dates, source and chapters of an imported work', async () => {
    const work = await apiWork("The Cartographer's Lantern");
    assert.deepEqual(
      work.creators,
      CURRENT_TEMPLATE_CREATORS,
      'credited to the original creators, not the importer',
    );
    assert.match(work.imported_from, /^https:\/\/archiveofourown\.org\/works\/\d+$/);
    assert.equal(work.rating, 'Mature');
    assert.equal(work.chapter_count, 3);
    assert.equal(work.expected_chapters, 5);
    assert.equal(work.complete, false);
    assert.equal(work.published_at.slice(0, 10), '2023-04-05');
    assert.equal(work.updated_at.slice(0, 10), '2023-06-18');
    assert.ok(work.fandoms.length > 0 && work.relationships.length > 0 && work.freeforms.length > 0);
    assert.ok(
      work.relationships.some((name: string) => name.includes('/')) &&
        work.relationships.some((name: string) => name.includes('&')),
    );
    const page = await new ReaderSession(archive.app).get(`/works/${work.id}?view_full_work=true`);
    const text = textOf(page.body);
    assert.match(text, /Imported from https:\/\/archiveofourown\.org\/works\//);
    assert.match(text, /Part \d+ of/);
    assert.equal((text.match(/Chapter \d+/g) ?? []).length >= 3, true);
  });

  it('is idempotent: the same downloads again, as a zip and as an EPUB, add nothing', async () => {
    const bundle = path.join(scratch, 'downloads.zip');
    fs.writeFileSync(
      bundle,
      await zipOf({
        'saved/current-template.html': fs.readFileSync(path.join(fixtures, 'current-template.html')),
        'saved/notes.txt': 'not a download, ignored',
      }),
    );
    const result = await importAo3(
      bundle,
      path.join(fixtures, 'current-template.epub'),
      path.join(fixtures, 'one-shot.html'),
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Imported 0, skipped 3 already imported, failed 0\./);
  });

  it('imports the older template', async () => {
    const result = await importAo3(path.join(fixtures, 'older-template.html'));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Imported 1,/);
  });

  it('imports the real AO3 downloads with their counts and tags', {
    skip: referencesPresent ? false : 'reference downloads not present',
  }, async () => {
    const result = await importAo3(references);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Imported 3,/);
    const homeFires = await apiWork('Keep the Home Fires (Burning)');
    assert.equal(homeFires.word_count, 32900, 'our word count agrees with AO3');
    assert.equal(homeFires.chapter_count, 3);
    assert.equal(homeFires.rating, 'Teen And Up Audiences');
    assert.deepEqual(homeFires.creators, ['natsinator']);
    assert.deepEqual(homeFires.fandoms, ['Ginga Eiyuu Densetsu | Legend of the Galactic Heroes']);
    assert.equal(homeFires.relationships.length, 4);
    assert.equal(homeFires.characters.length, 11);
    assert.equal(homeFires.published_at.slice(0, 10), '2021-03-03');
    const farce = await apiWork('First as Farce');
    assert.equal(farce.word_count, 1719);
    assert.equal(farce.updated_at.slice(0, 10), '2022-02-23');
    const search = await archive.app.inject({ method: 'GET', url: '/opds/search?q=farce' });
    assert.match(search.body, /First as Farce/, 'imported works are found like any other');
  });
});
