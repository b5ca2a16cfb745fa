// OPDS 1.2 catalog documents (https://specs.opds.io/opds-1.2): navigation feeds that point at other
// feeds, acquisition feeds of works with their EPUB download links, and the OpenSearch description a
// reading app fetches to search the catalog. Atom underneath; shared pieces live in atom.ts.

import { create } from 'xmlbuilder2';
import { htmlToPlainText } from '../domain/htmlPolicy.ts';
import {
  ATOM_NS,
  addAuthor,
  addCategories,
  addCreators,
  addElement,
  addLink,
  addText,
  atomDate,
  type FeedAuthor,
  feedAuthor,
  HTML_TYPE,
  workSummaryHtml,
  XMLNS_NS,
  type XmlNode,
  xmlLine,
} from './atom.ts';
import type { WorkDocument } from './workDocument.ts';

export { ATOM_TYPE } from './atom.ts';

export const OPDS_NAVIGATION_TYPE = 'application/atom+xml;profile=opds-catalog;kind=navigation';
export const OPDS_ACQUISITION_TYPE = 'application/atom+xml;profile=opds-catalog;kind=acquisition';
export const OPENSEARCH_TYPE = 'application/opensearchdescription+xml';
export const EPUB_TYPE = 'application/epub+zip';

export const DC_NS = 'http://purl.org/dc/terms/';
export const OPDS_NS = 'http://opds-spec.org/2010/catalog';
export const OPENSEARCH_NS = 'http://a9.com/-/spec/opensearch/1.1/';
export const THREAD_NS = 'http://purl.org/syndication/thread/1.0';

export const OPDS_ACQUISITION_REL = 'http://opds-spec.org/acquisition';

/** Link relations a navigation entry may use for the feed it points at. */
export type OpdsNavigationRel =
  | 'subsection'
  | 'http://opds-spec.org/sort/new'
  | 'http://opds-spec.org/sort/popular'
  | 'http://opds-spec.org/featured'
  | 'http://opds-spec.org/recommended';

export interface OpdsNavigationEntry {
  /** A stable IRI, e.g. the sub-catalog's URL. */
  id: string;
  title: string;
  /** The sub-catalog. */
  url: string;
  /** Plain text shown under the title. */
  content?: string;
  /** Whether the sub-catalog lists further catalogs or works. */
  kind: 'navigation' | 'acquisition';
  /** How many items the sub-catalog holds (becomes thr:count on the link). */
  count?: number;
  /** Defaults to "subsection". */
  rel?: OpdsNavigationRel;
  /** ISO-8601; defaults to the feed's updated. */
  updated?: string;
}

interface OpdsFeedBase {
  /** A stable IRI for this feed, e.g. its own URL. */
  id: string;
  title: string;
  selfUrl: string;
  /** The catalog root (a navigation feed). */
  startUrl: string;
  /** The OpenSearch description document. */
  searchUrl: string;
  /** ISO-8601. */
  updated: string;
  next?: string;
  previous?: string;
  /** Defaults to the works' archive, then to the host of selfUrl. */
  author?: FeedAuthor;
}

export interface OpdsNavigationFeed extends OpdsFeedBase {
  entries: OpdsNavigationEntry[];
}

export interface OpdsAcquisitionFeed extends OpdsFeedBase {
  /** In feed order. */
  works: WorkDocument[];
  /** Absolute URL of the work's EPUB download. */
  epubUrl: (work: WorkDocument) => string;
  /** Absolute URL of a single-file HTML download, offered as a second acquisition link when given. */
  htmlUrl?: (work: WorkDocument) => string;
  first?: string;
  /** OpenSearch paging figures, written when given. */
  totalResults?: number;
  itemsPerPage?: number;
  /** 1-based index of the first work on this page. */
  startIndex?: number;
}

export interface OpenSearchDescription {
  /** At most 16 characters (longer names are cut). */
  shortName: string;
  description: string;
  /** Absolute URL containing {searchTerms} and optionally {startPage?}. */
  searchTemplate: string;
}

function startFeed(feed: OpdsFeedBase, works: WorkDocument[], namespaces: Record<string, string>) {
  const document = create({ version: '1.0', encoding: 'UTF-8' });
  const root = document.ele(ATOM_NS, 'feed');
  for (const [prefix, namespace] of Object.entries(namespaces))
    root.att(XMLNS_NS, `xmlns:${prefix}`, namespace);
  addText(root, 'id', xmlLine(feed.id));
  addText(root, 'title', xmlLine(feed.title)).att('type', 'text');
  addText(root, 'updated', atomDate(feed.updated));
  addAuthor(root, feedAuthor(feed.author, works, feed.selfUrl));
  return { document, root };
}

function addCatalogLinks(root: XmlNode, feed: OpdsFeedBase, selfType: string): void {
  addLink(root, 'self', selfType, feed.selfUrl);
  addLink(root, 'start', OPDS_NAVIGATION_TYPE, feed.startUrl);
  addLink(root, 'search', OPENSEARCH_TYPE, feed.searchUrl);
  if (feed.previous !== undefined) addLink(root, 'previous', selfType, feed.previous);
  if (feed.next !== undefined) addLink(root, 'next', selfType, feed.next);
}

