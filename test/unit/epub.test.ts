import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'cheerio';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildSeriesEpub, buildWorkEpub, chapterHeading } from '../../src/formats/epub.ts';
import type { WorkDocument } from '../../src/formats/workDocument.ts';
import { longWork, oneChapterWork, sampleSeries } from '../fixtures/sampleWorks.ts';
import { assertClean, epubcheck, unzip, type ZipContent } from '../support/epubFiles.ts';

const opfParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['dc:creator', 'dc:subject', 'dc:language', 'meta', 'item', 'itemref'].includes(name),
});

type XmlValue = string | { '#text'?: string; [attribute: string]: unknown };
const text = (value: XmlValue): string => (typeof value === 'string' ? value : (value['#text'] ?? ''));

interface Opf {
  metadata: {
    'dc:identifier': XmlValue;
    'dc:title': XmlValue;
    'dc:creator': XmlValue[];
    'dc:language': XmlValue[];
    'dc:subject': XmlValue[];
    'dc:source': XmlValue;
    'dc:publisher': XmlValue;
    'dc:description'?: XmlValue;
    'dc:date': XmlValue;
    meta: Record<string, string>[];
  };
  manifest: { item: Record<string, string>[] };
  spine: { itemref: Record<string, string>[] };
}

function readOpf(content: ZipContent): Opf {
  const container = content.files.get('META-INF/container.xml');
  assert.ok(container, 'META-INF/container.xml is missing');
  const rootfile = /full-path="([^"]+)"/.exec(container)?.[1];
  assert.ok(rootfile, 'container.xml names no package document');
  const xml = content.files.get(rootfile);
  assert.ok(xml, `${rootfile} is missing`);
  assert.equal(XMLValidator.validate(xml), true, 'the package document is not well-formed XML');
  return (opfParser.parse(xml) as { package: Opf }).package;
}

function metaContent(opf: Opf, name: string): string | undefined {
  return opf.metadata.meta.find((meta) => meta['@_name'] === name)?.['@_content'];
}

function metaProperty(opf: Opf, property: string): string[] {
  return opf.metadata.meta.filter((meta) => meta['@_property'] === property).map((meta) => text(meta));
}

/** The labels of the nav document's table of contents, in order, with their nesting depth. */
function navEntries(content: ZipContent): { label: string; href: string; depth: number }[] {
  const nav = content.files.get('EPUB/nav.xhtml');
  assert.ok(nav, 'nav.xhtml is missing');
  const $ = load(nav, { xml: true });
  return $('nav#toc a')
    .toArray()
    .map((anchor) => ({
      label: $(anchor).text(),
      href: $(anchor).attr('href') ?? '',
      depth: $(anchor).parents('ol').length,
    }));
}

const allTags = (work: WorkDocument) => [
  work.rating,
  ...work.warnings,
  ...work.categories,
  ...work.fandoms,
  ...work.relationships,
  ...work.characters,
  ...work.freeforms,
];

