import type { Kysely } from 'kysely';
import type { Database, ReportStatus } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { canRead, type Viewer } from '../domain/permissions.ts';
import {
  type ReportCategory,
  type ReportSubmission,
  type ReportTarget,
  reportSubmission,
} from '../domain/reports.ts';
import { mayHandleReports } from '../domain/staffPolicy.ts';
import { queueMail } from '../jobs/mail.ts';
import { recordStaffAction } from './auditLog.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { currentRank } from './staffRanks.ts';
import type { ArchiveSite } from './workDocuments.ts';

export interface ReportView {
  id: number;
  targetKind: string;
  targetId: number;
  category: string;
  status: ReportStatus;
  claimedBy: string | null;
  resolutionNote: string;
  createdAt: string;
  updatedAt: string;
  messages: { reporter: string; text: string; createdAt: string }[];
}

const NOT_FOUND = 'We could not find what you are reporting.';

/** Whether the viewer may read the work; creators of a draft may, nobody else. */
async function readableWorkId(db: Kysely<Database>, viewer: Viewer | null, workId: number): Promise<boolean> {
  const work = await db
    .selectFrom('works')
    .select(['draft', 'restricted'])
    .where('id', '=', workId)
    .executeTakeFirst();
  if (!work) return false;
  const creators = await db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('pseuds.user_id')
    .where('work_creators.work_id', '=', workId)
    .execute();
  return canRead(viewer, {
    draft: work.draft === 1,
    restricted: work.restricted === 1,
    creatorUserIds: creators.map((row) => row.user_id),
  });
}

/**
 * The id of what is reported, if it exists and the reporter may see it: reporting is no way to learn
 * that a draft, a hidden comment or a private bookmark is there.
 */
async function visibleTargetId(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: ReportTarget,
): Promise<number> {
  let found: { id: number; workId: number | null } | undefined;
  switch (target.kind) {
    case 'user': {
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('username_key', '=', accountKey(target.login))
        .executeTakeFirst();
      if (!user) throw new NotFoundError(NOT_FOUND);
      return user.id;
    }
    case 'work':
      found = { id: target.id, workId: target.id };
      break;
    case 'chapter':
      found = await db
        .selectFrom('chapters')
        .select(['id', 'work_id as workId'])
        .where('id', '=', target.id)
        .executeTakeFirst();
      break;
    case 'comment':
      found = await db
        .selectFrom('comments')
        .select(['id', 'work_id as workId'])
        .where('id', '=', target.id)
        .where('status', '=', 'visible')
        .executeTakeFirst();
      break;
    case 'bookmark':
      found = await db
        .selectFrom('bookmarks')
        .select(['id', 'work_id as workId'])
        .where('id', '=', target.id)
        .where((eb) => eb.or([eb('private', '=', 0), eb('user_id', '=', viewer?.id ?? -1)]))
        .executeTakeFirst();
      break;
  }
  if (!found || (found.workId !== null && !(await readableWorkId(db, viewer, found.workId))))
    throw new NotFoundError(NOT_FOUND);
  return found.id;
}

/** Checks a report form's target before it is shown, so a form about something unseen answers 404. */
export async function checkReportTarget(db: Kysely<Database>, viewer: Viewer | null, target: ReportTarget) {
  await visibleTargetId(db, viewer, target);
}

/**
 * Files a report, or adds the submission to the open report about the same thing, so moderators see one
 * entry however many readers write in. Guests must give an email address to be answered at.
 */
export async function submitReport(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: ReportTarget,
  input: unknown,
): Promise<{ id: number; added: boolean }> {
  const parsed = reportSubmission.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((issue) => issue.message).join(' '));
  const submission: ReportSubmission = parsed.data;
  if (!viewer && !submission.email) throw new ValidationError('Give an email address so we can answer you.');
  const targetId = await visibleTargetId(db, viewer, target);
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('reports')
      .select('id')
      .where('target_kind', '=', target.kind)
      .where('target_id', '=', targetId)
      .where('status', '!=', 'resolved')
      .orderBy('id')
      .executeTakeFirst();
    const id =
      open?.id ??
      (
        await trx
          .insertInto('reports')
          .values({
            target_kind: target.kind,
            target_id: targetId,
            category: submission.category,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (open) await trx.updateTable('reports').set({ updated_at: now }).where('id', '=', id).execute();
    await trx
      .insertInto('report_messages')
      .values({
        report_id: id,
        reporter_id: viewer?.id ?? null,
        guest_email: viewer ? null : (submission.email ?? null),
        text: submission.text,
        created_at: now,
      })
      .execute();
    return { id, added: open !== undefined };
  });
}

