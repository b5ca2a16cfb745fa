// EPUB 3 downloads of a work or a whole series, built from the plain WorkDocument / SeriesDocument.
//
// The archive stores work text as sanitised HTML fragments; EPUB needs well-formed XHTML that also
// passes epubcheck, so every fragment is parsed with cheerio (parse5, as a browser would), rewritten
// into valid XHTML (obsolete tags and `align` become classes, named entities become characters, remote
// images become links, content-model slips such as a <p> inside a <span> are repaired) and serialised
// here. The output is deterministic: the same document always gives the same bytes.

import { createHash } from 'node:crypto';
import { load } from 'cheerio';
import { ZipFile } from 'yazl';
import { flattenDeepNesting, htmlToPlainText } from '../domain/htmlPolicy.ts';
import { languageName } from '../domain/languages.ts';
import type { ChapterDocument, CreatorDocument, SeriesDocument, WorkDocument } from './workDocument.ts';

// ---------------------------------------------------------------------------------------------------
// Format-neutral pieces, shared with the HTML download.

/** "Chapter 3: Title", "Chapter 3" when untitled; a one-chapter work just uses the work title. */
export function chapterHeading(work: WorkDocument, chapter: ChapterDocument): string {
  if (work.chapters.length === 1) return work.title;
  const title = chapter.title.trim();
  return title ? `Chapter ${chapter.position}: ${title}` : `Chapter ${chapter.position}`;
}

/** "3/3", "2/?" or "2/5", as AO3 shows it. */
export function chapterCountLabel(work: WorkDocument): string {
  const expected = work.expectedChapters ?? (work.complete ? work.chapterCount : null);
  return `${work.chapterCount}/${expected ?? '?'}`;
}

