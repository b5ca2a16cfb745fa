import { z } from 'zod';

// What readers may report and what about, in the archive's words. Moderators and administrators handle
// reports (staffPolicy.mayHandleReports).

export const REPORT_TARGETS = ['work', 'chapter', 'comment', 'bookmark', 'user'] as const;
export type ReportTargetKind = (typeof REPORT_TARGETS)[number];

export const REPORT_CATEGORIES = {
  spam: 'Spam',
  harassment: 'Harassment',
  plagiarism: 'Copyright or plagiarism',
  rating: 'Wrong rating or warnings',
  other: 'Something else',
} as const;
export type ReportCategory = keyof typeof REPORT_CATEGORIES;
export const reportCategorySchema = z.enum(
  Object.keys(REPORT_CATEGORIES) as [ReportCategory, ...ReportCategory[]],
);

export const REPORT_STATUSES = ['open', 'claimed', 'resolved'] as const;

/** A user is reported by username; everything else by its id. */
export type ReportTarget =
  | { kind: Exclude<ReportTargetKind, 'user'>; id: number }
  | { kind: 'user'; login: string };

const REPORT_TEXT_LIMIT = 5000;

export const reportSubmission = z.object({
  category: reportCategorySchema,
  text: z
    .string()
    .trim()
    .min(1, 'Say what is wrong.')
    .max(REPORT_TEXT_LIMIT, `Keep the report under ${REPORT_TEXT_LIMIT} characters.`),
  email: z.email('Give an email address we can answer.').max(254).optional(),
});
export type ReportSubmission = z.infer<typeof reportSubmission>;

/**
 * Which thing a form or API body reports: exactly one of work_id, chapter_id, comment_id, bookmark_id
 * (positive whole numbers) or user (a username), as AO3's abuse form takes them.
 */
export function reportTargetOf(input: Record<string, unknown>): ReportTarget | string {
  const given = REPORT_TARGETS.filter((kind) => {
    const value = input[kind === 'user' ? 'user' : `${kind}_id`];
    return value !== undefined && value !== '';
  });
  if (given.length !== 1)
    return 'Say what you are reporting: one of work_id, chapter_id, comment_id, bookmark_id or user.';
  const kind = given[0];
  if (kind === 'user') {
    const login = input.user;
    return typeof login === 'string' && login.length <= 100 ? { kind, login } : 'user must be a username.';
  }
  const id = Number(input[`${kind}_id`]);
  return Number.isSafeInteger(id) && id > 0 ? { kind, id } : `${kind}_id must be a positive whole number.`;
}

/** The query string that opens the report form about a target, for the "Report" links. */
export function reportFormPath(target: ReportTarget): string {
  return target.kind === 'user'
    ? `/reports/new?user=${encodeURIComponent(target.login)}`
    : `/reports/new?${target.kind}_id=${target.id}`;
}