function countLabel(count: number): string {
  return count === 1 ? '1 work' : `${count} works`;
}

/** A navigation feed: each entry leads to another catalog feed. */
export function buildNavigationFeed(feed: OpdsNavigationFeed): string {
  const { document, root } = startFeed(feed, [], { opds: OPDS_NS, thr: THREAD_NS });
  addCatalogLinks(root, feed, OPDS_NAVIGATION_TYPE);
  for (const item of feed.entries) {
    const entry = root.ele(ATOM_NS, 'entry');
    addText(entry, 'id', xmlLine(item.id));
    addText(entry, 'title', xmlLine(item.title)).att('type', 'text');
    addText(entry, 'updated', atomDate(item.updated ?? feed.updated));
    // Atom requires content (or an alternate link) on every entry; without a description, say how big
    // the sub-catalog is, or leave it empty.
    const content = item.content ?? (item.count !== undefined ? countLabel(item.count) : '');
    addText(entry, 'content', content).att('type', 'text');
    const type = item.kind === 'navigation' ? OPDS_NAVIGATION_TYPE : OPDS_ACQUISITION_TYPE;
    const link = addLink(entry, item.rel ?? 'subsection', type, item.url);
    if (item.count !== undefined) link.att(THREAD_NS, 'thr:count', String(item.count));
  }
  return document.end({ prettyPrint: true });
}

/** The date part of an ISO timestamp, for dc:issued. */
function issuedDate(value: string): string {
  return atomDate(value).slice(0, 10);
}

function addWorkEntry(root: XmlNode, feed: OpdsAcquisitionFeed, work: WorkDocument): void {
  const entry = root.ele(ATOM_NS, 'entry');
  addText(entry, 'id', xmlLine(work.url));
  addText(entry, 'title', xmlLine(work.title)).att('type', 'text');
  addText(entry, 'updated', atomDate(work.updatedAt));
  addText(entry, 'published', atomDate(work.publishedAt));
  addCreators(entry, work);
  addText(entry, 'dc:language', xmlLine(work.language), DC_NS);
  addText(entry, 'dc:issued', issuedDate(work.publishedAt), DC_NS);
  if (work.archiveName) addText(entry, 'dc:publisher', xmlLine(work.archiveName), DC_NS);
  addCategories(entry, work);
  const summary = htmlToPlainText(work.summary);
  if (summary !== '') addText(entry, 'summary', summary).att('type', 'text');
  addText(entry, 'content', workSummaryHtml(work)).att('type', 'html');
  addLink(entry, OPDS_ACQUISITION_REL, EPUB_TYPE, feed.epubUrl(work), 'EPUB');
  if (feed.htmlUrl) addLink(entry, OPDS_ACQUISITION_REL, HTML_TYPE, feed.htmlUrl(work), 'HTML');
  addLink(entry, 'alternate', HTML_TYPE, work.url);
}

/** An acquisition feed: works with links to download them. */
export function buildAcquisitionFeed(feed: OpdsAcquisitionFeed): string {
  const { document, root } = startFeed(feed, feed.works, {
    dc: DC_NS,
    opds: OPDS_NS,
    opensearch: OPENSEARCH_NS,
  });
  addCatalogLinks(root, feed, OPDS_ACQUISITION_TYPE);
  if (feed.first !== undefined) addLink(root, 'first', OPDS_ACQUISITION_TYPE, feed.first);
  if (feed.totalResults !== undefined) {
    addText(root, 'opensearch:totalResults', String(feed.totalResults), OPENSEARCH_NS);
  }
  if (feed.itemsPerPage !== undefined) {
    addText(root, 'opensearch:itemsPerPage', String(feed.itemsPerPage), OPENSEARCH_NS);
  }
  if (feed.startIndex !== undefined) {
    addText(root, 'opensearch:startIndex', String(feed.startIndex), OPENSEARCH_NS);
  }
  for (const work of feed.works) addWorkEntry(root, feed, work);
  return document.end({ prettyPrint: true });
}

/** The OpenSearch 1.1 description that tells reading apps how to search the catalog. */
export function buildOpenSearchDescription(description: OpenSearchDescription): string {
  if (!description.searchTemplate.includes('{searchTerms}')) {
    throw new RangeError('searchTemplate must contain {searchTerms}');
  }
  const document = create({ version: '1.0', encoding: 'UTF-8' });
  const root = document.ele(OPENSEARCH_NS, 'OpenSearchDescription');
  // The spec caps ShortName at 16 characters and Description at 1024.
  addText(
    root,
    'ShortName',
    [...xmlLine(description.shortName).trim()].slice(0, 16).join('').trim(),
    OPENSEARCH_NS,
  );
  addText(root, 'Description', [...xmlLine(description.description)].slice(0, 1024).join(''), OPENSEARCH_NS);
  addText(root, 'InputEncoding', 'UTF-8', OPENSEARCH_NS);
  addText(root, 'OutputEncoding', 'UTF-8', OPENSEARCH_NS);
  addElement(
    root,
    'Url',
    { type: OPDS_ACQUISITION_TYPE, template: description.searchTemplate },
    OPENSEARCH_NS,
  );
  return document.end({ prettyPrint: true });
}