/** UTC calendar date, YYYY-MM-DD. */
export function formatDate(iso: string): string {
  return parseDate(iso).toISOString().slice(0, 10);
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export interface MetadataValue {
  text: string;
  /** Absolute http(s) link, when the value links somewhere. */
  href?: string;
  /** Plain text before the value, e.g. "Part 2 of ". */
  prefix?: string;
}

export interface MetadataField {
  label: string;
  /** Lower-case class name for styling, e.g. "fandoms". */
  name: string;
  values: MetadataValue[];
  separator: string;
}

/** The metadata block of a work's preface, empty fields left out. */
export function workMetadataFields(work: WorkDocument): MetadataField[] {
  const list = (label: string, name: string, values: string[]): MetadataField => ({
    label,
    name,
    values: values.filter((value) => value.trim() !== '').map((text) => ({ text })),
    separator: ', ',
  });
  const stats: MetadataValue[] = [{ text: `Published: ${formatDate(work.publishedAt)}` }];
  if (formatDate(work.updatedAt) !== formatDate(work.publishedAt)) {
    stats.push({ text: `Updated: ${formatDate(work.updatedAt)}` });
  }
  stats.push(
    { text: `Words: ${formatCount(work.wordCount)}` },
    { text: `Chapters: ${chapterCountLabel(work)}` },
    { text: `Kudos: ${formatCount(work.kudosCount)}` },
    { text: `Comments: ${formatCount(work.commentsCount)}` },
    { text: `Bookmarks: ${formatCount(work.bookmarksCount)}` },
    { text: `Hits: ${formatCount(work.hits)}` },
  );
  return [
    list('Rating', 'rating', [work.rating]),
    list('Archive Warnings', 'warnings', work.warnings),
    list('Categories', 'categories', work.categories),
    list('Fandoms', 'fandoms', work.fandoms),
    list('Relationships', 'relationships', work.relationships),
    list('Characters', 'characters', work.characters),
    list('Additional Tags', 'freeforms', work.freeforms),
    list('Language', 'language', [languageName(work.language)]),
    {
      label: 'Series',
      name: 'series',
      values: work.series.map((series) => ({
        prefix: `Part ${series.position} of `,
        text: series.title,
        href: webUrl(series.url),
      })),
      separator: ', ',
    },
    { label: 'Stats', name: 'stats', values: stats, separator: ' · ' },
  ].filter((field) => field.values.length > 0);
}

/** Every tag of a work, in AO3's order, for subject metadata. */
export function workTags(work: WorkDocument): string[] {
  return unique([
    work.rating,
    ...work.warnings,
    ...work.categories,
    ...work.fandoms,
    ...work.relationships,
    ...work.characters,
    ...work.freeforms,
  ]);
}

/** The URL as a normalised absolute http(s) URL, or undefined when it is not one. */
export function webUrl(url: string, base?: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Public builders.

export async function buildWorkEpub(work: WorkDocument): Promise<Buffer> {
  const book = new Book();
  const language = languageTag(work.language);
  book.add(coverImage(work.title, work.creators.map((c) => c.name).join(', '), work.fandoms, work));
  book.add(coverPage(work.title, language));
  const parts = addWork(book, work, '');
  book.toc.push(...parts);
  book.add(afterwordPage([work], work.archiveName, language));
  book.toc.push({ label: 'Afterword', href: AFTERWORD });
  const landmarks: Landmark[] = [
    { type: 'cover', label: 'Cover', href: COVER_PAGE },
    { type: 'titlepage', label: 'Title Page', href: parts[0].href },
    { type: 'bodymatter', label: 'Start of Content', href: firstChapterFile(work, '') },
    { type: 'backmatter', label: 'Afterword', href: AFTERWORD },
  ];
  return book.build(
    {
      identifier: uuidUrn(work.url),
      title: work.title,
      creators: creatorNames(work.creators),
      languages: [language],
      published: work.publishedAt,
      modified: work.revisedAt,
      publisher: work.archiveName,
      source: work.url,
      description: htmlToPlainText(work.summary),
      subjects: workTags(work),
      collections: work.series,
    },
    landmarks,
  );
}

export async function buildSeriesEpub(series: SeriesDocument): Promise<Buffer> {
  const book = new Book();
  const languages = unique(series.works.map((work) => languageTag(work.language)));
  if (languages.length === 0) languages.push('und');
  const creators = series.creators.length > 0 ? series.creators : series.works.flatMap((w) => w.creators);
  const fandoms = unique(series.works.flatMap((work) => work.fandoms));
  book.add(coverImage(series.title, creatorNames(creators).join(', '), fandoms, series));
  book.add(coverPage(series.title, languages[0]));
  book.add(seriesPage(series, creators, languages[0]));
  book.toc.push({ label: series.title, href: SERIES_PAGE });
  series.works.forEach((work, index) => {
    const [titlePage, ...chapters] = addWork(book, work, partPrefix(index, series.works.length));
    // A one-chapter work needs no sub-entries: its text follows its title page.
    book.toc.push({
      label: work.title,
      href: titlePage.href,
      children: work.chapters.length > 1 ? chapters : [],
    });
  });
  book.add(afterwordPage(series.works, series.archiveName, languages[0], series));
  book.toc.push({ label: 'Afterword', href: AFTERWORD });
  const landmarks: Landmark[] = [
    { type: 'cover', label: 'Cover', href: COVER_PAGE },
    { type: 'titlepage', label: 'Title Page', href: SERIES_PAGE },
  ];
  if (series.works.length > 0) {
    const href = `${partPrefix(0, series.works.length)}title.xhtml`;
    landmarks.push({ type: 'bodymatter', label: 'Start of Content', href });
  }
  landmarks.push({ type: 'backmatter', label: 'Afterword', href: AFTERWORD });
  const dates = series.works.map((work) => work.publishedAt);
  return book.build(
    {
      identifier: uuidUrn(series.url),
      title: series.title,
      creators: creatorNames(creators),
      languages,
      published: dates.length > 0 ? earliest(dates) : series.updatedAt,
      modified: latest([series.updatedAt, ...series.works.map((work) => work.revisedAt)]),
      publisher: series.archiveName,
      source: series.url,
      description: htmlToPlainText(series.summary),
      subjects: unique(series.works.flatMap(workTags)),
      collections: [],
    },
    landmarks,
  );
}

// ---------------------------------------------------------------------------------------------------
// Book assembly.

const COVER_IMAGE = 'cover.svg';
const COVER_PAGE = 'cover.xhtml';
const SERIES_PAGE = 'series.xhtml';
const AFTERWORD = 'afterword.xhtml';
const STYLESHEET = 'style.css';

interface BookFile {
  href: string;
  id: string;
  mediaType: string;
  content: string;
  properties?: string;
  /** Content documents in reading order go in the spine. */
  spine: boolean;
}

interface TocEntry {
  label: string;
  href: string;
  children?: TocEntry[];
}

interface Landmark {
  type: string;
  label: string;
  href: string;
}

interface BookMetadata {
  identifier: string;
  title: string;
  creators: string[];
  languages: string[];
  published: string;
  modified: string;
  publisher: string;
  source: string;
  description: string;
  subjects: string[];
  collections: WorkDocument['series'];
}

class Book {
  readonly files: BookFile[] = [];
  readonly toc: TocEntry[] = [];

  add(file: BookFile): void {
    this.files.push(file);
  }

  async build(meta: BookMetadata, landmarks: Landmark[]): Promise<Buffer> {
    const files: BookFile[] = [
      { href: STYLESHEET, id: 'css', mediaType: 'text/css', content: STYLESHEET_TEXT, spine: false },
      ...this.files,
      {
        href: 'nav.xhtml',
        id: 'nav',
        mediaType: 'application/xhtml+xml',
        properties: 'nav',
        content: navDocument(meta, this.toc, landmarks),
        spine: false,
      },
      {
        href: 'toc.ncx',
        id: 'ncx',
        mediaType: 'application/x-dtbncx+xml',
        content: ncxDocument(meta, this.toc),
        spine: false,
      },
    ];
    const entries = [
      { name: 'META-INF/container.xml', data: CONTAINER_XML },
      { name: 'EPUB/package.opf', data: packageDocument(meta, files) },
      ...files.map((file) => ({ name: `EPUB/${file.href}`, data: file.content })),
    ];
    return zipEpub(entries, zipTimestamp(meta.modified));
  }
}

const CONTAINER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;

function packageDocument(meta: BookMetadata, files: BookFile[]): string {
  const lines: string[] = [];
  lines.push(`<dc:identifier id="book-id">${x(meta.identifier)}</dc:identifier>`);
  lines.push(`<dc:title id="book-title">${x(meta.title)}</dc:title>`);
  lines.push('<meta refines="#book-title" property="title-type">main</meta>');
  meta.creators.forEach((name, index) => {
    lines.push(`<dc:creator id="creator-${index + 1}">${x(name)}</dc:creator>`);
    lines.push(`<meta refines="#creator-${index + 1}" property="role" scheme="marc:relators">aut</meta>`);
  });
  for (const language of meta.languages) lines.push(`<dc:language>${x(language)}</dc:language>`);
  lines.push(`<dc:date>${isoSeconds(meta.published)}</dc:date>`);
  lines.push(`<meta property="dcterms:modified">${isoSeconds(meta.modified)}</meta>`);
  lines.push(`<dc:publisher>${x(meta.publisher)}</dc:publisher>`);
  lines.push(`<dc:source>${x(meta.source)}</dc:source>`);
  if (meta.description) lines.push(`<dc:description>${x(meta.description)}</dc:description>`);
  for (const subject of meta.subjects) lines.push(`<dc:subject>${x(subject)}</dc:subject>`);
  meta.collections.forEach((collection, index) => {
    const id = `collection-${index + 1}`;
    lines.push(`<meta property="belongs-to-collection" id="${id}">${x(collection.title)}</meta>`);
    lines.push(`<meta refines="#${id}" property="collection-type">series</meta>`);
    lines.push(`<meta refines="#${id}" property="group-position">${collection.position}</meta>`);
  });
  // Calibre reads its own OPF 2 style series metadata more reliably than the EPUB 3 collection.
  const [series] = meta.collections;
  if (series) {
    lines.push(`<meta name="calibre:series" content="${xa(series.title)}"/>`);
    lines.push(`<meta name="calibre:series_index" content="${series.position}"/>`);
  }
  lines.push('<meta name="cover" content="cover-image"/>');

  const manifest = files.map((file) => {
    const properties = file.properties ? ` properties="${file.properties}"` : '';
    return `<item id="${file.id}" href="${xa(file.href)}" media-type="${file.mediaType}"${properties}/>`;
  });
  const spine = files.filter((file) => file.spine).map((file) => `<itemref idref="${file.id}"/>`);
  const language = meta.languages[0];
  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${xa(language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    ${lines.join('\n    ')}
  </metadata>
  <manifest>
    ${manifest.join('\n    ')}
  </manifest>
  <spine toc="ncx">
    ${spine.join('\n    ')}
  </spine>
</package>
`;
}

function navDocument(meta: BookMetadata, toc: TocEntry[], landmarks: Landmark[]): string {
  const list = (entries: TocEntry[], indent: string): string =>
    `${indent}<ol>\n${entries
      .map((entry) => {
        const link = `<a href="${xa(entry.href)}">${x(entry.label)}</a>`;
        return entry.children && entry.children.length > 0
          ? `${indent}  <li>${link}\n${list(entry.children, `${indent}    `)}\n${indent}  </li>`
          : `${indent}  <li>${link}</li>`;
      })
      .join('\n')}\n${indent}</ol>`;
  const landmarkItems = landmarks
    .map((mark) => `      <li><a epub:type="${mark.type}" href="${xa(mark.href)}">${x(mark.label)}</a></li>`)
    .join('\n');
  return xhtmlDocument({
    title: meta.title,
    language: meta.languages[0],
    body: `<nav epub:type="toc" id="toc">
  <h1>Contents</h1>
${list(toc, '  ')}
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
  <h2>Landmarks</h2>
  <ol>
${landmarkItems}
  </ol>
</nav>`,
  });
}

function ncxDocument(meta: BookMetadata, toc: TocEntry[]): string {
  let order = 0;
  const depth = toc.some((entry) => entry.children && entry.children.length > 0) ? 2 : 1;
  const points = (entries: TocEntry[], indent: string): string =>
    entries
      .map((entry) => {
        order += 1;
        const own = order;
        const children = entry.children?.length ? `\n${points(entry.children, `${indent}  `)}` : '';
        return `${indent}<navPoint id="nav-${own}" playOrder="${own}">
${indent}  <navLabel><text>${x(entry.label)}</text></navLabel>
${indent}  <content src="${xa(entry.href)}"/>${children}
${indent}</navPoint>`;
      })
      .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${xa(meta.languages[0])}">
  <head>
    <meta name="dtb:uid" content="${xa(meta.identifier)}"/>
    <meta name="dtb:depth" content="${depth}"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text>${x(meta.title)}</text></docTitle>
  <navMap>
${points(toc, '    ')}
  </navMap>
</ncx>
`;
}

function xhtmlDocument(page: { title: string; language: string; body: string; bodyType?: string }): string {
  const lang = xa(page.language);
  const bodyType = page.bodyType ? ` epub:type="${page.bodyType}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${lang}" xml:lang="${lang}">
<head>
<title>${x(page.title)}</title>
<link rel="stylesheet" type="text/css" href="${STYLESHEET}"/>
</head>
<body${bodyType}>
${page.body}
</body>
</html>
`;
}

function contentFile(
  href: string,
  title: string,
  language: string,
  body: string,
  bodyType?: string,
): BookFile {
  return {
    href,
    id: href.replace(/\.xhtml$/, '').replace(/[^A-Za-z0-9_-]/g, '-'),
    mediaType: 'application/xhtml+xml',
    content: xhtmlDocument({ title, language, body, bodyType }),
    spine: true,
  };
}

/** File name prefix of a series part: "part-01-". */
function partPrefix(index: number, count: number): string {
  return `part-${String(index + 1).padStart(Math.max(2, String(count).length), '0')}-`;
}

function chapterFile(prefix: string, work: WorkDocument, index: number): string {
  const width = Math.max(3, String(work.chapters.length).length);
  return `${prefix}chapter-${String(index + 1).padStart(width, '0')}.xhtml`;
}

function firstChapterFile(work: WorkDocument, prefix: string): string {
  return work.chapters.length > 0 ? chapterFile(prefix, work, 0) : `${prefix}title.xhtml`;
}

/** Adds a work's title page and chapters; returns their TOC entries (title page first). */
function addWork(book: Book, work: WorkDocument, prefix: string): TocEntry[] {
  const language = languageTag(work.language);
  const titleHref = `${prefix}title.xhtml`;
  const lastChapterHref =
    work.chapters.length > 0 ? chapterFile(prefix, work, work.chapters.length - 1) : null;
  const entries: TocEntry[] = [{ label: prefix ? work.title : 'Preface', href: titleHref }];
  book.add(contentFile(titleHref, work.title, language, prefacePage(work, lastChapterHref), undefined));
  work.chapters.forEach((chapter, index) => {
    const href = chapterFile(prefix, work, index);
    const heading = chapterHeading(work, chapter);
    const isLast = index === work.chapters.length - 1;
    book.add(contentFile(href, heading, language, chapterPage(work, chapter, heading, isLast)));
    entries.push({ label: heading, href });
  });
  return entries;
}

// ---------------------------------------------------------------------------------------------------
// Pages.

function bylineLinks(creators: WorkDocument['creators']): string {
  if (creators.length === 0) return 'Anonymous';
  return creators.map((creator) => link(creator.name, creator.url)).join(', ');
}

function link(text: string, url: string): string {
  const href = webUrl(url);
  return href ? `<a href="${xa(href)}">${x(text)}</a>` : x(text);
}

function metadataList(fields: MetadataField[]): string {
  const items = fields.map((field) => {
    const values = field.values
      .map((value) => `${x(value.prefix ?? '')}${value.href ? link(value.text, value.href) : x(value.text)}`)
      .join(x(field.separator));
    return `  <dt class="${field.name}">${x(field.label)}:</dt>\n  <dd class="${field.name}">${values}</dd>`;
  });
  return `<dl class="meta">\n${items.join('\n')}\n</dl>`;
}

function postedOriginally(archiveName: string, url: string): string {
  return `Posted originally on ${x(archiveName)} at ${link(url, url)}.`;
}

function prefacePage(work: WorkDocument, lastChapterHref: string | null): string {
  const page = new XhtmlPage(['preface', 'summary', 'notes']);
  const summary = page.fragment(work.summary, work.url);
  const notes = page.fragment(work.notes, work.url);
  const parts = [
    `<section epub:type="titlepage" class="preface" id="preface">`,
    `<p class="message">${postedOriginally(work.archiveName, work.url)}</p>`,
    `<h1 class="title">${x(work.title)}</h1>`,
    `<p class="byline">by ${bylineLinks(work.creators)}</p>`,
    metadataList(workMetadataFields(work)),
  ];
  if (!summary.blank)
    parts.push(
      '<h2>Summary</h2>',
      `<blockquote class="userstuff" id="summary">${page.render(summary)}</blockquote>`,
    );
  if (!notes.blank)
    parts.push(
      '<h2>Notes</h2>',
      `<blockquote class="userstuff" id="notes">${page.render(notes)}</blockquote>`,
    );
  if (lastChapterHref && !isBlankHtml(work.endNotes)) {
    parts.push(
      `<p class="jump">(See the end of the work for <a href="${xa(lastChapterHref)}#work-endnotes">more notes</a>.)</p>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function chapterPage(work: WorkDocument, chapter: ChapterDocument, heading: string, isLast: boolean): string {
  const page = new XhtmlPage(['chapter', 'chapter-summary', 'chapter-notes', 'endnotes', 'work-endnotes']);
  const summary = page.fragment(chapter.summary, chapter.url);
  const notes = page.fragment(chapter.notes, chapter.url);
  const body = page.fragment(chapter.body, chapter.url);
  const endNotes = page.fragment(chapter.endNotes, chapter.url);
  const workEndNotes = isLast ? page.fragment(work.endNotes, work.url) : null;
  const parts = [
    `<section epub:type="chapter" class="chapter" id="chapter">`,
    `<h2 class="heading">${x(heading)}</h2>`,
  ];
  if (!summary.blank) {
    parts.push(
      '<h3>Summary</h3>',
      `<blockquote class="userstuff" id="chapter-summary">${page.render(summary)}</blockquote>`,
    );
  }
  if (!notes.blank) {
    parts.push(
      '<h3>Notes</h3>',
      `<blockquote class="userstuff" id="chapter-notes">${page.render(notes)}</blockquote>`,
    );
  }
  if (!endNotes.blank) {
    parts.push('<p class="jump">(See the end of the chapter for <a href="#endnotes">more notes</a>.)</p>');
  }
  parts.push(`<div class="userstuff body">${page.render(body)}</div>`);
  if (!endNotes.blank) {
    parts.push(
      '<h3>End Notes</h3>',
      `<blockquote class="userstuff" id="endnotes">${page.render(endNotes)}</blockquote>`,
    );
  }
  if (workEndNotes && !workEndNotes.blank) {
    parts.push(
      '<h3>Work End Notes</h3>',
      `<blockquote class="userstuff" id="work-endnotes">${page.render(workEndNotes)}</blockquote>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function seriesPage(series: SeriesDocument, creators: CreatorDocument[], language: string): BookFile {
  const page = new XhtmlPage(['series', 'summary', 'notes']);
  const summary = page.fragment(series.summary, series.url);
  const notes = page.fragment(series.notes, series.url);
  const words = series.works.reduce((sum, work) => sum + work.wordCount, 0);
  const fields: MetadataField[] = [
    {
      label: 'Stats',
      name: 'stats',
      values: [
        { text: `Updated: ${formatDate(series.updatedAt)}` },
        { text: `Words: ${formatCount(words)}` },
        { text: `Works: ${formatCount(series.works.length)}` },
        { text: `Complete: ${series.complete ? 'Yes' : 'No'}` },
      ],
      separator: ' · ',
    },
  ];
  const works = series.works
    .map((work, index) => {
      const href = `${partPrefix(index, series.works.length)}title.xhtml`;
      return `  <li><a href="${href}">${x(work.title)}</a> by ${x(creatorNames(work.creators).join(', '))}</li>`;
    })
    .join('\n');
  const parts = [
    '<section epub:type="titlepage" class="preface" id="series">',
    `<p class="message">${postedOriginally(series.archiveName, series.url)}</p>`,
    `<h1 class="title">${x(series.title)}</h1>`,
    `<p class="byline">a series by ${bylineLinks(creators)}</p>`,
    metadataList(fields),
  ];
  if (!summary.blank)
    parts.push(
      '<h2>Summary</h2>',
      `<blockquote class="userstuff" id="summary">${page.render(summary)}</blockquote>`,
    );
  if (!notes.blank)
    parts.push(
      '<h2>Notes</h2>',
      `<blockquote class="userstuff" id="notes">${page.render(notes)}</blockquote>`,
    );
  if (works) parts.push('<h2>Works in This Series</h2>', `<ol class="works">\n${works}\n</ol>`);
  parts.push('</section>');
  return contentFile(SERIES_PAGE, series.title, language, parts.join('\n'));
}

function afterwordPage(
  works: WorkDocument[],
  archiveName: string,
  language: string,
  series?: SeriesDocument,
): BookFile {
  const parts = ['<section epub:type="afterword" class="afterword" id="afterword">', '<h2>Afterword</h2>'];
  if (series) {
    parts.push(`<p>${postedOriginally(archiveName, series.url)}</p>`, '<ol class="works">');
    for (const work of works) {
      parts.push(`<li>${x(work.title)}: ${link(work.url, work.url)}</li>`);
    }
    parts.push('</ol>');
    parts.push(
      `<p>If you enjoyed these works, please visit ${x(archiveName)} to leave kudos or a comment for their creators: they will be glad to hear from you.</p>`,
    );
  } else {
    const [work] = works;
    parts.push(`<p>${postedOriginally(archiveName, work.url)}</p>`);
    parts.push(
      `<p>If you enjoyed this work, please ${link('visit its page', work.url)} to leave kudos or a comment for its ${work.creators.length > 1 ? 'creators' : 'creator'}: they will be glad to hear from you.</p>`,
    );
  }
  parts.push('</section>');
  return contentFile(AFTERWORD, 'Afterword', language, parts.join('\n'));
}

function coverPage(title: string, language: string): BookFile {
  const body = `<div class="cover"><img src="${COVER_IMAGE}" alt="${xa(title)}"/></div>`;
  return { ...contentFile(COVER_PAGE, title, language, body, 'cover'), id: 'cover' };
}

const COVER_COLOURS = ['#7a1f1f', '#1f3a5f', '#2f5d3a', '#5b2a6e', '#6b4a1f', '#234b57'];

function coverImage(
  title: string,
  creators: string,
  fandoms: string[],
  source: { url: string; archiveName: string },
): BookFile {
  const background = COVER_COLOURS[createHash('sha1').update(source.url).digest()[0] % COVER_COLOURS.length];
  const lines: string[] = [];
  let y = 200;
  const text = (value: string, size: number, weight = 'normal') => {
    lines.push(
      `  <text x="300" y="${y}" font-family="Georgia, 'Times New Roman', serif" font-size="${size}" font-weight="${weight}" fill="#ffffff" text-anchor="middle">${x(value)}</text>`,
    );
  };
  for (const line of wrapText(title, 20, 6)) {
    text(line, 46, 'bold');
    y += 58;
  }
  y += 40;
  for (const line of wrapText(creators ? `by ${creators}` : 'Anonymous', 32, 3)) {
    text(line, 28);
    y += 38;
  }
  y = Math.max(y + 40, 700);
  for (const line of wrapText(fandoms.join(', '), 38, 3)) {
    text(line, 22);
    y += 30;
  }
  y = 850;
  text(source.archiveName, 18);
  const svg = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="900" viewBox="0 0 600 900">
  <title>${x(title)}</title>
  <rect x="0" y="0" width="600" height="900" fill="${background}"/>
  <rect x="24" y="24" width="552" height="852" fill="none" stroke="#ffffff" stroke-width="3"/>
${lines.join('\n')}
</svg>
`;
  return {
    href: COVER_IMAGE,
    id: 'cover-image',
    mediaType: 'image/svg+xml',
    properties: 'cover-image',
    content: svg,
    spine: false,
  };
}

/** Greedy word wrap, counting East Asian wide characters as two columns; the last line gets "…". */
function wrapText(value: string, columns: number, maxLines: number): string[] {
  const width = (s: string) => [...s].reduce((n, ch) => n + (isWide(ch) ? 2 : 1), 0);
  const words = value.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  const push = (line: string) => {
    if (line) lines.push(line);
  };
  for (const word of words) {
    // Words longer than a line (or unspaced CJK text) are split by characters.
    const pieces: string[] = [];
    let piece = '';
    for (const ch of word) {
      if (width(piece + ch) > columns) {
        pieces.push(piece);
        piece = '';
      }
      piece += ch;
    }
    pieces.push(piece);
    for (const p of pieces) {
      const candidate = current ? `${current} ${p}` : p;
      if (width(candidate) <= columns) current = candidate;
      else {
        push(current);
        current = p;
      }
    }
  }
  push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${[...kept[maxLines - 1]].slice(0, -1).join('')}…`;
    return kept;
  }
  return lines;
}

function isWide(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x20000
  );
}

// ---------------------------------------------------------------------------------------------------
// HTML fragments → XHTML.

interface TextNode {
  kind: 'text';
  text: string;
}

interface ElementNode {
  kind: 'element';
  name: string;
  classes: string[];
  attrs: Record<string, string>;
  /** A same-document link ("#name"), resolved when the page is serialised and all its ids are known. */
  fragment?: string;
  /** Base URL for a fragment link whose target is not in the page. */
  base?: string;
  children: XNode[];
}

type XNode = TextNode | ElementNode;

interface Fragment {
  nodes: XNode[];
  blank: boolean;
}

/** One XHTML file: the ids it defines, so in-page links can be checked and ids kept unique. */
class XhtmlPage {
  private readonly ids = new Set<string>();

  constructor(reserved: string[]) {
    for (const id of reserved) this.ids.add(id);
  }

  /** Parses and repairs a fragment; call for every fragment of the page before rendering any. */
  fragment(html: string, baseUrl: string): Fragment {
    const nodes = convertChildren(parseHtml(html), {
      page: this,
      base: baseUrl,
      inLink: false,
      inDefinition: false,
      parent: 'div',
    });
    return { nodes, blank: isBlank(nodes) };
  }

  claimId(raw: string): string | undefined {
    const id = idFrom(raw);
    if (!id || this.ids.has(id)) return undefined;
    this.ids.add(id);
    return id;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  render(fragment: Fragment): string {
    return serialise(fragment.nodes, this);
  }
}

interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

function parseHtml(html: string): XNode[] {
  if (html.trim() === '') return [];
  // Parsed as a whole document so the fragment gets the same "in body" treatment as on the site. Text
  // stored before the sanitiser capped nesting is capped first: parse5 takes quadratic time over depth.
  const $ = load(flattenDeepNesting(html), { xml: false });
  const body = $('body')[0] as unknown as DomNode | undefined;
  return fromDom(body?.children ?? []);
}

// Every walk over a fragment's tree below keeps its own stack instead of recursing, so that however
// deep the markup nests, it costs memory rather than the call stack (a recursive walk of 3,000 nested
// <div>s threw "Maximum call stack size exceeded").

/** Appends in place; spreading a long array into push() can exceed the engine's argument limit. */
function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

function fromDom(nodes: DomNode[]): XNode[] {
  const root: XNode[] = [];
  const pending: { from: DomNode[]; into: XNode[] }[] = [{ from: nodes, into: root }];
  for (let list = pending.pop(); list; list = pending.pop()) {
    for (const node of list.from) {
      if (node.type === 'text') list.into.push({ kind: 'text', text: node.data ?? '' });
      else if ((node.type === 'tag' || node.type === 'script' || node.type === 'style') && node.name) {
        const children: XNode[] = [];
        list.into.push({
          kind: 'element',
          name: node.name.toLowerCase(),
          classes: [],
          attrs: { ...node.attribs },
          children,
        });
        pending.push({ from: node.children ?? [], into: children });
      }
    }
  }
  return root;
}

interface ConvertContext {
  page: XhtmlPage;
  base: string;
  inLink: boolean;
  inDefinition: boolean;
  parent: string;
}

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const KEPT = new Set([
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  ...HEADINGS,
  'hr',
  'i',
  'ins',
  'kbd',
  'li',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
  'var',
]);
/** Obsolete HTML mapped to valid XHTML; the class keeps the look (see the stylesheet). */
const RENAMED: Record<string, { name: string; className?: string }> = {
  acronym: { name: 'abbr' },
  strike: { name: 's' },
  center: { name: 'div', className: 'center' },
  big: { name: 'span', className: 'big' },
  tt: { name: 'span', className: 'tt' },
  address: { name: 'div', className: 'address' },
};
/** Dropped with their content; anything else unknown is unwrapped (its text kept). */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'textarea',
  'select',
  'option',
  'title',
  'head',
  'svg',
  'math',
  'video',
  'audio',
  'canvas',
  'button',
  'input',
]);
const ALIGNABLE = new Set(['p', 'div', ...HEADINGS, 'td', 'th', 'caption']);
const ALIGNMENTS = new Set(['left', 'right', 'center', 'justify']);
const VOID = new Set(['br', 'hr', 'col', 'img']);
/** Elements whose content model is phrasing content only. */
const PHRASING_ONLY = new Set([
  'p',
  ...HEADINGS,
  'pre',
  'abbr',
  'b',
  'cite',
  'code',
  'dfn',
  'em',
  'i',
  'kbd',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'u',
  'var',
]);
/** Flow content that is not phrasing content. */
const FLOW_ONLY = new Set([
  'blockquote',
  'div',
  'dl',
  ...HEADINGS,
  'hr',
  'ol',
  'ul',
  'p',
  'pre',
  'table',
  'li',
  'dd',
  'dt',
  'caption',
  'colgroup',
  'col',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
]);
const TRANSPARENT = new Set(['a', 'ins', 'del']);

function element(name: string, children: XNode[], classes: string[] = []): ElementNode {
  return { kind: 'element', name, classes, attrs: {}, children };
}

/** An element whose children are being converted: their context, and what to make of them once done. */
interface OpenElement {
  context: ConvertContext;
  close(children: XNode[]): XNode[];
}

/** Converts a fragment's nodes, children before their parents, as the repairs of each element need. */
function convertChildren(nodes: XNode[], context: ConvertContext): XNode[] {
  type Frame = OpenElement & { nodes: XNode[]; next: number; out: XNode[] };
  const stack: Frame[] = [{ nodes, next: 0, out: [], context, close: (children) => children }];
  for (;;) {
    const frame = stack[stack.length - 1];
    if (frame.next < frame.nodes.length) {
      const node = frame.nodes[frame.next++];
      if (node.kind === 'text') frame.out.push(node);
      else {
        const opened = openElement(node, frame.context);
        if (Array.isArray(opened)) append(frame.out, opened);
        else stack.push({ ...opened, nodes: node.children, next: 0, out: [] });
      }
      continue;
    }
    stack.pop();
    const converted = frame.close(fixChildren(frame.out, frame.context.parent));
    if (stack.length === 0) return converted;
    append(stack[stack.length - 1].out, converted);
  }
}

/** What replaces an element at once (nothing, for dropped ones), or how to finish it after its children. */
function openElement(source: ElementNode, context: ConvertContext): XNode[] | OpenElement {
  const name = source.name;
  if (DROPPED.has(name)) return [];
  if (name === 'img') return imageReplacement(source, context);
  // Links (and definitions) cannot nest, though the parser allows it across table cells: the inner
  // one keeps only its text.
  const target =
    (name === 'a' && context.inLink) || (name === 'dfn' && context.inDefinition)
      ? { name: 'span' }
      : (RENAMED[name] ?? (KEPT.has(name) ? { name } : undefined));
  return {
    context: {
      ...context,
      inLink: context.inLink || name === 'a',
      inDefinition: context.inDefinition || name === 'dfn',
      parent: target?.name ?? context.parent,
    },
    close: (children) => (target ? closeElement(source, target, children, context) : children),
  };
}

function closeElement(
  source: ElementNode,
  target: { name: string; className?: string },
  children: XNode[],
  context: ConvertContext,
): XNode[] {
  const name = source.name;
  const out = element(target.name, children, target.className ? [target.className] : []);
  const attrs = source.attrs;
  if (attrs.title) out.attrs.title = attrs.title;
  const dir = attrs.dir?.trim().toLowerCase();
  if (dir === 'ltr' || dir === 'rtl' || dir === 'auto') out.attrs.dir = dir;
  if (attrs.lang && isLanguageTag(attrs.lang.trim())) out.attrs.lang = attrs.lang.trim();
  const align = attrs.align?.trim().toLowerCase();
  if (align && ALIGNABLE.has(name) && ALIGNMENTS.has(align)) out.classes.push(`align-${align}`);
  if (name === 'a') {
    // <a name> is obsolete: it becomes the id, unless another anchor of the page has it already.
    const id = attrs.name ? context.page.claimId(attrs.name) : undefined;
    if (id) out.attrs.id = id;
    const href = target.name === 'a' ? attrs.href?.trim() : undefined;
    if (href?.startsWith('#')) {
      out.fragment = href.slice(1);
      out.base = context.base;
    } else if (href) {
      const resolved = linkUrl(href, context.base);
      if (resolved) out.attrs.href = resolved;
    }
  }
  if (name === 'td' || name === 'th') {
    const colspan = integerAttr(attrs.colspan, 1, 1000);
    if (colspan !== undefined) out.attrs.colspan = String(colspan);
    const rowspan = integerAttr(attrs.rowspan, 0, 65534);
    if (rowspan !== undefined) out.attrs.rowspan = String(rowspan);
  }
  return fixStructure(out);
}

/** Remote (or relative) images cannot be packed offline: a bracketed alt text linking to the image. */
function imageReplacement(source: ElementNode, context: ConvertContext): XNode[] {
  const description = (source.attrs.alt ?? source.attrs.title ?? '').trim();
  const label: TextNode = { kind: 'text', text: description ? `[image: ${description}]` : '[image]' };
  const src = source.attrs.src ? webUrl(source.attrs.src.trim(), context.base) : undefined;
  if (src && !context.inLink) {
    const anchor = element('a', [label], ['image-link']);
    anchor.attrs.href = src;
    return [anchor];
  }
  return [element('span', [label], ['image-link'])];
}

function linkUrl(href: string, base: string): string | undefined {
  if (/^mailto:/i.test(href)) {
    try {
      return new URL(href).href;
    } catch {
      return undefined;
    }
  }
  return webUrl(href, base);
}

function integerAttr(value: string | undefined, min: number, max: number): number | undefined {
  if (!value || !/^\s*\d+\s*$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

const isWhitespace = (node: XNode) => node.kind === 'text' && node.text.trim() === '';
const isElement = (node: XNode, ...names: string[]): node is ElementNode =>
  node.kind === 'element' && names.includes(node.name);

/** Repairs children that are only valid inside a particular parent (li, dt, dd). */
function fixChildren(children: XNode[], parent: string): XNode[] {
  let out = children;
  if (parent !== 'ul' && parent !== 'ol') out = wrapRuns(out, (node) => isElement(node, 'li'), 'ul');
  if (parent !== 'dl') {
    for (const node of out) {
      if (isElement(node, 'dt', 'dd')) {
        node.classes.unshift(`x-${node.name}`);
        node.name = 'div';
      }
    }
  }
  return out;
}

/** Wraps each run of matching nodes (and the whitespace between them) into a new element. */
function wrapRuns(nodes: XNode[], matches: (node: XNode) => boolean, wrapper: string): XNode[] {
  if (!nodes.some(matches)) return nodes;
  const out: XNode[] = [];
  let run: XNode[] | null = null;
  for (const node of nodes) {
    if (matches(node) || (run && isWhitespace(node))) {
      if (!run) {
        run = [];
        out.push(element(wrapper, run));
      }
      run.push(node);
    } else {
      run = null;
      out.push(node);
    }
  }
  return out;
}

/** Flow content, or a transparent element (a, ins, del) with flow content anywhere inside. */
function isFlow(node: XNode): boolean {
  const pending = [node];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.kind !== 'element') continue;
    if (FLOW_ONLY.has(next.name)) return true;
    if (TRANSPARENT.has(next.name)) append(pending, next.children);
  }
  return false;
}

/** Puts a table's parts in the order XHTML requires; anything else found in it goes before it. */
function fixTable(table: ElementNode): XNode[] {
  const before: XNode[] = [];
  let caption: ElementNode | undefined;
  let head: ElementNode | undefined;
  let foot: ElementNode | undefined;
  const columns: ElementNode[] = [];
  const bodies: ElementNode[] = [];
  let looseRows: ElementNode | undefined;
  for (const child of table.children) {
    if (isWhitespace(child)) continue;
    if (child.kind === 'text') before.push(child);
    else if (child.name === 'caption') {
      if (caption) caption.children.push({ kind: 'text', text: ' ' }, ...child.children);
      else caption = child;
    } else if (child.name === 'colgroup') columns.push(child);
    else if (child.name === 'thead' && !head) head = child;
    else if (child.name === 'tfoot' && !foot) foot = child;
    else if (child.name === 'thead' || child.name === 'tfoot' || child.name === 'tbody') {
      child.name = 'tbody';
      bodies.push(child);
      looseRows = undefined;
    } else if (child.name === 'tr') {
      if (!looseRows) {
        looseRows = element('tbody', []);
        bodies.push(looseRows);
      }
      looseRows.children.push(child);
    } else before.push(child);
  }
  if (caption && containsTable(caption)) {
    // A caption may not hold a table: it becomes a plain block before its table.
    caption.classes.unshift('x-caption');
    caption.name = 'div';
    before.push(caption);
    caption = undefined;
  }
  table.children = [
    ...(caption ? [caption] : []),
    ...columns,
    ...(head ? [head] : []),
    ...bodies,
    ...(foot ? [foot] : []),
  ];
  return [...before, table];
}

function containsTable(node: ElementNode): boolean {
  const pending = [...node.children];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.kind !== 'element') continue;
    if (next.name === 'table') return true;
    append(pending, next.children);
  }
  return false;
}

/** Repairs an element's own content model once its children are final. */
function fixStructure(node: ElementNode): XNode[] {
  if (node.name === 'ul' || node.name === 'ol') {
    // Everything in a list belongs in a list item.
    node.children = wrapRuns(node.children, (child) => !isWhitespace(child) && !isElement(child, 'li'), 'li');
  } else if (node.name === 'dl') {
    const pattern = node.children
      .filter((child) => !isWhitespace(child))
      .map((child) => (isElement(child, 'dt') ? 't' : isElement(child, 'dd') ? 'd' : 'x'))
      .join('');
    if (!/^(t+d+)*$/.test(pattern)) {
      // Not a valid term/definition sequence: keep the text as plain blocks.
      for (const child of node.children) {
        if (isElement(child, 'dt', 'dd')) {
          child.classes.unshift(`x-${child.name}`);
          child.name = 'div';
        }
      }
      node.classes.unshift('x-dl');
      node.name = 'div';
    }
  } else if (node.name === 'table') {
    return fixTable(node);
  }
  // A phrasing element holding blocks (e.g. <span><p>…</p></span> from a paste) becomes a styled div.
  if (PHRASING_ONLY.has(node.name) && node.children.some(isFlow)) {
    node.classes.unshift(`x-${node.name}`);
    node.name = 'div';
  }
  return [node];
}

function isBlank(nodes: XNode[]): boolean {
  const pending = [...nodes];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.kind === 'text') {
      if (node.text.trim() !== '') return false;
    } else if (node.name === 'hr' || node.classes.includes('image-link')) return false;
    else append(pending, node.children);
  }
  return true;
}

