import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  Ao3FormatError,
  chapterTitle,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type ImportedWork,
  languageCodeFor,
  normaliseAo3Url,
  parseAo3Epub,
  parseAo3Html,
  parseAo3HtmlBytes,
  sniffAo3Download,
} from '../../src/formats/ao3Download.ts';
import {
  ao3EpubEntries,
  BASE,
  buildZip,
  CONTAINER_XML,
  opf,
  xhtml,
  type ZipEntryInput,
} from '../fixtures/ao3/makeEpubFixture.ts';

const fixtureBytes = (name: string) => readFileSync(new URL(`../fixtures/ao3/${name}`, import.meta.url));
const fixture = (name: string) => fixtureBytes(name).toString('utf8');
/** Visible text of an HTML fragment, whitespace collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const metadataOf = ({ chapters: _chapters, ...rest }: ImportedWork) => rest;

const CURRENT_METADATA: Omit<ImportedWork, 'chapters'> = {
  sourceUrl: 'https://archiveofourown.org/works/48213377',
  title: "The Cartographer's Lantern",
  creators: ['inkmoth', 'Fern (quillfern)'],
  summary:
    '<p>A mapmaker who cannot read the sea and a keeper who cannot read a map agree to trade lessons.</p><p>Neither of them is a patient teacher.</p>',
  notes: '<p>Written for Seaside Fest. Thank you to <em>everyone</em> who cheered me on.</p>',
  endNotes: '<p>The title came to me in a dream about a lamp shop.</p>',
  rating: 'Mature',
  warnings: ['Graphic Depictions Of Violence', 'Major Character Death'],
  categories: ['F/M', 'Gen'],
  fandoms: ['Tidewater Chronicles (Web Serial)'],
  relationships: ['Wren Halloway/Osric Vane', 'Wren Halloway & Pell Marsh'],
  characters: ['Wren Halloway', 'Osric Vane', 'Pell Marsh'],
  freeforms: ['Slow Burn', 'Maps & Mapmaking', 'Found Family', 'Lighthouses'],
  language: 'English',
  languageCode: 'en',
  series: [
    { title: 'The Lamplighter Cycle', position: 2, url: 'https://archiveofourown.org/series/3318800' },
    { title: 'Harbour Stories', position: 1, url: 'https://archiveofourown.org/series/3400112' },
  ],
  publishedAt: '2023-04-05T00:00:00.000Z',
  updatedAt: '2023-06-18T00:00:00.000Z',
  completedAt: null,
  wordCount: 4321,
  chapterCount: 3,
  expectedChapters: 5,
  complete: false,
};

const CURRENT_CHAPTERS: ImportedWork['chapters'] = [
  {
    title: 'Harbour Fog',
    summary: '<p>Wren arrives at the lighthouse with the wrong charts.</p>',
    notes: '<p>The harbour is invented; please do not try to sail there.</p>',
    endNotes: '<p>Next time: a very bad breakfast.</p>',
    body: [
      '<p>The fog came in before the tide did, which Wren took as a personal insult.</p>',
      '<p>She set her case of charts on the lowest step and counted the steps above it: ninety-one, each one worn into a shallow bowl by a century of boots.</p>',
      '<p>“You’re early,” said a voice from somewhere above the fog. “Or late. Depends which ledger you keep.”</p>',
    ].join('\n'),
  },
  {
    title: '',
    summary: '',
    notes: '',
    endNotes: '',
    body: [
      '<p>Osric burned the porridge on purpose, or so he claimed.</p>',
      '<p>Wren ate it anyway and drew him a map of the kitchen with the stove marked <em>here be dragons</em>.</p>',
    ].join('\n'),
  },
  {
    title: 'Salt & Cinder',
    summary: '',
    notes: '',
    endNotes: '<p>Two more chapters to go. They are outlined, I promise.</p>',
    body: [
      '<p>Pell rowed out at dawn with a bucket of coal and a letter nobody had asked for.</p>',
      '<hr>',
      '<p>By noon the lamp was lit, the letter was ash, and the three of them were arguing about <strong>north</strong>.</p>',
    ].join('\n'),
  },
];

async function assertFormatError(promiseOrFn: Promise<unknown> | (() => unknown), pattern: RegExp) {
  const check = (err: unknown) => {
    assert.ok(err instanceof Ao3FormatError, `expected Ao3FormatError, got ${String(err)}`);
    assert.equal(err.name, 'Ao3FormatError');
    assert.match(err.message, pattern);
    return true;
  };
  if (typeof promiseOrFn === 'function') assert.throws(promiseOrFn, check);
  else await assert.rejects(promiseOrFn, check);
}

describe('parseAo3Html: fixtures', () => {
  it('reads every field of the current template (3 of 5 chapters, notes everywhere, two series)', () => {
    const work = parseAo3Html(fixture('current-template.html'));
    assert.deepEqual(metadataOf(work), CURRENT_METADATA);
    assert.deepEqual(work.chapters, CURRENT_CHAPTERS);
  });

  it('reads every field of the older template (http links, singular labels, bare chapter titles)', () => {
    const work = parseAo3Html(fixture('older-template.html'));
    assert.deepEqual(metadataOf(work), {
      sourceUrl: 'https://archiveofourown.org/works/20187412',
      title: 'La puerta del huerto',
      creators: ['ramitadeolivo'],
      summary: '<p>Inés guarda la llave del huerto. Marta no sabe que la puerta nunca estuvo cerrada.</p>',
      notes: '',
      endNotes: '<p>La serie continúa en invierno.</p>',
      rating: 'Teen And Up Audiences',
      warnings: ['Creator Chose Not To Use Archive Warnings'],
      categories: ['F/F'],
      fandoms: ['Las Crónicas del Molino', 'Molino Tales - All Media Types'],
      relationships: ['Inés Robledo/Marta Quiroga'],
      characters: ['Inés Robledo', 'Marta Quiroga'],
      freeforms: ['Orchards', 'Autumn'],
      language: 'Español',
      languageCode: 'es',
      series: [{ title: 'Estaciones', position: 3, url: 'https://archiveofourown.org/series/1299001' }],
      publishedAt: '2019-08-30T00:00:00.000Z',
      updatedAt: '2019-09-14T00:00:00.000Z',
      completedAt: '2019-09-14T00:00:00.000Z',
      wordCount: 2050,
      chapterCount: 2,
      expectedChapters: 2,
      complete: true,
    });
    assert.equal(work.chapters.length, 2);
    assert.deepEqual(
      work.chapters.map(({ body: _body, ...rest }) => rest),
      [
        {
          title: 'The Orchard Gate',
          summary: '',
          notes: '',
          endNotes: '<p>Gracias por leer hasta aquí.</p>',
        },
        { title: '', summary: '', notes: '', endNotes: '' },
      ],
    );
    assert.equal(
      text(work.chapters[0].body),
      'Las manzanas caían solas aquel septiembre, como si tuvieran prisa. Inés las recogía en el delantal y contaba en voz baja, siempre hasta doce, nunca más.',
    );
    assert.match(work.chapters[0].body, /^<p>\s*<span>Las manzanas/);
    assert.equal(
      text(work.chapters[1].body),
      'Marta llegó con una cesta vacía y la dejó junto a la puerta abierta.',
    );
  });

  it('reads every field of a one-shot (one chapter, 1/1, anonymous, Chinese)', () => {
    const work = parseAo3Html(fixture('one-shot.html'));
    assert.deepEqual(work, {
      sourceUrl: 'https://archiveofourown.org/works/51000999',
      title: '街灯',
      creators: ['Anonymous'],
      summary: '<p>雨停以后，小梅数街灯。</p>',
      notes: '',
      endNotes: '',
      rating: 'General Audiences',
      warnings: ['No Archive Warnings Apply'],
      categories: ['Gen'],
      fandoms: ['夜市物语 | Night Market Tales'],
      relationships: [],
      characters: ['小梅 (Night Market Tales)'],
      freeforms: ['Rain', 'Vignette'],
      language: '中文-普通话 國語',
      languageCode: 'zh',
      series: [],
      publishedAt: '2024-02-29T00:00:00.000Z',
      updatedAt: null,
      completedAt: '2024-02-29T00:00:00.000Z',
      wordCount: 96,
      chapterCount: 1,
      expectedChapters: 1,
      complete: true,
      chapters: [
        {
          title: '',
          summary: '',
          notes: '',
          endNotes: '',
          body: '<p>雨停了，街灯一盏一盏亮起来。</p><p>小梅站在面摊旁边，从街头数到街尾，一共十七盏。她想，明天再数一次，也许会多一盏。</p>',
        },
      ],
    });
  });

  it("takes the work URL from AO3's own lines, never from links in summaries or notes", () => {
    const html = fixture('current-template.html')
      .replace(
        '<a href="https://archiveofourown.org/works/48213377">https://archiveofourown.org/works/48213377</a>',
        'here',
      )
      .replace(
        'agree to trade lessons.',
        'agree to trade lessons (<a href="http://archiveofourown.org/works/999">prequel</a>).',
      );
    assert.equal(parseAo3Html(html).sourceUrl, 'https://archiveofourown.org/works/48213377'); // the comment link
    const noLinks = html.replace(
      /<a href="https:\/\/archiveofourown\.org\/works\/48213377\/comments\/new">/,
      '<a>',
    );
    assert.equal(parseAo3Html(noLinks).sourceUrl, null);
  });

  it('handles "?" chapter totals, no language and no stats', () => {
    const wip = parseAo3Html(fixture('current-template.html').replace('Chapters: 3/5', 'Chapters: 3/?'));
    assert.equal(wip.expectedChapters, null);
    assert.equal(wip.chapterCount, 3);
    assert.equal(wip.complete, false);

    const bare = parseAo3Html(
      fixture('one-shot.html')
        .replace(/<dt>Stats:<\/dt>\s*<dd>[\s\S]*?<\/dd>/, '')
        .replace(/<dt>Language:<\/dt>\s*<dd>[\s\S]*?<\/dd>/, ''),
    );
    assert.equal(bare.language, null);
    assert.equal(bare.languageCode, null);
    assert.equal(bare.publishedAt, null);
    assert.equal(bare.wordCount, null);
    assert.equal(bare.chapterCount, 1);
    assert.equal(bare.expectedChapters, null);
    assert.equal(bare.complete, false);
  });
});

describe('parseAo3Epub', () => {
  it('reads the Calibre-made EPUB fixture like the HTML download of the same work', async () => {
    const work = await parseAo3Epub(fixtureBytes('current-template.epub'));
    // Calibre adds classes (class="calibre9") inside the fragments; the text is the same.
    const { summary, notes, endNotes, ...rest } = metadataOf(work);
    const { summary: s, notes: n, endNotes: e, ...expected } = CURRENT_METADATA;
    assert.deepEqual(rest, expected);
    assert.deepEqual([text(summary), text(notes), text(endNotes)], [text(s), text(n), text(e)]);
    assert.equal(work.chapters.length, 3);
    work.chapters.forEach((chapter, i) => {
      const want = CURRENT_CHAPTERS[i];
      assert.equal(chapter.title, want.title);
      for (const key of ['summary', 'notes', 'endNotes', 'body'] as const) {
        assert.equal(text(chapter[key]), text(want[key]), `chapter ${i + 1} ${key}`);
      }
    });
    // Chapter 1 is split over two files; chapter 2 starts mid-file. No Calibre page-break or heading junk.
    assert.match(work.chapters[0].body, /personal insult\.<\/p>[\s\S]*ninety-one[\s\S]*ledger you keep/);
    for (const chapter of work.chapters)
      assert.doesNotMatch(chapter.body, /calibre_pb|<h2|Chapter End Notes/);
    // XHTML's self-closed <a id="dawn"/> stays empty instead of swallowing the paragraph.
    assert.match(work.chapters[2].body, /<a id="dawn"><\/a>Pell rowed out/);
  });

  it('falls back to the OPF for the work URL, creators and language code', async () => {
    const entries = ao3EpubEntries().map((entry): ZipEntryInput => {
      if (typeof entry.data !== 'string' || !entry.name.endsWith('.xhtml')) return entry;
      const data = entry.data
        .replace(/<a href="https:\/\/archiveofourown\.org\/works\/[^"]*"[^>]*>[^<]*<\/a>/g, 'the archive')
        .replace(/<div class="byline">[\s\S]*?<\/div>/, '')
        .replace(/<dt class="calibre5">Language:<\/dt>\s*<dd class="calibre6">English<\/dd>/, '');
      return { ...entry, data };
    });
    const work = await parseAo3Epub(await buildZip(entries));
    assert.equal(work.sourceUrl, 'https://archiveofourown.org/works/48213377'); // dc:source
    assert.deepEqual(work.creators, ['inkmoth', 'Fern (quillfern)']); // dc:creator
    assert.equal(work.language, null);
    assert.equal(work.languageCode, 'en'); // dc:language
  });

  it('rejects a zip bomb: a 200 MB entry that deflates to almost nothing', async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    const zeros = () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < 200; i++) yield chunk;
        })(),
      );
    const entries = ao3EpubEntries();
    entries.splice(7, 1, { name: `${BASE}_split_001.xhtml`, data: zeros });
    const bomb = await buildZip(entries);
    assert.ok(bomb.length < 2 * 1024 * 1024, `the bomb is small on disk (${bomb.length} bytes)`);
    await assertFormatError(parseAo3Epub(bomb), /more than 52428800 bytes uncompressed \(zip bomb\?\)/);
    assert.equal(DEFAULT_MAX_UNCOMPRESSED_BYTES, 50 * 1024 * 1024);

    // The same entry, its declared size forged down to 1,000 bytes: inflating stops at the real size check.
    const forged = Buffer.from(bomb);
    const name = Buffer.from(`${BASE}_split_001.xhtml`);
    const centralName = forged.lastIndexOf(name);
    const header = centralName - 46;
    assert.equal(forged.readUInt32LE(header), 0x02014b50, 'central directory header found');
    forged.writeUInt32LE(1000, header + 24);
    await assertFormatError(parseAo3Epub(forged), /corrupt zip|zip bomb/);
  });

  it('rejects archives with too many entries', async () => {
    assert.equal(DEFAULT_MAX_ENTRIES, 10_000);
    const epub = fixtureBytes('current-template.epub');
    await assertFormatError(parseAo3Epub(epub, { maxEntries: 5 }), /11 zip entries \(the limit is 5\)/);
    const work = await parseAo3Epub(epub, { maxEntries: 11, maxUncompressedBytes: 20_000 });
    assert.equal(work.chapters.length, 3);
    await assertFormatError(parseAo3Epub(epub, { maxUncompressedBytes: 5_000 }), /zip bomb/);
  });

  it('ignores entries and manifest items that point outside the archive', async () => {
    const evil = xhtml(
      '<div id="chapters"><div class="meta group"><h2 class="heading">Chapter 9: Evil</h2></div><div class="userstuff"><p>EVIL TEXT</p></div></div>',
    );
    // yazl refuses unsafe names, so write same-length placeholders and patch the bytes afterwards.
    const patch = (zip: Buffer, from: string, to: string) => {
      assert.equal(from.length, to.length);
      let at = zip.indexOf(from);
      assert.ok(at >= 0);
      while (at >= 0) {
        zip.write(to, at, 'latin1');
        at = zip.indexOf(from, at + 1);
      }
    };
    const spine = [0, 1, 2, 3].map((i) => `${BASE}_split_00${i}.xhtml`);
    const withEvil = ao3EpubEntries().map((entry) =>
      entry.name === 'content.opf'
        ? {
            ...entry,
            data: opf([
              ...spine,
              '../evil.xhtml',
              '/abs.xhtml',
              'OEBPS/../../evil.xhtml',
              `${BASE}_split_004.xhtml`,
            ]),
          }
        : entry,
    );
    withEvil.push({ name: 'zz/evil.xhtml', data: evil }, { name: 'Zabs.xhtml', data: evil });
    const zip = await buildZip(withEvil);
    patch(zip, 'zz/evil.xhtml', '../evil.xhtml');
    patch(zip, 'Zabs.xhtml', '/abs.xhtml');
    const work = await parseAo3Epub(zip);
    assert.equal(work.chapters.length, 3);
    assert.ok(!JSON.stringify(work).includes('EVIL'));

    // Without an OPF every XHTML file is read in name order: the unsafe ones must still be skipped.
    const noOpf = ao3EpubEntries().filter((e) => !['content.opf', 'META-INF/container.xml'].includes(e.name));
    noOpf.push({ name: 'zz/evil.xhtml', data: evil }, { name: 'Zabs.xhtml', data: evil });
    const zip2 = await buildZip(noOpf);
    patch(zip2, 'zz/evil.xhtml', '../evil.xhtml');
    patch(zip2, 'Zabs.xhtml', '/abs.xhtml');
    const work2 = await parseAo3Epub(zip2);
    assert.equal(work2.title, "The Cartographer's Lantern");
    assert.equal(work2.chapters.length, 3);
    assert.ok(!JSON.stringify(work2).includes('EVIL'));
  });

  it('turns broken and foreign archives into Ao3FormatError', async () => {
    const epub = fixtureBytes('current-template.epub');
    await assertFormatError(parseAo3Epub(epub.subarray(0, epub.length - 200)), /unreadable zip|corrupt zip/);
    await assertFormatError(parseAo3Epub(Buffer.from('not a zip at all')), /unreadable zip/);
    const plain = await buildZip([
      { name: 'mimetype', data: 'application/epub+zip', store: true },
      { name: 'META-INF/container.xml', data: CONTAINER_XML },
      { name: 'content.opf', data: opf(['book.xhtml']) },
      { name: 'book.xhtml', data: xhtml('<h1>A novel</h1><p>Not from AO3.</p>') },
    ]);
    await assertFormatError(parseAo3Epub(plain), /no meta block/);
    const empty = await buildZip([{ name: 'mimetype', data: 'application/epub+zip', store: true }]);
    await assertFormatError(parseAo3Epub(empty), /no readable XHTML/);
  });
});

describe('malformed HTML', () => {
  it('reports a download truncated mid-chapter', () => {
    assert.throws(
      () => parseAo3Html(fixture('truncated.html')),
      (err: unknown) =>
        err instanceof Ao3FormatError &&
        /truncated\?\): Stats say 3 chapters but 2 were found/.test(err.message),
    );
  });

  it('reports a missing meta block, title, chapters or afterword', async () => {
    const html = fixture('current-template.html');
    await assertFormatError(
      () => parseAo3Html(fixture('not-ao3.html')),
      /not an AO3 download: no meta block/,
    );
    await assertFormatError(() => parseAo3Html(''), /empty file/);
    await assertFormatError(
      () => parseAo3Html(html.slice(0, html.indexOf('<div class="meta">'))),
      /no meta block/,
    );
    await assertFormatError(() => parseAo3Html(html.slice(0, html.indexOf('<h1>'))), /no chapters section/);
    await assertFormatError(
      () => parseAo3Html(html.replace(/<h1>.*<\/h1>/, '').replace(/<b>.*<\/b>/, '')),
      /no work title/,
    );
    await assertFormatError(
      () => parseAo3Html(html.replace(/<div id="afterword">[\s\S]*<\/div>/, '')),
      /afterword section is missing/,
    );
  });

  it('never fails with anything but Ao3FormatError, whatever the cut', () => {
    for (const name of ['current-template.html', 'older-template.html', 'one-shot.html']) {
      const html = fixture(name);
      for (let end = 0; end <= html.length; end += 53) {
        try {
          parseAo3Html(html.slice(0, end));
        } catch (err) {
          assert.ok(err instanceof Ao3FormatError, `${name} cut at ${end}: ${String(err)}`);
        }
      }
    }
    assert.throws(() => parseAo3HtmlBytes(Buffer.from([0, 159, 146, 150, 255, 0, 1])), Ao3FormatError);
  });
});

describe('parseAo3HtmlBytes: encodings', () => {
  const encode1252 = (s: string) => {
    const special: Record<string, number> = { '“': 0x93, '”': 0x94, '’': 0x92, '—': 0x97, '€': 0x80 };
    return Buffer.from([...s].map((c) => special[c] ?? c.charCodeAt(0)));
  };
  const older = fixture('older-template.html').replace('cerrada.</p>', 'cerrada. “Ya” — 5 €.</p>');

  it('honours a declared windows-1252 charset', () => {
    const work = parseAo3HtmlBytes(
      encode1252(older.replace('<meta charset="utf-8"/>', '<meta charset="windows-1252"/>')),
    );
    assert.equal(work.language, 'Español');
    assert.deepEqual(work.fandoms, ['Las Crónicas del Molino', 'Molino Tales - All Media Types']);
    assert.match(work.summary, /cerrada\. “Ya” — 5 €\./);
  });

  it('falls back to windows-1252 when undeclared or mislabelled bytes are not UTF-8', () => {
    for (const html of [older.replace('<meta charset="utf-8"/>', ''), older]) {
      const work = parseAo3HtmlBytes(encode1252(html));
      assert.equal(work.title, 'La puerta del huerto');
      assert.equal(work.language, 'Español');
      assert.match(work.summary, /Inés guarda/);
    }
  });

  it('reads UTF-8 with and without a BOM, and UTF-16 with a BOM', () => {
    const oneShot = fixture('one-shot.html');
    const plain = parseAo3HtmlBytes(Buffer.from(oneShot, 'utf8'));
    const bom = parseAo3HtmlBytes(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(oneShot, 'utf8')]),
    );
    const utf16 = parseAo3HtmlBytes(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(oneShot, 'utf16le')]),
    );
    assert.deepEqual(bom, plain);
    assert.deepEqual(utf16, plain);
    assert.equal(plain.title, '街灯');
  });
});

describe('sniffAo3Download', () => {
  it('tells AO3 HTML and EPUB downloads from other files', async () => {
    assert.equal(sniffAo3Download('a.html', fixtureBytes('current-template.html')), 'html');
    assert.equal(sniffAo3Download('b.htm', fixtureBytes('older-template.html')), 'html');
    assert.equal(sniffAo3Download('noext', fixtureBytes('one-shot.html')), 'html');
    assert.equal(sniffAo3Download('t.html', fixtureBytes('truncated.html')), 'html'); // parsing reports the cut
    assert.equal(sniffAo3Download('r.html', fixtureBytes('not-ao3.html')), null);
    assert.equal(sniffAo3Download('c.epub', fixtureBytes('current-template.epub')), 'epub');
    assert.equal(sniffAo3Download('download.bin', fixtureBytes('current-template.epub')), 'epub');
    const zip = await buildZip([{ name: 'notes.txt', data: 'hello' }]);
    assert.equal(sniffAo3Download('archive.zip', zip), null);
    assert.equal(sniffAo3Download('archive.epub', zip), 'epub');
    assert.equal(sniffAo3Download('empty.html', Buffer.alloc(0)), null);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(fixture('one-shot.html'), 'utf16le'),
    ]);
    assert.equal(sniffAo3Download('wide.html', utf16), 'html');
  });
});

describe('helpers', () => {
  it('maps AO3 language names to BCP 47 codes', () => {
    const cases: [string, string | null][] = [
      ['English', 'en'],
      ['Español', 'es'],
      ['Français', 'fr'],
      ['Deutsch', 'de'],
      ['中文', 'zh'],
      ['中文-普通话 國語', 'zh'],
      ['中文-广东话 粵語', 'yue'],
      ['日本語', 'ja'],
      ['한국어', 'ko'],
      ['Русский', 'ru'],
      ['Português brasileiro', 'pt-BR'],
      ['Português europeu', 'pt-PT'],
      ['Bahasa Indonesia', 'id'],
      ['tlhIngan-Hol', 'tlh'],
      ['en', 'en'],
      ['pt_br', 'pt-BR'],
      ['Klingonish Nonsense', null],
      ['', null],
    ];
    for (const [name, code] of cases) assert.equal(languageCodeFor(name), code, name);
  });

  it('strips "Chapter N: " from chapter headings', () => {
    assert.equal(chapterTitle('Chapter 1: Harbour Fog'), 'Harbour Fog');
    assert.equal(chapterTitle('Chapter 12:   Colon: Inside'), 'Colon: Inside');
    assert.equal(chapterTitle('Chapter 2'), '');
    assert.equal(chapterTitle('Chapter 2:'), '');
    assert.equal(chapterTitle('The Orchard Gate'), 'The Orchard Gate');
    assert.equal(chapterTitle('Chapter One'), 'Chapter One');
  });

  it('normalises AO3 URLs to https on the canonical host', () => {
    assert.equal(
      normaliseAo3Url('http://archiveofourown.org/works/123'),
      'https://archiveofourown.org/works/123',
    );
    assert.equal(
      normaliseAo3Url('https://www.archiveofourown.org/works/123/chapters/456#main'),
      'https://archiveofourown.org/works/123',
    );
    assert.equal(normaliseAo3Url('http://ao3.org/series/77'), 'https://archiveofourown.org/series/77');
    assert.equal(normaliseAo3Url('https://example.net/works/5'), 'https://example.net/works/5');
  });
});

const REFERENCE = '/work/shared/reference/ao3-downloads';
const referenceMissing = !existsSync(REFERENCE) && 'the reference downloads are not on this machine';
const reference = (name: string) => parseAo3Html(readFileSync(`${REFERENCE}/${name}`, 'utf8'));
const GALACTIC_HEROES = 'Ginga Eiyuu Densetsu | Legend of the Galactic Heroes';
const WHEEL = { title: 'A Wheel Inside a Wheel', url: 'https://archiveofourown.org/series/1650067' };

describe('real AO3 downloads (older template)', { skip: referenceMissing }, () => {
  it('A Funeral Shroud for Laertes: one chapter, no summary', () => {
    const work = reference('A Funeral Shroud for.html');
    assert.equal(
      work.title,
      'A Funeral Shroud for Laertes - A Preface to the Third Edition of A Wheel Inside a Wheel',
    );
    assert.equal(work.sourceUrl, 'https://archiveofourown.org/works/35152225');
    assert.deepEqual(work.creators, ['natsinator']);
    assert.equal(work.rating, 'General Audiences');
    assert.deepEqual(work.warnings, ['No Archive Warnings Apply']);
    assert.deepEqual(work.categories, ['Gen']);
    assert.deepEqual(work.fandoms, [GALACTIC_HEROES]);
    assert.deepEqual(work.relationships, []);
    assert.deepEqual(work.characters, ['Author - Character']);
    assert.deepEqual(work.freeforms, ['Post-Canon', 'length: short story', 'series: A Wheel Inside a Wheel']);
    assert.equal(work.language, 'English');
    assert.equal(work.languageCode, 'en');
    assert.deepEqual(work.series, [{ ...WHEEL, position: 1 }]);
    assert.equal(work.publishedAt, '2021-11-16T00:00:00.000Z');
    assert.equal(work.updatedAt, null);
    assert.equal(work.wordCount, 1180);
    assert.equal(work.chapterCount, 1);
    assert.equal(work.expectedChapters, 1);
    assert.equal(work.complete, true);
    assert.equal(work.summary, '');
    assert.equal(work.chapters.length, 1);
    assert.equal(work.chapters[0].title, '');
    assert.match(
      work.chapters[0].body,
      /^<p align="center">\s*<strong>A Funeral Shroud for Laertes<\/strong>/,
    );
    assert.match(work.chapters[0].body, /Odin Historical Society Press\.<\/span>\s*<\/em>\s*<\/p>$/);
  });

  it('First as Farce: summary and end notes, completed the day after posting', () => {
    const work = reference('First as Farce.html');
    assert.equal(work.title, 'First as Farce');
    assert.equal(work.sourceUrl, 'https://archiveofourown.org/works/37317859');
    assert.deepEqual(work.creators, ['natsinator']);
    assert.equal(work.rating, 'Teen And Up Audiences');
    assert.deepEqual(work.warnings, ['Creator Chose Not To Use Archive Warnings']);
    assert.deepEqual(work.categories, ['M/M']);
    assert.deepEqual(work.fandoms, [GALACTIC_HEROES]);
    assert.deepEqual(work.relationships, ['Martin Bufholtz/Siegfried Kircheis']);
    assert.deepEqual(work.characters, [
      'Martin Bufholtz',
      'Siegfried Kircheis',
      'Dietrich Bronner (A Wheel Inside a Wheel)',
    ]);
    assert.deepEqual(work.freeforms, [
      'Screenplay/Script Format',
      'Enable work skin',
      "this is extremely fucking meta and I'm sorry in advance",
      'recommend reading on desktop rather than mobile',
      'or turn your phone to landscape mode 😔',
      'length: short story',
      'series: A Wheel Inside a Wheel',
    ]);
    assert.equal(work.language, 'English');
    assert.deepEqual(work.series, [{ ...WHEEL, position: 11 }]);
    assert.equal(work.publishedAt, '2022-02-22T00:00:00.000Z');
    assert.equal(work.updatedAt, '2022-02-23T00:00:00.000Z');
    assert.equal(work.completedAt, '2022-02-23T00:00:00.000Z');
    assert.equal(work.wordCount, 1719);
    assert.equal(work.chapterCount, 1);
    assert.equal(work.complete, true);
    assert.match(work.summary, /^<p>Almost by coincidence, Rear Admiral Bronner/);
    assert.equal(work.notes, '');
    assert.match(work.endNotes, /^<p>I'm sorry I know this is literally unhinged\./);
    assert.equal(work.chapters.length, 1);
    assert.match(work.chapters[0].body, /^<p class="charname">DRAMATIS PERSONAE<\/p>/);
  });

  it('Keep the Home Fires (Burning): three chapters with chapter end notes', () => {
    const work = reference('Keep the Home Fires.html');
    assert.equal(work.title, 'Keep the Home Fires (Burning)');
    assert.equal(work.sourceUrl, 'https://archiveofourown.org/works/29811993');
    assert.deepEqual(work.creators, ['natsinator']);
    assert.equal(work.rating, 'Teen And Up Audiences');
    assert.deepEqual(work.warnings, ['Creator Chose Not To Use Archive Warnings']);
    assert.deepEqual(work.categories, ['F/M', 'M/M', 'Multi']);
    assert.deepEqual(work.fandoms, [GALACTIC_HEROES]);
    assert.deepEqual(work.relationships, [
      'Oskar von Reuenthal/Yang Wenli',
      'Wolfgang Mittermeyer/Oskar von Reuenthal',
      'Magdalena von Westfalen/Yang Wenli',
      'Evangelin Mittermeyer/Wolfgang Mittermeyer',
    ]);
    assert.equal(work.characters.length, 11);
    assert.deepEqual(work.characters.slice(0, 3), [
      'Yang Wenli',
      'Franz von Mariendorf',
      'Hildegard von Mariendorf',
    ]);
    assert.equal(work.characters[10], 'Magdalena von Westfalen');
    assert.deepEqual(work.freeforms, [
      "Reuenthal's Problems Syndrome",
      'This Whole Thing Smacks Of Gender',
      'Infidelity',
      'Past Child Abuse',
      'Family Issues',
      'Crossdressing',
      'length: novella',
      'series: A Wheel Inside a Wheel',
    ]);
    assert.equal(work.language, 'English');
    assert.deepEqual(work.series, [{ ...WHEEL, position: 7 }]);
    assert.equal(work.publishedAt, '2021-03-03T00:00:00.000Z');
    assert.equal(work.wordCount, 32900);
    assert.equal(work.chapterCount, 3);
    assert.equal(work.expectedChapters, 3);
    assert.equal(work.complete, true);
    assert.match(work.summary, /^<p>Three soldiers\. Two bodies to be buried\. One haunted house\.<\/p>/);
    assert.match(work.notes, /Up the Wolves/);
    assert.match(work.endNotes, /^<p>Title of this fic is from/);
    assert.deepEqual(
      work.chapters.map((c) => c.title),
      [
        'With Your Grandfather in the Ground',
        'The Family and the Fishing Net',
        'Oskar von Reuenthal Was Born Innocent',
      ],
    );
    for (const chapter of work.chapters) {
      assert.ok(text(chapter.body).length > 10_000, `${chapter.title} has its text`);
      assert.equal(chapter.notes, ''); // "Chapter Notes" only links to the end notes
      assert.match(chapter.endNotes, /^<p>chapter title (is )?from <a /);
      assert.doesNotMatch(chapter.body, /Chapter End Notes|endnote-link|class="heading"/);
    }
    assert.match(work.chapters[0].body, /June 486 I\.C\., Odin/);
    assert.match(
      work.chapters[2].body,
      /walked back into the darkness of his father’s house\.<\/span>\s*<\/p>$/,
    );
  });
});