describe('EPUB export', () => {
  let dir: string;
  const built: Record<'one' | 'long' | 'series', { buffer: Buffer; file: string; content: ZipContent }> =
    Object.create(null);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'quire-epub-'));
    const buffers = {
      one: await buildWorkEpub(oneChapterWork()),
      long: await buildWorkEpub(longWork()),
      series: await buildSeriesEpub(sampleSeries()),
    };
    for (const [name, buffer] of Object.entries(buffers) as [keyof typeof buffers, Buffer][]) {
      const file = path.join(dir, `${name}.epub`);
      await writeFile(file, buffer);
      built[name] = { buffer, file, content: await unzip(buffer) };
    }
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes epubcheck with no fatals, errors or warnings', async () => {
    const reports = await Promise.all(
      (['one', 'long', 'series'] as const).map(
        async (name) => [name, await epubcheck(built[name].file)] as const,
      ),
    );
    for (const [name, report] of reports) assertClean(report, name);
  });

  it('starts with a stored mimetype entry, then the container', () => {
    for (const { content } of Object.values(built)) {
      const [first, second] = content.entries;
      assert.equal(first.fileName, 'mimetype');
      assert.equal(first.compressionMethod, 0, 'mimetype must be stored, not deflated');
      assert.equal(first.extraFieldLength, 0, 'mimetype must have no extra field');
      assert.equal(content.files.get('mimetype'), 'application/epub+zip');
      assert.equal(second.fileName, 'META-INF/container.xml');
    }
  });

  it('writes every XML file well-formed', () => {
    for (const { content } of Object.values(built)) {
      for (const [name, data] of content.files) {
        if (!/\.(xhtml|opf|ncx|svg|xml)$/.test(name)) continue;
        assert.equal(XMLValidator.validate(data), true, `${name} is not well-formed`);
      }
    }
  });

  it('describes the work in the package document', () => {
    const work = longWork();
    const opf = readOpf(built.long.content);
    const { metadata } = opf;
    assert.equal(text(metadata['dc:title']), work.title);
    assert.equal(text(metadata['dc:title']), 'Ink & Ashes <or, "The Keeper\'s Letters">');
    assert.deepEqual(
      metadata['dc:creator'].map(text),
      work.creators.map((creator) => creator.name),
    );
    assert.deepEqual(metadata['dc:language'].map(text), ['en']);
    assert.equal(text(metadata['dc:source']), work.url);
    assert.equal(text(metadata['dc:publisher']), work.archiveName);
    assert.equal(text(metadata['dc:date']), '2023-11-05T18:00:00Z');
    assert.deepEqual(metaProperty(opf, 'dcterms:modified'), ['2024-07-01T08:00:07Z']);
    assert.match(
      text(metadata['dc:identifier']),
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const description = text(metadata['dc:description'] ?? '');
    assert.match(description, /^Letters found in a lighthouse/);
    assert.doesNotMatch(description, /<p>/);
    const subjects = metadata['dc:subject'].map(text);
    for (const tag of allTags(work)) assert.ok(subjects.includes(tag), `subject ${tag} is missing`);
    assert.ok(subjects.includes('Zoë Marchetti/Ito Haruka & Mara Quill'));

    assert.equal(metaContent(opf, 'calibre:series'), 'Lantern Coast Stories & Sketches');
    assert.equal(metaContent(opf, 'calibre:series_index'), '2');
    assert.deepEqual(metaProperty(opf, 'belongs-to-collection'), [
      'Lantern Coast Stories & Sketches',
      'Letters <Collected>',
    ]);
    assert.deepEqual(metaProperty(opf, 'collection-type'), ['series', 'series']);
    assert.deepEqual(metaProperty(opf, 'group-position'), ['2', '1']);

    const cover = opf.manifest.item.find((item) => item['@_properties'] === 'cover-image');
    assert.equal(cover?.['@_href'], 'cover.svg');
    assert.equal(cover?.['@_media-type'], 'image/svg+xml');
    assert.ok(opf.manifest.item.some((item) => item['@_properties'] === 'nav'));
  });

  it('uses a stable identifier derived from the URL', async () => {
    const one = readOpf(built.one.content);
    const again = readOpf(await unzip(await buildWorkEpub(oneChapterWork())));
    const other = readOpf(built.long.content);
    assert.equal(text(one.metadata['dc:identifier']), text(again.metadata['dc:identifier']));
    assert.notEqual(text(one.metadata['dc:identifier']), text(other.metadata['dc:identifier']));
  });

  it('produces the same bytes for the same input, whatever the time zone', async () => {
    const previous = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      const west = await buildWorkEpub(longWork());
      process.env.TZ = 'Asia/Tokyo';
      const east = await buildWorkEpub(longWork());
      assert.ok(west.equals(east), 'EPUB bytes differ between time zones');
      assert.ok(west.equals(built.long.buffer), 'EPUB bytes differ from the first build');
      const changed = longWork();
      changed.revisedAt = '2024-07-02T08:00:00.000Z';
      assert.ok(!(await buildWorkEpub(changed)).equals(east), 'a new revision must change the bytes');
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
    assert.ok((await buildSeriesEpub(sampleSeries())).equals(built.series.buffer));
  });

  it('lists every chapter in order in the nav and the NCX', () => {
    const work = longWork();
    const headings = work.chapters.map((chapter) => chapterHeading(work, chapter));
    assert.equal(headings[2], 'Chapter 3: 潮騒 (The Sound of the Tide)');
    assert.equal(headings[4], 'Chapter 5: <Unsent>');
    assert.equal(headings[6], 'Chapter 7');
    const entries = navEntries(built.long.content);
    assert.deepEqual(
      entries.map((entry) => entry.label),
      ['Preface', ...headings, 'Afterword'],
    );
    for (const entry of entries) assert.ok(built.long.content.files.has(`EPUB/${entry.href}`), entry.href);
    const ncx = built.long.content.files.get('EPUB/toc.ncx') ?? '';
    const $ = load(ncx, { xml: true });
    assert.deepEqual(
      $('navLabel > text')
        .toArray()
        .map((node) => $(node).text()),
      ['Preface', ...headings, 'Afterword'],
    );
    assert.equal(
      $('meta[name="dtb:uid"]').attr('content'),
      text(readOpf(built.long.content).metadata['dc:identifier']),
    );
  });

  it('titles the only chapter of a one-chapter work with the work title', () => {
    const work = oneChapterWork();
    assert.deepEqual(
      navEntries(built.one.content).map((entry) => entry.label),
      ['Preface', work.title, 'Afterword'],
    );
    const chapter = built.one.content.files.get('EPUB/chapter-001.xhtml') ?? '';
    assert.match(chapter, /<h2 class="heading">The Kettle at Gull Point<\/h2>/);
    assert.doesNotMatch(chapter, /Chapter 1/);
  });

  it('has a cover, a title page with the metadata block and an afterword linking back', () => {
    const work = longWork();
    const files = built.long.content.files;
    assert.match(files.get('EPUB/cover.svg') ?? '', /Ink &amp; Ashes &lt;or,/);
    assert.match(files.get('EPUB/cover.xhtml') ?? '', /<img src="cover.svg"/);
    const $ = load(files.get('EPUB/title.xhtml') ?? '', { xml: true });
    assert.equal($('h1.title').text(), work.title);
    const field = (name: string) => $(`dd.${name}`).text();
    assert.equal(field('rating'), 'Teen And Up Audiences');
    assert.equal(field('categories'), 'F/F, Gen');
    assert.equal(field('fandoms'), 'The Lantern Coast (Original Work), Ink & Salt Universe');
    assert.equal(field('relationships'), 'Zoë Marchetti/Ito Haruka & Mara Quill, Zoë Marchetti & Mara Quill');
    assert.equal(field('freeforms'), 'Epistolary, Slow Burn, Tags with <angle brackets> & "quotes"');
    assert.equal(field('language'), 'English');
    assert.equal(
      field('series'),
      'Part 2 of Lantern Coast Stories & Sketches, Part 1 of Letters <Collected>',
    );
    assert.match(
      field('stats'),
      /Published: 2023-11-05 · Updated: 2024-06-30 · Words: [\d,]+ · Chapters: 13\/\?/,
    );
    assert.match(field('stats'), /Kudos: 1,234 · Comments: 56 · Bookmarks: 78 · Hits: 98,765/);
    assert.match($('#summary').text(), /answered forty years late/);
    assert.match($('#notes').text(), /neap/);
    assert.equal($('a[href="chapter-013.xhtml#work-endnotes"]').length, 1);

    const last = load(files.get('EPUB/chapter-013.xhtml') ?? '', { xml: true });
    assert.match(last('#work-endnotes').text(), /The tide tables are invented/);
    const afterword = files.get('EPUB/afterword.xhtml') ?? '';
    assert.match(
      afterword,
      /Posted originally on Quire Test Archive at <a href="https:\/\/fic.example.org\/works\/42">/,
    );
    assert.match(afterword, /kudos or a comment/);
    assert.equal(
      load(files.get('EPUB/title.xhtml') ?? '', { xml: true })('p.message a').attr('href'),
      work.url,
    );
    assert.ok(one(files, 'chapter-002.xhtml').includes('Chapter 2: Salt &amp; Vinegar'));
  });

  it('turns the sanitised HTML into valid XHTML', () => {
    const files = built.long.content.files;
    const chapter = one(files, 'chapter-008.xhtml');
    for (const [name, data] of files) {
      if (!name.endsWith('.xhtml')) continue;
      assert.doesNotMatch(data, /\salign=/, `${name} keeps an align attribute`);
      assert.doesNotMatch(data, /&(nbsp|hellip|eacute|copy|mdash);/, `${name} keeps a named entity`);
      assert.doesNotMatch(data, /<(center|big|tt|strike|acronym)\b/, `${name} keeps an obsolete element`);
      if (name !== 'EPUB/cover.xhtml') assert.doesNotMatch(data, /<img\b/, `${name} keeps a remote image`);
    }
    assert.match(chapter, /<p class="align-center">\* \* \*<\/p>/);
    assert.match(chapter, /<div class="center">The Ledger of Gull Point &amp; Environs<\/div>/);
    assert.match(chapter, /<td class="align-center" colspan="2">Fog all week<\/td>/);
    assert.match(
      chapter,
      /<a class="image-link" href="https:\/\/images.example.net\/lighthouse-sketch.png">\[image: a pencil sketch of the lighthouse\]<\/a>/,
    );
    assert.match(chapter, /Two&#160;spaces/);
    assert.match(chapter, /Raw&#160;entities: café … © &amp; &lt;tag&gt; — done\./);
    assert.match(chapter, /<a href="#fn1">the footnote<\/a>/);
    assert.match(chapter, /<a id="fn1">1\.<\/a>/);
    assert.match(chapter, /href="https:\/\/fic.example.org\/works\/1"/);
    assert.match(chapter, /<div class="x-span"><p>A paragraph the paste wrapped in a span.<\/p>/);
    assert.match(chapter, /<ul><li>A list item that lost its list<\/li>/);
    const japanese = one(files, 'chapter-003.xhtml');
    assert.match(japanese, /「おかえりなさい」と遥は言った。/);
  });

  it('strips characters XML cannot hold from metadata', async () => {
    const work = oneChapterWork();
    work.title = 'Bell\u0007 & <Tab>\u0000';
    work.freeforms = ['Form\u000cfeed'];
    const content = await unzip(await buildWorkEpub(work));
    const opf = readOpf(content);
    assert.equal(text(opf.metadata['dc:title']), 'Bell & <Tab>');
    assert.ok(opf.metadata['dc:subject'].map(text).includes('Formfeed'));
  });

  it('converts text nested tens of thousands of levels deep, as stored before the depth cap', async () => {
    const work = longWork();
    work.chapters[0].body = `${'<div>'.repeat(50_000)}<p>Fathoms down.</p>${'</div>'.repeat(50_000)}`;
    work.chapters[1].body = `${'<b>'.repeat(60_000)}Bold to the bottom.`;
    work.chapters[2].body = `${'<table><tr><td>'.repeat(9000)}A cell in a cell.`;
    const { files } = await unzip(await buildWorkEpub(work));
    assert.match(one(files, 'chapter-001.xhtml'), /Fathoms down\./);
    assert.match(one(files, 'chapter-002.xhtml'), /Bold to the bottom./);
    assert.match(one(files, 'chapter-003.xhtml'), /A cell in a cell./);
    for (const chapter of ['chapter-001.xhtml', 'chapter-002.xhtml', 'chapter-003.xhtml']) {
      assert.equal(XMLValidator.validate(one(files, chapter)), true, chapter);
    }
  });

  it('bundles a series as one book, each work with its title page and chapters', () => {
    const series = sampleSeries();
    const opf = readOpf(built.series.content);
    assert.equal(text(opf.metadata['dc:title']), series.title);
    assert.deepEqual(opf.metadata['dc:creator'].map(text), ['saltwater_scribe', 'mara_q']);
    assert.deepEqual(opf.metadata['dc:language'].map(text), ['en', 'en-GB']);
    assert.equal(text(opf.metadata['dc:source']), series.url);
    assert.deepEqual(metaProperty(opf, 'dcterms:modified'), ['2024-05-02T12:00:00Z']);
    const subjects = opf.metadata['dc:subject'].map(text);
    for (const tag of series.works.flatMap(allTags)) assert.ok(subjects.includes(tag), tag);

    const entries = navEntries(built.series.content);
    const second = series.works[1];
    assert.deepEqual(
      entries.map((entry) => [entry.depth, entry.label]),
      [
        [1, series.title],
        [1, 'Before the Light'],
        [1, 'Tide & Time'],
        ...second.chapters.map((chapter) => [2, chapterHeading(second, chapter)]),
        [1, 'After <Everything>'],
        [2, 'Chapter 1: Shore'],
        [2, 'Chapter 2: Harbour'],
        [1, 'Afterword'],
      ],
    );
    const spine = opf.spine.itemref.map((item) => item['@_idref']);
    assert.deepEqual(spine.slice(0, 5), [
      'cover',
      'series',
      'part-01-title',
      'part-01-chapter-001',
      'part-02-title',
    ]);
    const files = built.series.content.files;
    const titlePage = load(one(files, 'part-02-title.xhtml'), { xml: true });
    assert.equal(titlePage('h1.title').text(), 'Tide & Time');
    assert.equal(titlePage('dd.series').text(), 'Part 2 of Lantern Coast Stories & Sketches');
    assert.match(titlePage('dd.stats').text(), /Chapters: 3\/5/);
    assert.match(one(files, 'afterword.xhtml'), /https:\/\/fic.example.org\/works\/103/);
  });
});

function one(files: Map<string, string>, name: string): string {
  const data = files.get(`EPUB/${name}`);
  assert.ok(data, `${name} is missing`);
  return data;
}
