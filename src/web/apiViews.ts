import { paths } from '../domain/archivePaths.ts';
import { TAG_TYPES } from '../domain/vocabulary.ts';
import type { WorkFacets } from '../search/workSearch.ts';
import type { BookmarkEntry } from '../services/bookmarks.ts';
import type { ChapterContent } from '../services/chapters.ts';
import type { CommentView } from '../services/comments.ts';
import type { InboxItem } from '../services/inbox.ts';
import type { SubscriptionEntry } from '../services/subscriptions.ts';
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
    comment_policy: work.commentPolicy,
    moderate_comments: work.moderateComments,
  };
}

/** The most frequent tags of each type in a whole result, with how many of its works carry each. */
export function facetsJson(facets: WorkFacets) {
  return Object.fromEntries(
    TAG_TYPES.map((type) => [type, facets[type].map((facet) => ({ name: facet.name, count: facet.count }))]),
  );
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

export function bookmarkJson(bookmark: BookmarkEntry, origin: string) {
  return {
    id: bookmark.id,
    user: bookmark.bookmarker,
    work: bookmark.work && workJson(bookmark.work, origin),
    series: bookmark.series && {
      id: bookmark.series.id,
      url: `${origin}${paths.series(bookmark.series.id)}`,
      title: bookmark.series.title,
      creator: bookmark.series.owner,
      complete: bookmark.series.complete,
      work_count: bookmark.series.workCount,
      word_count: bookmark.series.wordCount,
    },
    notes: bookmark.notes,
    tags: bookmark.tags,
    private: bookmark.private,
    rec: bookmark.rec,
    created_at: bookmark.createdAt,
    updated_at: bookmark.updatedAt,
  };
}

export function subscriptionJson(subscription: SubscriptionEntry, origin: string) {
  return {
    id: subscription.id,
    type: subscription.kind,
    name: subscription.name,
    url: `${origin}${subscription.path}`,
    created_at: subscription.createdAt,
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

export interface CommentJson {
  id: number;
  url: string;
  work_id: number;
  chapter_id: number | null;
  parent_id: number | null;
  author: { pseud: string; username: string } | null;
  guest_name: string | null;
  body: string;
  status: CommentView['status'];
  created_at: string;
  edited: boolean;
  replies: CommentJson[];
}

export function commentJson(comment: CommentView, origin: string): CommentJson {
  return {
    id: comment.id,
    url: `${origin}${paths.comment(comment.id)}`,
    work_id: comment.workId,
    chapter_id: comment.chapterId,
    parent_id: comment.parentId,
    author: comment.author,
    guest_name: comment.guestName,
    body: comment.body,
    status: comment.status,
    created_at: comment.createdAt,
    edited: comment.edited,
    replies: comment.replies.map((reply) => commentJson(reply, origin)),
  };
}

export function inboxItemJson(item: InboxItem) {
  return {
    id: item.id,
    kind: item.kind,
    read: item.read,
    created_at: item.createdAt,
    work_id: item.workId,
    chapter_id: item.chapterId,
    comment_id: item.commentId,
    text: item.text,
    /** The comment an item is about, while the caller may still read it. */
    comment: item.comment && {
      id: item.comment.id,
      author: item.comment.author,
      body: item.comment.body,
      status: item.comment.status,
      can_reply: item.comment.canReply,
    },
  };
}
