import { paths } from '../domain/archivePaths.ts';
import type { ChapterContent } from '../services/chapters.ts';
import type { WorkDetail } from '../services/works.ts';
import type { WorkSummary } from '../services/workViews.ts';

// The JSON shapes of API v1; field names are the API's contract, so they change only with a new version.

export function workJson(work: WorkSummary, origin: string) {
  return {
    id: work.id,
    url: `${origin}${paths.work(work.id)}`,
    title: work.title,
    summary: work.summary,
    notes: work.notes,
    end_notes: work.endNotes,
    rating: work.rating,
    warnings: work.warnings,
    categories: work.categories,
    fandoms: work.fandoms,
    relationships: work.relationships,
    characters: work.characters,
    freeforms: work.freeforms,
    language: work.language,
    complete: work.complete,
    expected_chapters: work.expectedChapters,
    word_count: work.wordCount,
    chapter_count: work.chapterCount,
    kudos_count: work.kudosCount,
    comments_count: work.commentsCount,
    bookmarks_count: work.bookmarksCount,
    hits: work.hits,
    restricted: work.restricted,
    draft: work.draft,
    creators:
      work.importedCreators.length > 0
        ? work.importedCreators
        : work.creators.map((creator) => creator.pseud),
    imported_from: work.importedFrom,
    published_at: work.publishedAt,
    updated_at: work.updatedAt,
  };
}

export function workDetailJson(work: WorkDetail, origin: string) {
  return {
    ...workJson(work, origin),
    chapters: work.chapters.map((chapter) => ({
      id: chapter.id,
      position: chapter.position,
      title: chapter.title,
      word_count: chapter.wordCount,
    })),
  };
}

export function chapterJson(workId: number, chapter: ChapterContent, origin: string) {
  return {
    id: chapter.id,
    work_id: workId,
    url: `${origin}${paths.chapter(workId, chapter.id)}`,
    position: chapter.position,
    title: chapter.title,
    summary: chapter.summary,
    notes: chapter.notes,
    end_notes: chapter.endNotes,
    body: chapter.body,
    word_count: chapter.wordCount,
  };
}
