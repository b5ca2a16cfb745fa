import { z } from 'zod';
import { emailSchema } from './accountRules.ts';
import { htmlToPlainText, sanitizeWorkHtml } from './htmlPolicy.ts';
import { bidiControlMessage, hasNoBidiControl } from './textNormalisation.ts';

// What a comment may be and who may leave one, as on AO3: comments of up to 10,000 characters, guests
// give a name, and each work's creators decide who may comment and whether comments wait for approval.

export const COMMENT_LIMITS = {
  body: 10_000,
  guestName: 100,
  guestEmail: 254,
} as const;

/** Top-level threads per page, each shown with all its replies. */
export const COMMENT_THREADS_PER_PAGE = 20;

export const COMMENT_POLICIES = ['open', 'registered', 'off'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];

export const COMMENT_POLICY_LABELS: Record<CommentPolicy, string> = {
  open: 'Anyone may comment, guests included',
  registered: 'Only registered users may comment',
  off: 'No one may comment',
};

/** Absent or empty (a form without the field) means the default, open. */
export const commentPolicySchema = z
  .union([z.enum(COMMENT_POLICIES), z.literal('')], {
    error: 'Choose who may comment: open, registered or off.',
  })
  .optional()
  .transform((policy): CommentPolicy => policy || 'open');

/** The text as typed (plain text with blank lines, or HTML), kept to the allowlist; never empty. */
const commentBodySchema = z
  .string({ error: 'Write your comment first.' })
  .trim()
  .max(
    COMMENT_LIMITS.body,
    `Comments can be at most ${COMMENT_LIMITS.body.toLocaleString('en')} characters; shorten it or split it in two.`,
  )
  .transform((text) => sanitizeWorkHtml(text))
  .refine((html) => htmlToPlainText(html) !== '', 'Write your comment first.');

export const memberCommentSchema = z.object({ body: commentBodySchema });

export const guestCommentSchema = z.object({
  body: commentBodySchema,
  guest_name: z
    .string({ error: 'Give your name: guests sign their comments.' })
    .trim()
    .min(1, 'Give your name: guests sign their comments.')
    .max(COMMENT_LIMITS.guestName, `Names can be at most ${COMMENT_LIMITS.guestName} characters.`)
    .refine(hasNoBidiControl, bidiControlMessage('Names')),
  guest_email: z
    .string({ error: 'Enter a valid email address, or leave it empty.' })
    .trim()
    .nullish()
    .transform((email) => email || null)
    .pipe(emailSchema.nullable()),
});

export type CommentAuthorKind = 'member' | 'guest';

/**
 * Why this reader may not comment on a work, or null when they may. Blocks and drafts are checked by
 * the service, which knows about them; this is the creators' policy alone.
 */
export function policyRefusal(policy: CommentPolicy, author: CommentAuthorKind): string | null {
  if (policy === 'off') return 'The creators of this work have turned off comments.';
  if (policy === 'registered' && author === 'guest')
    return 'Only registered users can comment on this work. Log in to leave a comment.';
  return null;
}
