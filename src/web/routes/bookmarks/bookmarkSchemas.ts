import { z } from 'zod';
import { paths } from '../../../domain/archivePaths.ts';
import {
  BOOKMARK_LIMITS,
  BOOKMARK_SORTS,
  bookmarkFieldsSchema,
  bookmarkTargetSchema,
} from '../../../domain/bookmarkRules.ts';
import { RATINGS } from '../../../domain/vocabulary.ts';
import type { BookmarkEntry, BookmarkListing } from '../../../services/bookmarks.ts';
import { isoTime, pageParameter, pagePosition } from '../../api/apiContract.ts';
import { workJson, workSchema } from '../works/workSchemas.ts';

// The JSON shapes of bookmarks in API v1, and how the service's bookmarks become them. Field names are
// the API's contract: they change only with a new version.

export const bookmarkSchema = z
  .object({
    id: z.number().int(),
    user: z.string().meta({ description: 'The bookmarker' }),
    pseud: z.string().meta({ description: 'The bookmarker’s pseud it was made under' }),
    work: workSchema.nullable().meta({ description: 'The bookmarked work; null for a series' }),
    series: z
      .object({
        id: z.number().int(),
        url: z.string().meta({ format: 'uri' }),
        title: z.string(),
        creator: z.string(),
        complete: z.boolean(),
        work_count: z.number().int().meta({ description: 'The parts you may see' }),
        word_count: z.number().int(),
      })
      .nullable()
      .meta({ description: 'The bookmarked series; null for a work' }),
    notes: z.string().meta({ description: 'Sanitised HTML' }),
    tags: z.array(z.string()).meta({ description: 'The bookmarker’s own tags' }),
    private: z.boolean().meta({ description: 'Only the bookmarker sees it; not counted on the work' }),
    rec: z.boolean().meta({ description: 'A recommendation' }),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ id: 'Bookmark' });

export const bookmarkPageSchema = z.object({
  bookmarks: z.array(bookmarkSchema),
  total: z.number().int(),
  ...pagePosition,
});

/** A query parameter that, as on the pages, never refuses a request: what it cannot use means "any". */
const lenientText = (description: string) => z.string().optional().catch(undefined).meta({ description });

// The listing's filters are read by the domain's bookmarkFiltersSchema, as the filter sidebar's are; this
// names them for clients.
export const bookmarkListingQuery = z.object({
  user: lenientText('Whose bookmarks (their private ones only for themself); without it, your own'),
  page: pageParameter(),
  rec: lenientText('true: recommendations only'),
  tag: lenientText('The bookmarker’s tag'),
  rating: z
    .enum(RATINGS)
    .optional()
    .catch(undefined)
    .meta({ description: 'Works of this rating only (anything else: any rating)' }),
  fandom: lenientText('Works of this fandom only'),
  complete: lenientText('true: complete works only'),
  sort: z
    .enum(BOOKMARK_SORTS.map((sort) => sort.value))
    .optional()
    .catch(undefined)
    .meta({ description: 'bookmarked (newest bookmark first, the default) or updated (newest work first)' }),
});

const fieldRules = bookmarkFieldsSchema.shape;

/** A bookmark's fields as the domain rules them, with what a client needs to know of each. */
export const bookmarkFieldsBody = bookmarkFieldsSchema.extend({
  notes: fieldRules.notes.meta({ description: 'HTML; sanitised' }),
  tags: fieldRules.tags.meta({
    description: `The bookmarker’s own tags: a list, or names between commas; at most ${BOOKMARK_LIMITS.tags}`,
  }),
  private: fieldRules.private.meta({ description: 'Only the bookmarker sees it; not counted on the work' }),
  rec: fieldRules.rec.meta({ description: 'A recommendation' }),
  pseud: z.string().optional().meta({
    description:
      'The name of one of your pseuds to bookmark as (another account’s is refused, 400); without it, your default pseud, or on PATCH the bookmark’s own',
  }),
});

/** A new bookmark: what is bookmarked (a work_id or a series_id) and the bookmark's fields. */
export const newBookmarkSchema = z
  .intersection(bookmarkTargetSchema, bookmarkFieldsBody)
  .meta({ description: 'Exactly one of work_id or series_id, with the bookmark’s fields' });

export function bookmarkJson(bookmark: BookmarkEntry, origin: string): z.output<typeof bookmarkSchema> {
  return {
    id: bookmark.id,
    user: bookmark.bookmarker,
    pseud: bookmark.pseud,
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

export function bookmarkPageJson(
  listing: BookmarkListing,
  origin: string,
): z.output<typeof bookmarkPageSchema> {
  return {
    bookmarks: listing.bookmarks.map((bookmark) => bookmarkJson(bookmark, origin)),
    total: listing.total,
    page: listing.page,
    pages: listing.pages,
  };
}