function isBlankHtml(html: string): boolean {
  return html.trim() === '' || isBlank(parseHtml(html));
}

function idFrom(raw: string): string | undefined {
  let value = raw.trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // Keep it as written.
  }
  if (!value) return undefined;
  const id = value.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}

function serialise(nodes: XNode[], page: XhtmlPage): string {
  let out = '';
  // What is left to write, next last: nodes, and the end tags of the elements they are in.
  const pending: (XNode | string)[] = [...nodes].reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node === 'string') {
      out += node;
      continue;
    }
    if (node.kind === 'text') {
      out += x(node.text);
      continue;
    }
    const attrs: [string, string][] = [];
    if (node.attrs.id) attrs.push(['id', node.attrs.id]);
    if (node.classes.length > 0) attrs.push(['class', unique(node.classes).join(' ')]);
    if (node.fragment !== undefined) {
      const id = idFrom(node.fragment);
      if (id && page.has(id)) attrs.push(['href', `#${id}`]);
      else {
        const absolute = node.base ? webUrl(`#${node.fragment}`, node.base) : undefined;
        if (absolute) attrs.push(['href', absolute]);
      }
    } else if (node.attrs.href) attrs.push(['href', node.attrs.href]);
    for (const name of ['title', 'dir', 'colspan', 'rowspan']) {
      if (node.attrs[name] !== undefined) attrs.push([name, node.attrs[name]]);
    }
    if (node.attrs.lang) attrs.push(['lang', node.attrs.lang], ['xml:lang', node.attrs.lang]);
    const open = `<${node.name}${attrs.map(([name, value]) => ` ${name}="${xa(value)}"`).join('')}`;
    if (VOID.has(node.name)) out += `${open}/>`;
    else {
      out += `${open}>`;
      pending.push(`</${node.name}>`);
      for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// XML text, identifiers, dates, zip.

/** Removes characters XML 1.0 forbids (and C1 controls / noncharacters that HTML validators reject). */
export function stripInvalidXmlChars(value: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    let invalid = false;
    if (code < 0x20) invalid = code !== 0x09 && code !== 0x0a && code !== 0x0d;
    else if (code >= 0x7f && code <= 0x9f) invalid = true;
    else if (code >= 0xfdd0 && code <= 0xfdef) invalid = true;
    else if (code === 0xfffe || code === 0xffff) invalid = true;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else invalid = true;
    } else if (code >= 0xdc00 && code <= 0xdfff) invalid = true;
    if (invalid) {
      out += value.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? value : out + value.slice(start);
}

/** Escapes XML character data; no-break spaces are written as &#160; to stay visible in the source. */
function x(value: string): string {
  return stripInvalidXmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\u00a0/g, '&#160;');
}

