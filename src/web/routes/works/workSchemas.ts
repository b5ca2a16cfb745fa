import { z } from 'zod';
import { paths } from '../../../domain/archivePaths.ts';
import { COMMENT_POLICIES } from '../../../domain/commentRules.ts';
import { TAG_TYPES } from '../../../domain/vocabulary.ts';
import { chapterFieldsSchema, workFieldsSchema } from '../../../domain/workRules.ts';
import type { WorkFacets } from '../../../search/workSearch.ts';
import type { ChapterContent } from '../../../services/chapters.ts';
import type { WorkDetail } from '../../../services/works.ts';
import type { WorkSummary } from '../../../services/workViews.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shapes of works and chapters in API v1, and how a service's work becomes one. Field names
// are the API's contract: they change only with a new version.

const tagNames = z.array(z.string());

export const workSchema = z
  .object({
    id: z.number().int(),
    url: z.string().meta({ format: 'uri' }),
    title: z.string(),
    summary: z.string().meta({ description: 'Sanitised HTML' }),
    notes: z.string().meta({ description: 'Sanitised HTML' }),
    end_notes: z.string().meta({ description: 'Sanitised HTML' }),
    rating: z.string(),
    warnings: tagNames,
    categories: tagNames,
    fandoms: tagNames,
    relationships: tagNames,
    characters: tagNames,
    freeforms: tagNames,
    language: z.string(),
    complete: z.boolean(),
    expected_chapters: z.number().int().nullable(),
    word_count: z.number().int(),
    chapter_count: z.number().int(),
    kudos_count: z.number().int(),
    comments_count: z.number().int(),
    bookmarks_count: z.number().int(),
    hits: z.number().int(),
    restricted: z.boolean(),
    draft: z.boolean(),
    creators: z
      .array(z.string())
      .meta({ description: 'Pseuds, or the original creators of an imported work' }),
    imported_from: z.string().nullable(),
    published_at: isoTime.nullable(),
    updated_at: isoTime,
    comment_policy: z.enum(COMMENT_POLICIES),
    moderate_comments: z.boolean(),
  })
  .meta({ id: 'Work' });

export const workDetailSchema = workSchema
  .extend({
    chapters: z.array(
      z.object({
        id: z.number().int(),
        position: z.number().int(),
        title: z.string(),
        word_count: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'WorkDetail' });

export const chapterSchema = z
  .object({
    id: z.number().int(),
    work_id: z.number().int(),
    url: z.string().meta({ format: 'uri' }),
    position: z.number().int(),
    title: z.string(),
    summary: z.string(),
    notes: z.string(),
    end_notes: z.string(),
    body: z.string().meta({ description: 'Sanitised HTML' }),
    word_count: z.number().int(),
  })
  .meta({ id: 'Chapter' });

/** The most frequent tags of each type in a whole result, with how many of its works carry each. */
export const facetsSchema = z.object(
  Object.fromEntries(
    TAG_TYPES.map((type) => [type, z.array(z.object({ name: z.string(), count: z.number().int() }))]),
  ) as Record<(typeof TAG_TYPES)[number], z.ZodArray<z.ZodObject<{ name: z.ZodString; count: z.ZodNumber }>>>,
);

/** Which of the caller's pseuds a work is credited to, beside the work form's fields. */
export const workPseudField = {
  pseud: z.string().optional().meta({
    description:
      'The name of one of your pseuds to credit the work to (another account’s is refused, 400); without it, your default pseud, or on PATCH the pseud the work has',
  }),
};

/** A new work: its fields as the work form has them, and its chapters in order (at least one). */
export const newWorkSchema = z.intersection(
  workFieldsSchema,
  z.object({
    ...workPseudField,
    chapters: z
      .array(chapterFieldsSchema, { error: 'Send chapters as a list of {title?, body, format?}.' })
      .min(1, 'A work needs at least one chapter.'),
  }),
);

export function workJson(work: WorkSummary, origin: string): z.output<typeof workSchema> {
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

export function facetsJson(facets: WorkFacets): z.output<typeof facetsSchema> {
  return Object.fromEntries(
    TAG_TYPES.map((type) => [type, facets[type].map((facet) => ({ name: facet.name, count: facet.count }))]),
  ) as z.output<typeof facetsSchema>;
}

export function workDetailJson(work: WorkDetail, origin: string): z.output<typeof workDetailSchema> {
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

export function chapterJson(
  workId: number,
  chapter: ChapterContent,
  origin: string,
): z.output<typeof chapterSchema> {
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
