// Reads the files AO3 hands out from a work's "Download" menu (HTML and EPUB) into a plain object, for
// `quire import ao3`. Pure: no database, no filesystem; callers pass the bytes in.
//
// Both formats share one structure (AO3's download templates):
//   div#preface   > p.message (title, work URL), div.meta > dl.tags (dt/dd pairs), h1, .byline,
//                   "Summary"/"Notes" labels each followed by a blockquote
//   div#chapters  > one-shot: h2.toc-heading + div.userstuff
//                 > several chapters: per chapter div.meta.group (h2.heading, "Chapter Summary",
//                   "Chapter Notes"), div.userstuff (the text), div#endnotesN ("Chapter End Notes")
//   div#afterword > div#endnotes ("End Notes"), p.message (comment link)
// The EPUB is Calibre's conversion of that HTML: Calibre renames most classes (calibre1, userstuff2…),
// keeps ids, and splits the document into several files, repeating the ancestor divs in each. So the
// parser relies on ids, element structure and label texts rather than on classes, and an EPUB is read
// by concatenating the bodies of its spine files and parsing the result like the HTML download.

import path from 'node:path';
import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { normaliseTextsIn } from '../domain/textNormalisation.ts';
import { DEFAULT_ZIP_LIMITS, isSafeZipPath, readZipEntries, ZipRejectedError } from './safeZip.ts';

export interface ImportedChapter {
  /** The chapter's own title, without AO3's "Chapter N: " prefix; '' when untitled. */
  title: string;
  /** HTML fragments as found in the download ('' when absent). */
  summary: string;
  notes: string;
  endNotes: string;
  body: string /* HTML fragment as found */;
}

export interface ImportedWork {
  /** The AO3 work URL, https-normalised (http://archiveofourown.org/works/1 → https://archiveofourown.org/works/1). */
  sourceUrl: string | null;
  title: string;
  creators: string[];
  /** HTML fragments ('' when absent). */
  summary: string;
  notes: string;
  endNotes: string;
  rating: string | null;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  /** As written in the download, e.g. "English", "Español". */
  language: string | null;
  /** BCP 47, best effort ('en', 'es', 'zh', 'pt-BR'…); null if unknown. */
  languageCode: string | null;
  series: { title: string; position: number; url: string | null }[];
  /** ISO timestamps at midnight UTC ('YYYY-MM-DDT00:00:00.000Z'). */
  publishedAt: string | null;
  /** The last revision date: Stats "Updated:" (work in progress) or "Completed:" (finished work). */
  updatedAt: string | null;
  /** Stats "Completed:"; for a finished work without that line (finished the day it was posted), publishedAt. */
  completedAt: string | null;
  wordCount: number | null;
  /** Stats "Chapters: 3/5" → 3 (falls back to the number of chapters found). */
  chapterCount: number;
  /** Stats "Chapters: 3/5" → 5; "3/?" → null. */
  expectedChapters: number | null;
  complete: boolean;
  chapters: ImportedChapter[];
}

export class Ao3FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Ao3FormatError';
  }
}