async function requireReportHandler(db: Kysely<Database>, viewer: Viewer | null): Promise<Viewer> {
  if (!viewer || !mayHandleReports(await currentRank(db, viewer)))
    throw new ForbiddenError('Only administrators and moderators handle reports.');
  return viewer;
}

export interface ReportFilter {
  status?: ReportStatus;
  category?: ReportCategory;
}

/** The report queue, newest first, for administrators and moderators. */
export async function listReports(
  db: Kysely<Database>,
  viewer: Viewer | null,
  filter: ReportFilter,
): Promise<ReportView[]> {
  await requireReportHandler(db, viewer);
  let query = db
    .selectFrom('reports')
    .leftJoin('users', 'users.id', 'reports.claimed_by')
    .selectAll('reports')
    .select('users.username as claimer')
    .orderBy('reports.id', 'desc')
    .limit(100);
  if (filter.status) query = query.where('reports.status', '=', filter.status);
  if (filter.category) query = query.where('reports.category', '=', filter.category);
  const rows = await query.execute();
  const messages = rows.length
    ? await db
        .selectFrom('report_messages')
        .leftJoin('users', 'users.id', 'report_messages.reporter_id')
        .select([
          'report_messages.report_id',
          'report_messages.text',
          'report_messages.created_at',
          'report_messages.guest_email',
          'users.username',
        ])
        .where(
          'report_id',
          'in',
          rows.map((row) => row.id),
        )
        .orderBy('report_messages.id')
        .execute()
    : [];
  return rows.map((row) => ({
    id: row.id,
    targetKind: row.target_kind,
    targetId: row.target_id,
    category: row.category,
    status: row.status,
    claimedBy: row.claimer,
    resolutionNote: row.resolution_note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messages: messages
      .filter((message) => message.report_id === row.id)
      .map((message) => ({
        reporter: message.username ?? message.guest_email ?? 'a former member',
        text: message.text,
        createdAt: message.created_at,
      })),
  }));
}

async function changeReport(
  db: Kysely<Database>,
  viewer: Viewer | null,
  id: number,
  change: { status: ReportStatus; note?: unknown; site?: ArchiveSite },
): Promise<void> {
  const handler = await requireReportHandler(db, viewer);
  const { note } = change;
  if (note !== undefined && (typeof note !== 'string' || note.trim() === '' || note.length > 5000))
    throw new ValidationError('Give a note (under 5000 characters) saying how the report was resolved.');
  await db.transaction().execute(async (trx) => {
    const report = await trx
      .selectFrom('reports')
      .select(['status', 'target_kind', 'target_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!report) throw new NotFoundError('There is no such report.');
    if (report.status === 'resolved') throw new ConflictError('That report is already resolved.');
    await trx
      .updateTable('reports')
      .set({
        status: change.status,
        claimed_by: handler.id,
        updated_at: new Date().toISOString(),
        ...(typeof note === 'string' ? { resolution_note: note.trim() } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (change.site && typeof note === 'string') await answerReporters(trx, id, note.trim(), change.site);
    await recordStaffAction(trx, handler, {
      action: change.status === 'resolved' ? 'resolve report' : 'claim report',
      target: { kind: 'report', id, name: `${report.target_kind} ${report.target_id}` },
      reason: typeof note === 'string' ? note.trim() : undefined,
    });
  });
}

/** Mails everyone who wrote in, members at their account's address and guests at theirs, the note. */
async function answerReporters(trx: Kysely<Database>, id: number, note: string, site: ArchiveSite) {
  const messages = await trx
    .selectFrom('report_messages')
    .leftJoin('users', 'users.id', 'report_messages.reporter_id')
    .select(['users.email', 'report_messages.guest_email'])
    .where('report_id', '=', id)
    .execute();
  const addresses = new Set(messages.map((row) => row.email ?? row.guest_email).filter((to) => to !== null));
  for (const to of addresses)
    await queueMail(trx, {
      to,
      subject: `Your report to ${site.name} was resolved`,
      text: `Thank you for your report to ${site.name}. The moderators resolved it:\n\n${note}\n`,
    });
}

/** A moderator takes a report on; others then see who handles it. */
export function claimReport(db: Kysely<Database>, viewer: Viewer | null, id: number): Promise<void> {
  return changeReport(db, viewer, id, { status: 'claimed' });
}

/** Closes a report with a note saying what was done, mailed to whoever reported it; a later report about the same thing starts afresh. */
export function resolveReport(
  db: Kysely<Database>,
  viewer: Viewer | null,
  id: number,
  note: unknown,
  site: ArchiveSite,
) {
  return changeReport(db, viewer, id, { status: 'resolved', note: note ?? '', site });
}
