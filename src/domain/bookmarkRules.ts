import { z } from 'zod';
import { RATINGS } from './vocabulary.ts';
import { flag, LIMITS, optionalText, recordIdSchema, tagListSchema } from './workRules.ts';

// A reader's bookmark: what they bookmarked, their notes and own tags, whether others may see it, and
// whether they recommend it. Limits as on AO3.

export const BOOKMARK_LIMITS = { notes: 5000, tags: LIMITS.userTags } as const;

export const bookmarkFieldsSchema = z.object({
  notes: optionalText('Notes', BOOKMARK_LIMITS.notes),
  tags: tagListSchema('Your tags').refine(
    (names) => names.length <= BOOKMARK_LIMITS.tags,
    `A bookmark can have at most ${BOOKMARK_LIMITS.tags} tags.`,
  ),
  private: flag,
  rec: flag,
});

export type BookmarkFields = z.infer<typeof bookmarkFieldsSchema>;

/** What is bookmarked: a work or a series, never both. */
export type BookmarkTarget = { workId: number } | { seriesId: number };

export const bookmarkTargetSchema = z
  .object({
    work_id: recordIdSchema('work_id must be the id of a work.').optional(),
    series_id: recordIdSchema('series_id must be the id of a series.').optional(),
  })
  .transform((input, context): BookmarkTarget => {
    if ((input.work_id === undefined) === (input.series_id === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['work_id'],
        message: 'Bookmark either a work_id or a series_id.',
      });
      return z.NEVER;
    }
    return input.work_id !== undefined ? { workId: input.work_id } : { seriesId: input.series_id as number };
  });

export const BOOKMARK_SORTS = [
  { value: 'bookmarked', label: 'Date Bookmarked' },
  { value: 'updated', label: 'Date Updated' },
] as const;

export type BookmarkSort = (typeof BOOKMARK_SORTS)[number]['value'];

/** An empty or unknown choice in the filter form means "any", so an old link never fails. */
function anyOf<T extends string>(values: readonly T[]) {
  return z
    .unknown()
    .optional()
    .transform((value) => (values.includes(value as T) ? (value as T) : undefined));
}

const optionalName = z
  .unknown()
  .optional()
  .transform((value) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, LIMITS.tagName) : undefined,
  );

/** The filter sidebar of a bookmark listing, read from its query string. */
export const bookmarkFiltersSchema = z.object({
  rec: flag.catch(false),
  tag: optionalName,
  rating: anyOf(RATINGS),
  fandom: optionalName,
  complete: flag.catch(false),
  sort: anyOf(BOOKMARK_SORTS.map((sort) => sort.value)).transform((value) => value ?? 'bookmarked'),
});

export type BookmarkFilters = z.infer<typeof bookmarkFiltersSchema>;
