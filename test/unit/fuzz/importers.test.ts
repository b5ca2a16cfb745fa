import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseText } from '../../../src/domain/textNormalisation.ts';
import {
  Ao3FormatError,
  type ImportedWork,
  parseAo3Epub,
  parseAo3Html,
  parseAo3HtmlBytes,
} from '../../../src/formats/ao3Download.ts';
import { BundleFormatError, readBundle, writeBundle } from '../../../src/formats/quireBundle.ts';
import { readZipEntries, ZipRejectedError } from '../../../src/formats/safeZip.ts';
import {
  type EfictionArchive,
  efictionDate,
  idList,
} from '../../../src/importers/efiction/efictionArchive.ts';
import { mapEfictionArchive } from '../../../src/importers/efiction/mapEfiction.ts';
import { ao3EpubEntries, buildZip } from '../../fixtures/ao3/makeEpubFixture.ts';

// The readers of files from elsewhere, against damaged and hostile versions of real ones: each either
// reads the file or refuses it with its own error, and what it reads is text the archive can keep.
// (A hang would stop the run: each property runs its inputs one after another, so finishing is the check.)

const fixtures = path.resolve('test/fixtures/ao3');
const ao3Html = ['current-template.html', 'older-template.html', 'one-shot.html'].map((name) =>
  fs.readFileSync(path.join(fixtures, name), 'utf8'),
);
const ao3Epub = fs.readFileSync(path.join(fixtures, 'current-template.epub'));

/** What an AO3 download is made of, and what breaks parsers, to splice into real files. */
const splice = fc.oneof(
  fc.constantFrom(
    '<dt>Rating:</dt>',
    '<dd>',
    '</dd>',
    '<dt>Stats:</dt><dd>Published: 2024-99-99 Chapters: 7/3 Words: -5</dd>',
    'Chapters: 0/0',
    '<div id="chapters">',
    '<div class="meta group"><h2 class="heading">Chapter 9999999999</h2>',
    '<div id="preface">',
    '</div>',
    '<blockquote class="userstuff">',
    '<a href="javascript:alert(1)">',
    '<script>alert(1)</script>',
    '<!--',
    '<![CDATA[',
    '\u0000',
    '\u0001\u001b\u202e',
    '\ud800',
    '&NewLine;',
    '<dt>Series:</dt><dd>Part -1 of <a href="/series/x">S</a></dd>',
    '<dt>Language:</dt><dd>Klingon</dd>',
  ),
  fc.string({ maxLength: 12 }),
);

/** A real file with pieces cut out, repeated or spliced in. */
function damaged(original: fc.Arbitrary<string>) {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 400 }), fc.constantFrom('cut', 'repeat', 'insert'), splice);
  return fc.tuple(original, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
    let result = text;
    for (const [position, length, kind, piece] of edits) {
      const at = position % (result.length + 1);
      const end = Math.min(result.length, at + length);
      if (kind === 'cut') result = result.slice(0, at) + result.slice(end);
      else if (kind === 'repeat') result = result.slice(0, end) + result.slice(at, end) + result.slice(end);
      else result = result.slice(0, at) + piece + result.slice(at);
    }
    return result;
  });
}

function refusedWith(error: unknown, ...kinds: (new (...args: never[]) => Error)[]): void {
  if (!kinds.some((kind) => error instanceof kind)) throw error;
}

function assertKeepable(work: ImportedWork): void {
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(work);
  for (const text of texts) assert.equal(normaliseText(text), text, JSON.stringify(text));
}

