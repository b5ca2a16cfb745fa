// Atom 1.0 (RFC 4287) feeds of works, shaped like AO3's tag feeds: one entry per work, its metadata block
// as the entry content so feed readers show what a listing blurb shows. Also the pieces the OPDS catalog
// (opds.ts) shares: dates, text cleaning, the metadata block and the tag categories.
//
// Every element and attribute goes through xmlbuilder2, given plain text by addText and addElement
// (see builderValue); HTML inside `content type="html"` is built here as a string (its own text escaped
// by escapeHtml) and then escaped again as XML text.

import { create } from 'xmlbuilder2';
import { paths } from '../domain/archivePaths.ts';
import { languageName } from '../domain/languages.ts';
import type { TagType } from '../domain/vocabulary.ts';
import type { WorkDocument } from './workDocument.ts';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Content-Type of an Atom feed. */
export const ATOM_TYPE = 'application/atom+xml';
export const HTML_TYPE = 'text/html';

export type XmlNode = ReturnType<typeof create>;

/** Who publishes a feed: the archive. */
export interface FeedAuthor {
  name: string;
  /** The archive's front page. */
  uri?: string;
}

export interface WorksAtomFeed {
  /** A stable IRI for this feed, e.g. its own URL. */
  id: string;
  title: string;
  selfUrl: string;
  /** The HTML page listing the same works. */
  alternateUrl: string;
  /** ISO-8601; usually the newest work's updatedAt. */
  updated: string;
  /** In feed order, newest first. */
  works: WorkDocument[];
  /** The feed's author; defaults to the first work's archive, then to the host of selfUrl. */
  author?: FeedAuthor;
}

// Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab/LF/CR, lone
// surrogates, U+FFFE/U+FFFF). Dropped rather than letting one bad title break the whole feed.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe to put in an XML document: characters XML 1.0 forbids removed. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/** A one-line value (title, name, attribute): forbidden characters removed, line breaks and tabs as spaces. */
export function xmlLine(text: string): string {
  return xmlText(text).replace(/[\t\n\r]+/g, ' ');
}

/** An RFC 3339 timestamp in UTC (whole seconds unless the input had milliseconds). */
export function atomDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${JSON.stringify(value)}`);
  return date.toISOString().replace('.000Z', 'Z');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML text or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** 12345 → "12,345", independent of the server's locale. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** AO3's chapter count: "2/?" while the total is unknown, "3/3" once complete. */
export function chapterCountLabel(work: WorkDocument): string {
  const expected = work.expectedChapters ?? (work.complete ? work.chapterCount : null);
  return `${work.chapterCount}/${expected ?? '?'}`;
}

function archiveBase(work: WorkDocument): string {
  return work.archiveUrl.replace(/\/+$/, '');
}

/** The archive's page for a tag (absolute). */
export function tagUrl(work: WorkDocument, name: string): string {
  return `${archiveBase(work)}${paths.tag(name)}`;
}

export interface WorkTag {
  type: TagType;
  name: string;
}

/** Every tag on the work, in the order the metadata block shows them. */
export function workTags(work: WorkDocument): WorkTag[] {
  const groups: [TagType, string[]][] = [
    ['rating', work.rating ? [work.rating] : []],
    ['warning', work.warnings],
    ['category', work.categories],
    ['fandom', work.fandoms],
    ['relationship', work.relationships],
    ['character', work.characters],
    ['freeform', work.freeforms],
  ];
  return groups.flatMap(([type, names]) => names.map((name) => ({ type, name })));
}

/**
 * The IRI naming the vocabulary a tag belongs to, used as atom:category's `scheme`: the archive's tag
 * space plus the tag type, e.g. https://fic.example.org/tags#relationship. An identifier, not a page.
 */
export function tagScheme(work: WorkDocument, type: TagType): string {
  return `${archiveBase(work)}/tags#${type}`;
}

/** `<category term scheme label>` for each tag of the work. */
export function addCategories(entry: XmlNode, work: WorkDocument): void {
  for (const tag of workTags(work)) {
    addElement(entry, 'category', { term: tag.name, scheme: tagScheme(work, tag.type), label: tag.name });
  }
}

/** `<author><name/><uri/></author>` for each creator. */
export function addCreators(entry: XmlNode, work: WorkDocument): void {
  for (const creator of work.creators) addAuthor(entry, { name: creator.name, uri: creator.url });
}

export function addAuthor(parent: XmlNode, author: FeedAuthor): void {
  const element = parent.ele(ATOM_NS, 'author');
  addText(element, 'name', xmlLine(author.name));
  if (author.uri) addText(element, 'uri', xmlLine(author.uri));
}

export function addLink(parent: XmlNode, rel: string, type: string, href: string, title?: string): XmlNode {
  const attributes: Record<string, string> = { rel, type, href };
  if (title !== undefined) attributes.title = title;
  return addElement(parent, 'link', attributes);
}

