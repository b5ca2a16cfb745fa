import { z } from 'zod';
import type { CommentStatus } from '../../../db/schema.ts';
import { paths } from '../../../domain/archivePaths.ts';
import { COMMENT_LIMITS, guestCommentSchema } from '../../../domain/commentRules.ts';
import { recordIdSchema } from '../../../domain/workRules.ts';
import type { CommentView } from '../../../services/comments.ts';
import { isoTime, pageParameter, pagePosition, recordId } from '../../api/apiContract.ts';

// The JSON shapes of comments in API v1, and how a service's comment becomes one. Field names are the
// API's contract: they change only with a new version.

const COMMENT_STATUSES = [
  'visible',
  'unreviewed',
  'hidden',
  'deleted',
] as const satisfies readonly CommentStatus[];

/**
 * A comment's text as sent. Only its type is checked here: the comments service trims, limits and
 * sanitises it (commentRules), and it would count the sanitised HTML against the limit if it were
 * handed text that had been sanitised once already.
 */
const commentText = z.string({ error: 'Write your comment first.' }).meta({
  maxLength: COMMENT_LIMITS.body,
  description: `Text (blank lines make paragraphs) or simple HTML, kept to the archive’s allowlist; at most ${COMMENT_LIMITS.body.toLocaleString('en')} characters`,
});

/** An optional id in a comment: a number (or its digits); absent, null or empty means none. */
function optionalCommentId(message: string, description: string) {
  return (
    z
      .union([z.literal(''), z.null(), recordIdSchema(message)], { error: message })
      // Described on the union: described after the transform, the id's branch dropped out of the document.
      .meta({ description })
      .optional()
      .transform((id) => (typeof id === 'number' ? id : null))
  );
}

export const newCommentSchema = z.object({
  body: commentText,
  chapter_id: optionalCommentId(
    'Choose a chapter by its number.',
    'The chapter the comment is about; none for the whole work (a reply takes its parent’s)',
  ),
  parent_id: optionalCommentId('Reply to a comment by its number.', 'The comment this one answers'),
  guest_name: guestCommentSchema.shape.guest_name
    .optional()
    .meta({ description: 'Guests only, and required from them: the name they sign with' }),
  guest_email: guestCommentSchema.shape.guest_email.meta({
    description: 'Guests only, optional: kept with the comment, never shown',
  }),
  pseud: z.string().optional().meta({
    description:
      'Members only: the name of one of your pseuds to comment as (another account’s is refused, 400); without it, your default pseud',
  }),
});

export const commentChangeSchema = z.object({
  body: commentText.optional().meta({ description: 'The new text (the comment’s author only)' }),
  status: z
    .enum(['visible', 'hidden'], { error: 'A creator sets status to visible or hidden.' })
    .optional()
    .meta({
      description:
        'A creator of the work: visible approves a waiting comment or shows a hidden one; hidden hides it',
    }),
});

export const createdCommentSchema = z.object({
  id: z.number().int(),
  status: z
    .enum(COMMENT_STATUSES)
    .meta({ description: 'visible, or unreviewed on moderated works until a creator approves it' }),
});

export const commentSchema = z
  .object({
    id: z.number().int(),
    url: z.string().meta({ format: 'uri', description: 'Opens the comment in its thread' }),
    work_id: z.number().int(),
    chapter_id: z.number().int().nullable().meta({ description: 'Null for a comment on the whole work' }),
    parent_id: z.number().int().nullable(),
    author: z
      .object({ pseud: z.string(), username: z.string() })
      .nullable()
      .meta({ description: 'Null for guests and deleted comments' }),
    guest_name: z.string().nullable(),
    body: z.string().meta({ description: 'Sanitised HTML; empty once deleted' }),
    status: z.enum(COMMENT_STATUSES).meta({
      description: 'Only creators see hidden ones; unreviewed ones only creators and their author',
    }),
    created_at: isoTime,
    edited: z.boolean(),
    get replies(): z.ZodArray<typeof commentSchema> {
      return z.array(commentSchema);
    },
  })
  .meta({ id: 'Comment' });

export const commentListingQuery = z.object({
  page: pageParameter('The page, from 1 (threads, 20 to a page); past the last page, the last'),
  chapter_id: z
    .union([z.literal(''), recordId], {
      error: 'chapter_id must be the number of one of the work’s chapters.',
    })
    .meta({ description: 'One chapter’s comments only' })
    .optional()
    .transform((id) => (typeof id === 'number' ? id : null)),
});

export const commentThreadsSchema = z.object({
  threads: z.array(commentSchema).meta({ description: 'Oldest first, each with all its replies' }),
  total_threads: z.number().int(),
  ...pagePosition,
});

export function commentJson(comment: CommentView, origin: string): z.output<typeof commentSchema> {
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