/** Escapes an XML attribute value (double-quoted). */
function xa(value: string): string {
  return x(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function isLanguageTag(value: string): boolean {
  return /^(?:[A-Za-z]{2,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*$/.test(value);
}

function languageTag(value: string): string {
  const trimmed = value.trim();
  return isLanguageTag(trimmed) ? trimmed : 'und';
}

/** A name-based (version 5, SHA-1) UUID in the URL namespace: the same URL always gives the same id. */
export function uuidUrn(url: string): string {
  const urlNamespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const bytes = createHash('sha1').update(urlNamespace).update(url, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FALLBACK_DATE = new Date(Date.UTC(1980, 0, 1));

function parseDate(iso: string): Date {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? FALLBACK_DATE : date;
}

/** YYYY-MM-DDThh:mm:ssZ, as dcterms:modified requires. */
function isoSeconds(iso: string): string {
  return parseDate(iso)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

function earliest(dates: string[]): string {
  return dates.reduce((a, b) => (parseDate(b) < parseDate(a) ? b : a));
}

function latest(dates: string[]): string {
  return dates.reduce((a, b) => (parseDate(b) > parseDate(a) ? b : a));
}

/**
 * Zip entries carry DOS timestamps in local time; building a local Date from the UTC fields makes the
 * stored time the UTC time whatever the server's time zone, so the bytes do not depend on it.
 */
function zipTimestamp(iso: string): Date {
  let utc = parseDate(iso);
  if (utc < FALLBACK_DATE) utc = FALLBACK_DATE;
  const [y, m, d] = [utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate()];
  const local = new Date(y, m, d, utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
  // A wall time skipped by a daylight-saving change: noon of the same day exists everywhere.
  return local.getHours() === utc.getUTCHours() ? local : new Date(y, m, d, 12, 0, 0);
}

async function zipEpub(entries: { name: string; data: string }[], mtime: Date): Promise<Buffer> {
  const zip = new ZipFile();
  // mimetype first, stored, without extra fields: how readers recognise an EPUB.
  zip.addBuffer(Buffer.from('application/epub+zip', 'ascii'), 'mimetype', {
    mtime,
    compress: false,
    forceDosTimestamp: true,
    mode: 0o100644,
  });
  for (const entry of entries) {
    zip.addBuffer(Buffer.from(entry.data, 'utf8'), entry.name, {
      mtime,
      compress: true,
      forceDosTimestamp: true,
      mode: 0o100644,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

function creatorNames(creators: WorkDocument['creators']): string[] {
  const names = unique(creators.map((creator) => creator.name));
  return names.length > 0 ? names : ['Anonymous'];
}

// ---------------------------------------------------------------------------------------------------

const STYLESHEET_TEXT = `body { font-family: serif; line-height: 1.45; margin: 0 4%; }
h1, h2, h3 { line-height: 1.2; }
h1.title, p.byline { text-align: center; }
h2.heading { text-align: center; margin: 1em 0; }
p.message, p.jump { font-size: 0.9em; font-style: italic; }
dl.meta { border: 1px solid #999; padding: 0.5em 0.8em; }
dl.meta dt { font-weight: bold; margin-top: 0.3em; }
dl.meta dd { margin: 0 0 0 1.5em; }
blockquote.userstuff { margin: 0.5em 1.5em; }
.userstuff p { margin: 0 0 0.8em 0; }
.userstuff table { border-collapse: collapse; margin: 0.5em 0; }
.userstuff td, .userstuff th { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
.center, .align-center { text-align: center; }
.align-left { text-align: left; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
.tt, .x-code, .x-kbd, .x-samp, .x-pre { font-family: monospace; }
.x-pre { white-space: pre-wrap; }
.address, .x-em, .x-i, .x-cite, .x-dfn, .x-var { font-style: italic; }
.x-b, .x-strong, .x-dt { font-weight: bold; }
.x-u { text-decoration: underline; }
.x-s { text-decoration: line-through; }
.x-small { font-size: smaller; }
.x-h1, .x-h2, .x-h3, .x-h4, .x-h5, .x-h6 { font-weight: bold; margin: 0.8em 0 0.4em 0; }
.x-h1 { font-size: 2em; }
.x-h2 { font-size: 1.5em; }
.x-h3 { font-size: 1.17em; }
.x-dd { margin-left: 1.5em; }
.x-p { margin: 0 0 0.8em 0; }
.image-link { font-style: italic; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 100%; }
ol.works li { margin-bottom: 0.3em; }
`;