export interface Ao3EpubOptions {
  /** Cap on the bytes inflated from the zip (only text files are inflated). Default 50 MB. */
  maxUncompressedBytes?: number;
  /** Cap on the number of entries in the zip's central directory. Default 10,000. */
  maxEntries?: number;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = DEFAULT_ZIP_LIMITS.maxUncompressedBytes;
export const DEFAULT_MAX_ENTRIES = DEFAULT_ZIP_LIMITS.maxEntries;

// ---------------------------------------------------------------------------------------------------------
// Public entry points. What they return is text as the archive keeps it (textNormalisation.ts): a file
// may hold control characters that no form would let through.

export function parseAo3Html(html: string): ImportedWork {
  if (typeof html !== 'string' || html.trim() === '')
    throw new Ao3FormatError('not an AO3 download: empty file');
  return normaliseTextsIn(extractWork(cheerio.load(html), null));
}

/** Like parseAo3Html, for raw bytes: honours a BOM or a declared charset, else tries UTF-8, then windows-1252. */
export function parseAo3HtmlBytes(bytes: Buffer): ImportedWork {
  return parseAo3Html(decodeHtmlBytes(bytes));
}

export async function parseAo3Epub(bytes: Buffer, options: Ao3EpubOptions = {}): Promise<ImportedWork> {
  let files: Map<string, Buffer>;
  try {
    files = await readZipEntries(bytes, (name) => TEXT_FILE.test(name) || name === 'mimetype', {
      maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES,
      maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    });
  } catch (error) {
    if (error instanceof ZipRejectedError) throw new Ao3FormatError(`EPUB rejected: ${error.message}`);
    throw error;
  }
  const opf = readOpf(files);
  const docPaths = opf?.spine.length ? opf.spine : fallbackSpine(files);
  const bodies: string[] = [];
  for (const docPath of docPaths) {
    const bytesOfDoc = files.get(docPath);
    if (!bytesOfDoc) continue;
    const $doc = cheerio.load(xhtmlToHtml(decodeHtmlBytes(bytesOfDoc)));
    const body = $doc('body');
    bodies.push((body.length ? body.html() : $doc.root().html()) ?? '');
  }
  if (bodies.length === 0)
    throw new Ao3FormatError('not an AO3 download: the EPUB has no readable XHTML files');
  const $ = cheerio.load(`<!DOCTYPE html><html><head></head><body>\n${bodies.join('\n')}\n</body></html>`);
  return normaliseTextsIn(extractWork($, opf));
}

/** Which parser a file needs, from its bytes (and its name, for zips without an EPUB mimetype entry). */
export function sniffAo3Download(fileName: string, bytes: Buffer): 'html' | 'epub' | null {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    const head = bytes.subarray(0, 200).toString('latin1');
    if (head.includes('mimetypeapplication/epub+zip') || /\.epub$/i.test(fileName)) return 'epub';
    return null;
  }
  const text = decodeHtmlBytes(bytes.subarray(0, 1024 * 1024));
  const looksHtml = /<(?:!doctype\s+html|html|body)\b/i.test(text);
  const hasPreface = /\bid\s*=\s*["']?preface\b/i.test(text);
  const hasTags = /<dl\b[^>]*\bclass\s*=\s*["'][^"']*\btags\b/i.test(text);
  return looksHtml && hasPreface && hasTags ? 'html' : null;
}

// ---------------------------------------------------------------------------------------------------------
// Text decoding

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function decodeHtmlBytes(bytes: Buffer): string {
  if (bytes.length >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b)) return tryDecode('utf-8', bytes, false)!;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return tryDecode('utf-16le', bytes, false)!;
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return tryDecode('utf-16be', bytes, false)!;
  const head = bytes.subarray(0, 4096).toString('latin1');
  const declared =
    /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ??
    /<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1];
  if (declared) {
    // An ASCII-compatible file cannot really be UTF-16 (the HTML standard treats that label as UTF-8).
    const label = /^utf-?16/i.test(declared) ? 'utf-8' : declared;
    const text = tryDecode(label, bytes, true);
    if (text !== null) return text;
  }
  return tryDecode('utf-8', bytes, true) ?? tryDecode('windows-1252', bytes, false)!;
}

function tryDecode(label: string, bytes: Buffer, fatal: boolean): string | null {
  try {
    const decoder = new TextDecoder(label, { fatal });
    const text = decoder.decode(bytes);
    // Node's windows-1252 decoder (also used for the latin1/ascii labels) is plain latin1: 0x80–0x9F come
    // out as C1 controls instead of curly quotes, dashes, € and so on.
    return decoder.encoding === 'windows-1252'
      ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c] ?? c)
      : text;
  } catch {
    return null; // unknown label, or invalid bytes for a fatal decoder
  }
}

const CP1252_C1: Record<string, string> = Object.fromEntries(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'].map((c, i) => [
    String.fromCharCode(0x80 + i),
    c,
  ]),
);

// ---------------------------------------------------------------------------------------------------------
// The shared extractor

interface OpfMeta {
  title: string | null;
  creators: string[];
  language: string | null;
  sources: string[];
  spine: string[];
}

interface ChapterDraft {
  title: string;
  summary: string;
  notes: string;
  endNotes: string;
  body: string[];
}

type Slot = 'summary' | 'notes' | 'endNotes';

