import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { paths } from '../domain/archivePaths.ts';
import type { Viewer } from '../domain/permissions.ts';
import { bylineName, bylinePath } from '../domain/pseudRules.ts';
import type { CreatorDocument, SeriesDocument, WorkDocument } from '../formats/workDocument.ts';
import { readChapters } from './chapters.ts';
import { getSeries, type SeriesPart } from './series.ts';
import type { WorkSummary } from './workViews.ts';

/** The archive as exports name it: its name and public origin (https://fic.example.org). */
export interface ArchiveSite {
  name: string;
  origin: string;
}

function creatorsOf(work: WorkSummary, site: ArchiveSite): CreatorDocument[] {
  if (work.importedCreators.length > 0) {
    return work.importedCreators.map((name) => ({
      name,
      url: work.importedFrom ?? `${site.origin}${paths.work(work.id)}`,
    }));
  }
  return work.creators.map((creator) => ({
    name: bylineName(creator),
    url: `${site.origin}${bylinePath(creator)}`,
  }));
}

/** A work's metadata as an export document, without chapter text (what feeds and catalogs list). */
export function workDocumentOf(
  work: WorkSummary,
  site: ArchiveSite,
  series: SeriesPart[] = [],
): WorkDocument {
  return {
    id: work.id,
    url: `${site.origin}${paths.work(work.id)}`,
    title: work.title,
    summary: work.summary,
    notes: work.notes,
    endNotes: work.endNotes,
    rating: work.rating,
    warnings: work.warnings,
    categories: work.categories,
    fandoms: work.fandoms,
    relationships: work.relationships,
    characters: work.characters,
    freeforms: work.freeforms,
    language: work.language,
    complete: work.complete,
    expectedChapters: work.expectedChapters,
    wordCount: work.wordCount,
    chapterCount: work.chapterCount,
    kudosCount: work.kudosCount,
    commentsCount: work.commentsCount,
    bookmarksCount: work.bookmarksCount,
    hits: work.hits,
    creators: creatorsOf(work, site),
    publishedAt: work.publishedAt ?? work.revisedAt,
    updatedAt: work.updatedAt,
    revisedAt: work.revisedAt,
    series: series.map((part) => ({
      title: part.title,
      url: `${site.origin}${paths.series(part.id)}`,
      position: part.position,
    })),
    chapters: [],
    archiveName: site.name,
    archiveUrl: site.origin,
  };
}

/** A work the viewer may read, with its chapters, as the plain document every export format takes. */
export async function workDocument(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  site: ArchiveSite,
): Promise<WorkDocument> {
  const { work, chapters } = await readChapters(db, viewer, workId);
  return {
    ...workDocumentOf(work, site, work.series),
    chapters: chapters.map((chapter) => ({
      id: chapter.id,
      position: chapter.position,
      title: chapter.title,
      summary: chapter.summary,
      notes: chapter.notes,
      endNotes: chapter.endNotes,
      body: chapter.body,
      wordCount: chapter.wordCount,
      url: `${site.origin}${paths.chapter(work.id, chapter.id)}`,
    })),
  };
}

export async function seriesDocument(
  db: Kysely<Database>,
  viewer: Viewer | null,
  seriesId: number,
  site: ArchiveSite,
): Promise<SeriesDocument> {
  const series = await getSeries(db, viewer, seriesId);
  const works: WorkDocument[] = [];
  for (const part of series.works) works.push(await workDocument(db, viewer, part.id, site));
  return {
    id: series.id,
    url: `${site.origin}${paths.series(series.id)}`,
    title: series.title,
    summary: series.summary,
    notes: series.notes,
    complete: series.complete,
    creators: [{ name: series.owner, url: `${site.origin}${paths.userWorks(series.owner)}` }],
    updatedAt: series.updatedAt,
    works,
    archiveName: site.name,
    archiveUrl: site.origin,
  };
}

/** Cheap revision stamp for caching a work's downloads: changes whenever the work does. */
export async function workRevision(db: Kysely<Database>, workId: number): Promise<string | null> {
  const row = await db.selectFrom('works').select('revised_at').where('id', '=', workId).executeTakeFirst();
  return row?.revised_at ?? null;
}