/**
 * A value as xmlbuilder2 must be given it for the document to hold exactly that text. Its serialiser
 * (4.x) takes any `&name;` or `&#n;` already in a text or attribute value for an escape its caller wrote
 * and leaves it alone, so a title typed as `Tom &nbsp; Jerry` became an entity XML does not define (the
 * whole feed unreadable) and one typed as `&lt;x&gt;` was read back as `<x>`. `&amp;` is the one
 * spelling it passes through unchanged, so every `&` is written so here; `<`, `>` and `"` it escapes.
 */
function builderValue(text: string): string {
  return xmlText(text).replace(/&/g, '&amp;');
}

/** An element with attributes given as plain one-line text. */
export function addElement(
  parent: XmlNode,
  name: string,
  attributes: Record<string, string>,
  namespace = ATOM_NS,
): XmlNode {
  const values = Object.entries(attributes).map(([key, value]) => [key, builderValue(xmlLine(value))]);
  return parent.ele(namespace, name, Object.fromEntries(values));
}

/** An element holding plain text. */
export function addText(parent: XmlNode, name: string, text: string, namespace = ATOM_NS): XmlNode {
  return parent.ele(namespace, name).txt(builderValue(text));
}

/** The feed's author: as given, else the archive the works come from, else the host serving the feed. */
export function feedAuthor(
  author: FeedAuthor | undefined,
  works: WorkDocument[],
  selfUrl: string,
): FeedAuthor {
  if (author) return author;
  const work = works[0];
  if (work) return { name: work.archiveName, uri: work.archiveUrl };
  try {
    const url = new URL(selfUrl);
    return { name: url.host, uri: url.origin };
  } catch {
    return { name: 'Quire' };
  }
}

function tagLinks(work: WorkDocument, names: string[]): string {
  return names
    .map((name) => `<a href="${escapeHtml(tagUrl(work, name))}">${escapeHtml(name)}</a>`)
    .join(', ');
}

/**
 * The work's blurb as HTML, for `content type="html"`: creators, summary, then the tags and stats as a
 * list. The summary is the archive's sanitised HTML, included as is; everything else is escaped here.
 */
export function workSummaryHtml(work: WorkDocument): string {
  const parts: string[] = [];
  if (work.creators.length > 0) {
    const creators = work.creators
      .map((creator) => `<a href="${escapeHtml(creator.url)}">${escapeHtml(creator.name)}</a>`)
      .join(', ');
    parts.push(`<p>by ${creators}</p>`);
  }
  if (work.summary.trim() !== '') parts.push(`<blockquote>${work.summary}</blockquote>`);

  const items: string[] = [];
  const tagItem = (label: string, names: string[]) => {
    if (names.length > 0) items.push(`<li>${label}: ${tagLinks(work, names)}</li>`);
  };
  tagItem('Rating', work.rating ? [work.rating] : []);
  tagItem('Warnings', work.warnings);
  tagItem('Categories', work.categories);
  tagItem('Fandoms', work.fandoms);
  tagItem('Relationships', work.relationships);
  tagItem('Characters', work.characters);
  tagItem('Additional Tags', work.freeforms);
  for (const part of work.series) {
    items.push(
      `<li>Series: Part ${part.position} of <a href="${escapeHtml(part.url)}">${escapeHtml(part.title)}</a></li>`,
    );
  }
  items.push(`<li>Language: ${escapeHtml(languageName(work.language))}</li>`);
  items.push(`<li>Words: ${formatCount(work.wordCount)}</li>`);
  items.push(`<li>Chapters: ${chapterCountLabel(work)}</li>`);
  parts.push(`<ul>${items.join('')}</ul>`);
  return xmlText(parts.join('\n'));
}

function addWorkEntry(feed: XmlNode, work: WorkDocument): void {
  const entry = feed.ele(ATOM_NS, 'entry');
  addText(entry, 'id', xmlLine(work.url));
  addText(entry, 'title', xmlLine(work.title)).att('type', 'text');
  addText(entry, 'published', atomDate(work.publishedAt));
  addText(entry, 'updated', atomDate(work.updatedAt));
  addCreators(entry, work);
  addLink(entry, 'alternate', HTML_TYPE, work.url);
  addText(entry, 'content', workSummaryHtml(work)).att('type', 'html');
  addCategories(entry, work);
}

/** An Atom feed of works (a tag's or a creator's), newest first as given. */
export function buildWorksAtomFeed(feed: WorksAtomFeed): string {
  const document = create({ version: '1.0', encoding: 'UTF-8' });
  const root = document.ele(ATOM_NS, 'feed');
  addText(root, 'id', xmlLine(feed.id));
  addText(root, 'title', xmlLine(feed.title)).att('type', 'text');
  addText(root, 'updated', atomDate(feed.updated));
  addLink(root, 'self', ATOM_TYPE, feed.selfUrl);
  addLink(root, 'alternate', HTML_TYPE, feed.alternateUrl);
  addAuthor(root, feedAuthor(feed.author, feed.works, feed.selfUrl));
  addText(root, 'generator', 'Quire');
  for (const work of feed.works) addWorkEntry(root, work);
  return document.end({ prettyPrint: true });
}