function extractWork($: CheerioAPI, opf: OpfMeta | null): ImportedWork {
  const prefaces = $('[id="preface"]').toArray();
  const metaDl = findMetaList($, prefaces);
  if (!metaDl) {
    throw new Ao3FormatError(
      'not an AO3 download: no meta block (the <dl class="tags"> list with Rating, Fandom and Stats)',
    );
  }
  const meta = readMetaList($, metaDl);

  // Preface: title, creators, summary and notes.
  const around = $(metaDl).parents().eq(1).toArray();
  const prefaceRoots = prefaces.length > 0 ? prefaces : around.length > 0 ? around : [metaDl];
  let title = '';
  const work: Record<Slot, string> = { summary: '', notes: '', endNotes: '' };
  let pending: Slot | null = null;
  for (const root of prefaceRoots) {
    walk(root, (el) => {
      const tag = el.tagName.toLowerCase();
      if (tag === 'dl' || tag === 'script' || tag === 'style') return false;
      if (tag === 'h1') {
        if (!title) title = cleanText($(el).text());
        return false;
      }
      if (hasClass(el, 'byline')) return false;
      if (tag === 'p' && !hasClass(el, 'message')) {
        const label = labelOf($(el).text());
        if (label === 'summary') pending = 'summary';
        else if (label === 'notes') pending = 'notes';
        return false;
      }
      if (tag === 'blockquote') {
        if (pending && !work[pending]) work[pending] = innerHtml($, el);
        pending = null;
        return false;
      }
      return true;
    });
  }
  if (!title) title = cleanText($(prefaceRoots).find('p.message b').first().text());
  if (!title && opf?.title) title = cleanText(opf.title);
  if (!title) throw new Ao3FormatError('not an AO3 download: no work title (no <h1> in the preface)');

  const byline = $(prefaceRoots).find('.byline').first().toArray()[0];
  let creators = byline ? creatorsFromByline($, byline) : [];
  if (creators.length === 0)
    creators = uniq($(prefaceRoots).find('a[rel~="author"]').toArray().map(textOf($)));
  if (creators.length === 0 && opf) creators = uniq(opf.creators.map(cleanText).filter(Boolean));

  // Chapters.
  const containers = $('[id="chapters"]').toArray();
  if (containers.length === 0) {
    throw new Ao3FormatError('not a complete AO3 download: no chapters section (div#chapters); truncated?');
  }
  const chapters = readChapters($, containers);
  if (chapters.length === 0) throw new Ao3FormatError('not a complete AO3 download: no chapter text found');

  // Afterword: the work's end notes.
  const afterwords = $('[id="afterword"]').toArray();
  pending = null;
  for (const root of afterwords) {
    walk(root, (el) => {
      const tag = el.tagName.toLowerCase();
      if (tag === 'dl') return false; // "Works inspired by this one"
      if (tag === 'p' && labelOf($(el).text()) === 'end notes') {
        pending = 'endNotes';
        return false;
      }
      if (tag === 'blockquote') {
        const inEndnotes = $(el).closest('[id="endnotes"]').length > 0;
        if ((pending === 'endNotes' || inEndnotes) && !work.endNotes) work.endNotes = innerHtml($, el);
        pending = null;
        return false;
      }
      return true;
    });
  }

  // Truncation: AO3 always writes every posted chapter and the afterword.
  const stats = meta.stats;
  if (stats.chapters !== null && chapters.length < stats.chapters) {
    throw new Ao3FormatError(
      `incomplete AO3 download (truncated?): Stats say ${stats.chapters} chapters but ${chapters.length} were found`,
    );
  }
  if (afterwords.length === 0) {
    throw new Ao3FormatError('incomplete AO3 download (truncated?): the afterword section is missing');
  }

  const sourceUrl = findSourceUrl($, prefaceRoots, afterwords, opf);
  const chapterCount = stats.chapters ?? chapters.length;
  const expectedChapters = stats.chapters === null ? null : stats.expected;
  const complete =
    stats.completed !== null || (expectedChapters !== null && chapterCount >= expectedChapters);
  const language = meta.language;

  return {
    sourceUrl,
    title,
    creators,
    summary: work.summary,
    notes: work.notes,
    endNotes: work.endNotes,
    rating: meta.rating[0] ?? null,
    warnings: meta.warnings,
    categories: meta.categories,
    fandoms: meta.fandoms,
    relationships: meta.relationships,
    characters: meta.characters,
    freeforms: meta.freeforms,
    language,
    languageCode:
      (language ? languageCodeFor(language) : null) ?? (opf?.language ? languageCodeFor(opf.language) : null),
    series: meta.series,
    publishedAt: isoDate(stats.published),
    updatedAt: isoDate(stats.updated ?? stats.completed),
    completedAt: isoDate(stats.completed ?? (complete ? stats.published : null)),
    wordCount: stats.words,
    chapterCount,
    expectedChapters,
    complete,
    chapters: chapters.map((c) => ({
      title: c.title,
      summary: c.summary,
      notes: c.notes,
      endNotes: c.endNotes,
      body: c.body.join('\n').trim(),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The meta block

const META_LABELS: Record<string, keyof TagLists | 'language' | 'series' | 'stats'> = {
  rating: 'rating',
  ratings: 'rating',
  'archive warning': 'warnings',
  'archive warnings': 'warnings',
  warning: 'warnings',
  warnings: 'warnings',
  category: 'categories',
  categories: 'categories',
  fandom: 'fandoms',
  fandoms: 'fandoms',
  relationship: 'relationships',
  relationships: 'relationships',
  character: 'characters',
  characters: 'characters',
  'additional tag': 'freeforms',
  'additional tags': 'freeforms',
  freeform: 'freeforms',
  freeforms: 'freeforms',
  language: 'language',
  series: 'series',
  stats: 'stats',
};

interface TagLists {
  rating: string[];
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
}

interface Stats {
  published: string | null;
  updated: string | null;
  completed: string | null;
  words: number | null;
  chapters: number | null;
  expected: number | null;
}

interface MetaBlock extends TagLists {
  language: string | null;
  series: ImportedWork['series'];
  stats: Stats;
}

/** The first <dl> (preface first) whose <dt> labels look like AO3's. */
function findMetaList($: CheerioAPI, prefaces: Element[]): Element | null {
  const looksLikeMeta = (dl: Element) =>
    $(dl)
      .children('dt')
      .toArray()
      .some((dt) => {
        const key = META_LABELS[labelOf($(dt).text())];
        return key === 'rating' || key === 'warnings' || key === 'fandoms' || key === 'stats';
      });
  const inPreface = $(prefaces).find('dl').toArray().find(looksLikeMeta);
  return inPreface ?? $('dl').toArray().find(looksLikeMeta) ?? null;
}

function readMetaList($: CheerioAPI, dl: Element): MetaBlock {
  const meta: MetaBlock = {
    rating: [],
    warnings: [],
    categories: [],
    fandoms: [],
    relationships: [],
    characters: [],
    freeforms: [],
    language: null,
    series: [],
    stats: { published: null, updated: null, completed: null, words: null, chapters: null, expected: null },
  };
  let key: (typeof META_LABELS)[string] | undefined;
  for (const child of $(dl).children().toArray()) {
    const tag = child.tagName.toLowerCase();
    if (tag === 'dt') {
      key = META_LABELS[labelOf($(child).text())];
      continue;
    }
    if (tag !== 'dd' || !key) continue;
    if (key === 'language') meta.language = cleanText($(child).text()) || null;
    else if (key === 'series') meta.series.push(...readSeries($, child));
    else if (key === 'stats') meta.stats = readStats(cleanText($(child).text()));
    else meta[key] = uniq([...meta[key], ...tagsOf($, child)]);
  }
  return meta;
}

function tagsOf($: CheerioAPI, dd: Element): string[] {
  const links = $(dd).find('a').toArray().map(textOf($)).filter(Boolean);
  if (links.length > 0) return links;
  // Tag names cannot contain commas on AO3, so plain text splits safely.
  return cleanText($(dd).text())
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function readSeries($: CheerioAPI, dd: Element): ImportedWork['series'] {
  const out: ImportedWork['series'] = [];
  let position: number | null = null;
  for (const node of $(dd).contents().toArray()) {
    if (node.type === 'text') {
      const match = /part\s+(\d+)\s+of\s*$/i.exec(cleanText(node.data));
      if (match) position = Number(match[1]);
    } else if (isElement(node) && node.tagName.toLowerCase() === 'a' && position !== null) {
      const title = cleanText($(node).text());
      const href = $(node).attr('href');
      if (title) out.push({ title, position, url: href ? normaliseAo3Url(href) : null });
      position = null;
    }
  }
  if (out.length === 0) {
    // No links: "Part 2 of Some Series, Part 1 of Another".
    for (const m of cleanText($(dd).text()).matchAll(
      /part\s+(\d+)\s+of\s+(.+?)(?=,\s*part\s+\d+\s+of\s|$)/gi,
    )) {
      out.push({ title: m[2].trim(), position: Number(m[1]), url: null });
    }
  }
  return out;
}

function readStats(text: string): Stats {
  const date = (label: string) =>
    new RegExp(`${label}:\\s*(\\d{4}-\\d{2}-\\d{2})`, 'i').exec(text)?.[1] ?? null;
  const words = /Words:\s*([\d.,\s]*\d)/i.exec(text)?.[1];
  const chapters = /Chapters:\s*(\d+)\s*\/\s*(\d+|\?)/i.exec(text);
  return {
    published: date('Published'),
    updated: date('Updated'),
    completed: date('Completed'),
    words: words ? Number(words.replace(/\D/g, '')) : null,
    chapters: chapters ? Number(chapters[1]) : null,
    expected: chapters && chapters[2] !== '?' ? Number(chapters[2]) : null,
  };
}

function creatorsFromByline($: CheerioAPI, byline: Element): string[] {
  const links = $(byline).find('a[rel~="author"]').toArray().map(textOf($)).filter(Boolean);
  if (links.length > 0) return uniq(links);
  // "by Anonymous", or a byline whose links were stripped.
  const text = cleanText($(byline).text()).replace(/^by\s+/i, '');
  return uniq(
    text
      .split(/\s*,\s*|\s+and\s+/)
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Chapters

const CHAPTER_LABELS: Record<string, Slot> = {
  'chapter summary': 'summary',
  'chapter notes': 'notes',
  'chapter end notes': 'endNotes',
};

function readChapters($: CheerioAPI, containers: Element[]): ChapterDraft[] {
  const chapters: ChapterDraft[] = [];
  let current: ChapterDraft | null = null;
  const ensure = (): ChapterDraft => {
    if (!current) {
      current = { title: '', summary: '', notes: '', endNotes: '', body: [] };
      chapters.push(current);
    }
    return current;
  };
  const readNotes = (root: Element, fallback: Slot | null) => {
    let pending: Slot | null = fallback;
    walk(root, (el) => {
      const tag = el.tagName.toLowerCase();
      if (tag === 'h2') {
        current = {
          title: chapterTitle(cleanText($(el).text())),
          summary: '',
          notes: '',
          endNotes: '',
          body: [],
        };
        chapters.push(current);
        pending = fallback;
        return false;
      }
      if (tag === 'p') {
        const slot = CHAPTER_LABELS[labelOf($(el).text())];
        if (slot) pending = slot;
        return false; // also skips p.byline (a co-creator line) and plain paragraphs
      }
      if (tag === 'blockquote') {
        const chapter = ensure();
        if (pending && !chapter[pending]) chapter[pending] = innerHtml($, el);
        pending = fallback;
        return false;
      }
      return !hasClass(el, 'endnote-link');
    });
  };

  for (const container of containers) {
    for (const child of $(container).children().toArray()) {
      const tag = child.tagName.toLowerCase();
      const id = $(child).attr('id') ?? '';
      if (/^endnotes\d*$/.test(id)) {
        readNotes(child, 'endNotes');
      } else if (/^h[1-6]$/.test(tag)) {
        // A one-shot's heading repeats the work title: not a chapter title.
      } else if (isChapterHeader($, child)) {
        readNotes(child, null);
      } else if (tag === 'div' || tag === 'section') {
        const html = innerHtml($, child);
        if (hasContent($, child)) ensure().body.push(html);
      } else if (hasContent($, child)) {
        ensure().body.push($.html(child));
      }
    }
  }
  return chapters;
}

/** div.meta.group, or (in Calibre's output, where that class is renamed) a div holding an h2 or chapter labels. */
function isChapterHeader($: CheerioAPI, el: Element): boolean {
  const cls = $(el).attr('class') ?? '';
  if (/\buserstuff/.test(cls)) return false;
  if (/\b(meta|group)\b/.test(cls)) return true;
  if ($(el).children('h2').length > 0) return true;
  if ($(el).find('.endnote-link').length > 0) return true;
  return $(el)
    .children('p')
    .toArray()
    .some((p) => CHAPTER_LABELS[labelOf($(p).text())] !== undefined);
}

function hasContent($: CheerioAPI, el: Element): boolean {
  return (
    cleanText($(el).text()) !== '' ||
    $(el).find('img, hr, iframe, video, audio, object, embed, svg').length > 0
  );
}

/** "Chapter 3: Salt & Cinder" → "Salt & Cinder"; "Chapter 2" → ''; older templates' bare titles stay. */
export function chapterTitle(heading: string): string {
  const match = /^chapter\s+\d+\s*(?::\s*([\s\S]*))?$/i.exec(heading.trim());
  return match ? (match[1] ?? '').trim() : heading.trim();
}

// ---------------------------------------------------------------------------------------------------------
// URLs

const AO3_HOST = /^(?:https?:)?\/\/(?:www\.)?(?:archiveofourown\.(?:org|com|net)|ao3\.org)(?=[/?#]|$)/i;

/** AO3 links on the canonical https host; a work or series link is cut to its bare path. Others unchanged. */
export function normaliseAo3Url(href: string): string {
  const url = href.trim();
  const host = AO3_HOST.exec(url);
  if (!host) return url;
  const rest = url.slice(host[0].length);
  const thing = /^\/(works|series|collections|users)\/([^/?#]+)/.exec(rest);
  if (thing && (thing[1] === 'works' || thing[1] === 'series')) {
    return `https://archiveofourown.org/${thing[1]}/${thing[2]}`;
  }
  return `https://archiveofourown.org${rest}`;
}

function findSourceUrl(
  $: CheerioAPI,
  prefaces: Element[],
  afterwords: Element[],
  opf: OpfMeta | null,
): string | null {
  // Only AO3's own lines: the preface's "Posted originally on … at URL" and the afterword's comment link.
  // Links inside summaries and notes often point at other works.
  const hrefs = (root: Element[], selector: string) =>
    $(root)
      .find(selector)
      .toArray()
      .map((a) => $(a).attr('href'));
  const candidates = [
    ...hrefs(prefaces, 'p.message a'),
    ...hrefs(afterwords, 'a[href*="/comments"]'), // ".../works/123/comments/new"
    ...(opf?.sources ?? []), // dc:source, dc:identifier
  ];
  const href = candidates.find(
    (h): h is string => !!h && /^(?:https?:)?\/\/[^/]+\/works\/\d+/i.test(h.trim()),
  );
  if (!href) return null;
  const normalised = normaliseAo3Url(href);
  // Another OTW archive: keep the work's own address, without the comment path.
  return normalised.replace(/(\/works\/\d+)[/?#].*$/, '$1');
}

// ---------------------------------------------------------------------------------------------------------
// Languages

const LANGUAGES: Record<string, string> = {
  english: 'en',
  español: 'es',
  castellano: 'es',
  spanish: 'es',
  français: 'fr',
  french: 'fr',
  deutsch: 'de',
  german: 'de',
  italiano: 'it',
  italian: 'it',
  nederlands: 'nl',
  dutch: 'nl',
  português: 'pt',
  portuguese: 'pt',
  'português brasileiro': 'pt-BR',
  'português europeu': 'pt-PT',
  polski: 'pl',
  polish: 'pl',
  русский: 'ru',
  russian: 'ru',
  українська: 'uk',
  ukrainian: 'uk',
  беларуская: 'be',
  български: 'bg',
  'български език': 'bg',
  čeština: 'cs',
  czech: 'cs',
  slovenčina: 'sk',
  slovenščina: 'sl',
  hrvatski: 'hr',
  srpski: 'sr',
  српски: 'sr',
  bosanski: 'bs',
  македонски: 'mk',
  magyar: 'hu',
  hungarian: 'hu',
  română: 'ro',
  suomi: 'fi',
  finnish: 'fi',
  svenska: 'sv',
  swedish: 'sv',
  norsk: 'no',
  'norsk bokmål': 'nb',
  nynorsk: 'nn',
  dansk: 'da',
  danish: 'da',
  íslenska: 'is',
  føroyskt: 'fo',
  eesti: 'et',
  'eesti keel': 'et',
  latviešu: 'lv',
  'latviešu valoda': 'lv',
  lietuvių: 'lt',
  'lietuvių kalba': 'lt',
  ελληνικά: 'el',
  greek: 'el',
  türkçe: 'tr',
  turkish: 'tr',
  'azərbaycan dili': 'az',
  қазақша: 'kk',
  'қазақ тілі': 'kk',
  монгол: 'mn',
  'монгол хэл': 'mn',
  հայերեն: 'hy',
  ქართული: 'ka',
  עברית: 'he',
  hebrew: 'he',
  العربية: 'ar',
  arabic: 'ar',
  فارسی: 'fa',
  اردو: 'ur',
  हिन्दी: 'hi',
  hindi: 'hi',
  বাংলা: 'bn',
  ਪੰਜਾਬੀ: 'pa',
  தமிழ்: 'ta',
  తెలుగు: 'te',
  मराठी: 'mr',
  ગુજરાતી: 'gu',
  ಕನ್ನಡ: 'kn',
  മലയാളം: 'ml',
  සිංහල: 'si',
  नेपाली: 'ne',
  ไทย: 'th',
  thai: 'th',
  'tiếng việt': 'vi',
  vietnamese: 'vi',
  'bahasa indonesia': 'id',
  indonesian: 'id',
  'bahasa malaysia': 'ms',
  'bahasa melayu': 'ms',
  filipino: 'fil',
  tagalog: 'tl',
  'basa jawa': 'jv',
  日本語: 'ja',
  japanese: 'ja',
  한국어: 'ko',
  '한국어 (korean)': 'ko',
  korean: 'ko',
  中文: 'zh',
  chinese: 'zh',
  català: 'ca',
  euskara: 'eu',
  galego: 'gl',
  gaeilge: 'ga',
  gàidhlig: 'gd',
  cymraeg: 'cy',
  brezhoneg: 'br',
  lëtzebuergesch: 'lb',
  malti: 'mt',
  shqip: 'sq',
  esperanto: 'eo',
  latine: 'la',
  latina: 'la',
  'lingua latina': 'la',
  latin: 'la',
  interlingua: 'ia',
  'toki pona': 'tok',
  'tlhingan-hol': 'tlh',
  'tlhingan hol': 'tlh',
  quenya: 'qya',
  sindarin: 'sjn',
  lojban: 'jbo',
  volapük: 'vo',
  afrikaans: 'af',
  kiswahili: 'sw',
  'af soomaali': 'so',
  hausa: 'ha',
  yorùbá: 'yo',
  isizulu: 'zu',
  አማርኛ: 'am',
  scots: 'sco',
  kurdî: 'ku',
  'sprēkō þiudiskō': 'got',
};

/** BCP 47 code for an AO3 language name ("English", "Español", "中文-普通话 國語"…), or null. */
export function languageCodeFor(name: string): string | null {
  const raw = name.trim().normalize('NFC');
  if (!raw) return null;
  if (/^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(raw)) {
    // Already a code (an EPUB's dc:language): canonical case.
    const [primary, ...rest] = raw.split(/[-_]/);
    return [primary, ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p))].join('-');
  }
  const key = raw.toLowerCase().replace(/\s+/g, ' ');
  if (LANGUAGES[key]) return LANGUAGES[key];
  if (key.startsWith('中文')) {
    if (/粵|粤|广东|廣東/.test(key)) return 'yue';
    if (/闽南|閩南|臺語|台語/.test(key)) return 'nan';
    if (/客家/.test(key)) return 'hak';
    if (/吴|吳/.test(key)) return 'wuu';
    return 'zh';
  }
  const bare = key.replace(/\s*\(.*\)\s*$/, '');
  return LANGUAGES[bare] ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// EPUB container

const TEXT_FILE = /\.(?:xhtml|html|htm|xml|opf|ncx)$/i;

function readOpf(files: Map<string, Buffer>): OpfMeta | null {
  let opfPath: string | undefined;
  const container = files.get('META-INF/container.xml');
  if (container) {
    const $c = cheerio.load(decodeHtmlBytes(container), { xml: true });
    const fullPath = byLocalName($c, 'rootfile')
      .map((el) => $c(el).attr('full-path') ?? '')
      .find((p) => /\.opf$/i.test(p));
    if (fullPath) opfPath = resolveInZip('', fullPath) ?? undefined;
  }
  if (!opfPath || !files.has(opfPath)) opfPath = [...files.keys()].find((name) => /\.opf$/i.test(name));
  if (!opfPath) return null;

  const $o = cheerio.load(decodeHtmlBytes(files.get(opfPath)!), { xml: true });
  const texts = (local: string) => byLocalName($o, local).map((el) => cleanText($o(el).text()));
  const dir = path.posix.dirname(opfPath) === '.' ? '' : path.posix.dirname(opfPath);
  const manifest = new Map<string, string>();
  for (const item of byLocalName($o, 'item')) {
    const id = $o(item).attr('id');
    const href = $o(item).attr('href');
    const resolved = href ? resolveInZip(dir, href) : null;
    if (id && resolved) manifest.set(id, resolved);
  }
  const spine = byLocalName($o, 'itemref')
    .map((el) => manifest.get($o(el).attr('idref') ?? ''))
    .filter((p): p is string => !!p && /\.(?:xhtml|html|htm|xml)$/i.test(p));
  return {
    title: texts('title')[0] ?? null,
    creators: texts('creator'),
    language: texts('language')[0] ?? null,
    sources: [...texts('source'), ...texts('identifier')],
    spine,
  };
}

function fallbackSpine(files: Map<string, Buffer>): string[] {
  return [...files.keys()]
    .filter((name) => /\.(?:xhtml|html|htm)$/i.test(name) && !/(?:^|\/)(?:nav|toc)\.x?html?$/i.test(name))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** A manifest href resolved against the OPF's folder; null when it points outside the archive. */
function resolveInZip(dir: string, href: string): string | null {
  let decoded = href.split('#')[0];
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // keep it as written
  }
  if (decoded === '' || /^[a-z][a-z0-9+.-]*:/i.test(decoded) || decoded.startsWith('/')) return null;
  const joined = path.posix.normalize(path.posix.join(dir, decoded));
  return isSafeZipPath(joined) ? joined : null;
}

function byLocalName($: CheerioAPI, local: string): Element[] {
  return $('*')
    .toArray()
    .filter(isElement)
    .filter((el) => (el.tagName.split(':').pop() ?? '').toLowerCase() === local);
}

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** XHTML's self-closed non-void elements (<a id="x"/>, <div/>) would swallow what follows in an HTML parser. */
function xhtmlToHtml(xhtml: string): string {
  return xhtml.replace(
    /<([a-zA-Z][\w:-]*)((?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/>/g,
    (all, tag, attrs) => (VOID_ELEMENTS.has(tag.toLowerCase()) ? all : `<${tag}${attrs}></${tag}>`),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Depth-first over element descendants of root; visit returns whether to descend into an element. */
function walk(root: Element, visit: (el: Element) => boolean): void {
  for (const child of root.children) {
    if (!isElement(child)) continue;
    if (visit(child)) walk(child, visit);
  }
}

function hasClass(el: Element, name: string): boolean {
  return (el.attribs?.class ?? '').split(/\s+/).includes(name);
}

/** Trim, collapse whitespace (including no-break spaces). */
function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function textOf($: CheerioAPI) {
  return (el: Element) => cleanText($(el).text());
}

/** "Summary:" / " Chapter  Notes " → "summary" / "chapter notes". */
function labelOf(text: string): string {
  return cleanText(text).replace(/:$/, '').trim().toLowerCase();
}

function innerHtml($: CheerioAPI, el: Element): string {
  return ($(el).html() ?? '').trim();
}

function uniq(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))];
}

function isoDate(day: string | null): string | null {
  if (!day) return null;
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString();
}