describe('the AO3 download reader (fuzzed)', () => {
  it('reads a damaged HTML download or refuses it, and keeps only text the archive can store', () => {
    fc.assert(
      fc.property(damaged(fc.constantFrom(...ao3Html)), (html) => {
        try {
          assertKeepable(parseAo3Html(html));
        } catch (error) {
          refusedWith(error, Ao3FormatError);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reads any bytes as a download or refuses them', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array)),
      fc
        .tuple(fc.constantFrom('utf-8', 'windows-1252', 'shift_jis', 'utf-16', 'x-bogus', ''), fc.string())
        .map(([charset, text]) => Buffer.from(`<meta charset="${charset}"><title>${text}</title>`)),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        try {
          assertKeepable(parseAo3HtmlBytes(input));
        } catch (error) {
          refusedWith(error, Ao3FormatError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads a damaged EPUB or refuses it', async () => {
    const entries = ao3EpubEntries();
    const damagedEntries = fc
      .tuple(
        fc.nat({ max: entries.length - 1 }),
        damaged(fc.constant('')).chain((extra) =>
          damaged(fc.constantFrom(...entries.map((entry) => String(entry.data)))).map((text) => text + extra),
        ),
        // (Names that climb out of the archive are safeZip's to skip; yazl will not even write them.)
        fc.constantFrom('same', 'elsewhere.xhtml', 'OEBPS/deep/x.xhtml', 'dropped'),
      )
      .map(([index, text, rename]) =>
        entries.flatMap((entry, at) => {
          if (at !== index) return [entry];
          if (rename === 'dropped') return [];
          return [{ ...entry, name: rename === 'same' ? entry.name : rename, data: text }];
        }),
      );
    const flippedBytes = fc
      .array(fc.tuple(fc.nat({ max: ao3Epub.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const copy = Buffer.from(ao3Epub);
        for (const [at, byte] of flips) copy[at] = byte;
        return copy;
      });
    const truncated = fc.nat({ max: ao3Epub.length }).map((length) => ao3Epub.subarray(0, length));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          damagedEntries.map((list) => ({ list })),
          flippedBytes,
          truncated,
        ),
        async (input) => {
          const bytes = 'list' in input ? await buildZip(input.list) : input;
          try {
            assertKeepable(await parseAo3Epub(bytes));
          } catch (error) {
            refusedWith(error, Ao3FormatError);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('the zip and bundle readers (fuzzed)', () => {
  it('read any bytes as a zip or refuse them with their own error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
          fc
            .tuple(fc.nat({ max: ao3Epub.length }), fc.uint8Array({ minLength: 1, maxLength: 64 }))
            .map(([at, noise]) => Buffer.concat([ao3Epub.subarray(0, at), noise, ao3Epub.subarray(at)])),
        ),
        async (bytes) => {
          try {
            await readZipEntries(bytes, () => true);
          } catch (error) {
            refusedWith(error, ZipRejectedError);
          }
          try {
            await readBundle(bytes);
          } catch (error) {
            refusedWith(error, ZipRejectedError, BundleFormatError);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('read a bundle whose JSON is anything at all, or refuse it naming the entry', async () => {
    const valid = {
      manifest: {
        format: 'quire-export',
        version: 1,
        exported_at: '2024-01-01T00:00:00.000Z',
        archive_name: 'Quire',
        scope: 'archive',
        works: 0,
      },
      users: [],
      series: [],
      works: [],
    } as const;
    const entryName = fc.constantFrom('manifest.json', 'users.json', 'series.json', 'works/000001.json');
    const content = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      damaged(fc.constant(JSON.stringify(valid.manifest))),
      fc.constant('{"format":"quire-export","version":1,"works":1e308}'),
      fc.constant('"\\ud800\\u0000"'),
    );
    const entries = await readZipEntries(await writeBundle(valid as never), () => true);
    await fc.assert(
      fc.asyncProperty(entryName, content, async (name, text) => {
        const files = new Map(entries).set(name, Buffer.from(text));
        const zip = await buildZip([...files].map(([entry, data]) => ({ name: entry, data })));
        try {
          await readBundle(zip);
        } catch (error) {
          refusedWith(error, BundleFormatError);
          assert.match((error as Error).message, /\.json/);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('the eFiction reader and mapping (fuzzed)', () => {
  it('reads any stored value as a date or as nothing, and any list of ids', () => {
    const stored = fc.oneof(
      fc.string(),
      fc.constantFrom('0000-00-00 00:00:00', '2024-02-30 25:61:61', '99999999999999999999', '1262304000'),
      fc.integer(),
      fc.double(),
      fc.date({ noInvalidDate: false }),
      fc.constant(null),
      fc.uint8Array({ maxLength: 20 }).map((array) => Buffer.from(array)),
    );
    fc.assert(
      fc.property(stored, (value) => {
        const date = efictionDate(value);
        assert.ok(date === null || !Number.isNaN(Date.parse(date)), String(date));
        for (const id of idList(value)) assert.ok(Number.isInteger(id) && id > 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('maps any archive to a plan, reporting what it cannot take instead of failing', () => {
    const id = fc.integer({ min: 0, max: 6 });
    const name = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('Tom &amp; Jerry', '<b>x</b>', 'Harry Potter', 'Explicit', 'Character Death', ''),
    );
    const date = fc.option(fc.constantFrom('2010-01-01T00:00:00.000Z', '2030-06-01T00:00:00.000Z'));
    const author = fc.record({
      uid: id,
      penname: name,
      realname: name,
      email: fc.constantFrom('a@example.org', 'A@EXAMPLE.ORG', 'not an email', ''),
      website: name,
      bio: name,
      image: name,
      date,
      admincreated: fc.boolean(),
      password: fc.constantFrom('', '0', '5f4dcc3b5aa765d61d8327deb882cf99'),
    });
    const story = fc.record({
      sid: id,
      title: name,
      summary: name,
      storynotes: name,
      catids: fc.array(id, { maxLength: 3 }),
      classIds: fc.array(id, { maxLength: 3 }),
      charids: fc.array(id, { maxLength: 3 }),
      rid: fc.oneof(id.map(String), name),
      date,
      updated: date,
      uid: id,
      coauthorUids: fc.array(id, { maxLength: 2 }),
      featured: fc.boolean(),
      validated: fc.boolean(),
      completed: fc.boolean(),
      rr: fc.boolean(),
      wordcount: fc.integer(),
      reviews: fc.nat(),
      count: fc.nat(),
    });
    const chapter = fc.record({
      chapid: id,
      sid: id,
      uid: id,
      title: name,
      inorder: fc.integer({ min: -1, max: 4 }),
      notes: name,
      endnotes: name,
      storytext: name,
      textSource: fc.constantFrom('database', 'file', 'missing'),
      validated: fc.boolean(),
      wordcount: fc.integer(),
      count: fc.nat(),
    });
    const archive = fc.record({
      database: fc.constant('old'),
      tablePrefix: fc.constant('fanfiction_'),
      authors: fc.array(author, { maxLength: 4 }),
      stories: fc.array(story, { maxLength: 5 }),
      chapters: fc.array(chapter, { maxLength: 6 }),
      categories: fc.array(
        fc.record({
          catid: id,
          parentcatid: fc.integer({ min: -1, max: 6 }),
          category: name,
          description: name,
          leveldown: fc.nat({ max: 3 }),
          displayorder: fc.nat(),
        }),
        { maxLength: 4 },
      ),
      characters: fc.array(fc.record({ charid: id, catid: id, charname: name }), { maxLength: 4 }),
      classes: fc.array(
        fc.record({
          classId: id,
          classTypeId: id,
          name,
          typeName: fc.constantFrom('warnings', 'genres', ''),
          typeTitle: name,
        }),
        { maxLength: 4 },
      ),
      ratings: fc.array(
        fc.record({ rid: id, rating: name, ratingwarning: fc.boolean(), warningtext: name }),
        { maxLength: 3 },
      ),
      series: fc.array(
        fc.record({
          seriesid: id,
          title: name,
          summary: name,
          uid: id,
          isopen: fc.boolean(),
          stories: fc.array(fc.record({ sid: id, inorder: fc.integer({ min: -1, max: 4 }) }), {
            maxLength: 3,
          }),
        }),
        { maxLength: 2 },
      ),
      reviews: fc.array(
        fc.record({
          reviewid: id,
          item: id,
          type: fc.constantFrom('ST', 'SE', 'XX'),
          chapid: id,
          reviewer: name,
          uid: id,
          review: name,
          date,
          rating: fc.integer({ min: -1, max: 10 }),
        }),
        { maxLength: 4 },
      ),
      notices: fc.constant([]),
    }) satisfies fc.Arbitrary<EfictionArchive>;
    fc.assert(
      fc.property(archive, fc.constantFrom(undefined, 'https://old.example.org/'), (input, sourceUrl) => {
        const plan = mapEfictionArchive(input, { sourceUrl });
        assert.ok(plan.works.length + plan.report.skipped.length >= 0);
      }),
      { numRuns: 300 },
    );
  });
});
