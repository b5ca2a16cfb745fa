import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { CommentStatus, Database } from '../db/schema.ts';
import { paths } from '../domain/archivePaths.ts';
import {
  COMMENT_THREADS_PER_PAGE,
  guestCommentSchema,
  memberCommentSchema,
  policyRefusal,
} from '../domain/commentRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import type { Viewer } from '../domain/permissions.ts';
import { awaitsConfirmation, UnconfirmedEmailError } from './emailConfirmation.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type ServiceError,
  ValidationError,
} from './errors.ts';
import { notify } from './notifications.ts';
import { creditedPseud, pseudChoices } from './pseuds.ts';
import { isBlockedFromWork, mutedUserIds } from './userRelations.ts';
import type { ArchiveSite } from './workDocuments.ts';
import { creatorUserIds, getWork, type WorkDetail } from './works.ts';
import type { WorkSummary } from './workViews.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface CommentView {
  id: number;
  workId: number;
  /** Null for a comment on the whole work. */
  chapterId: number | null;
  /** The chapter's number, so that the whole-work view can say which chapter a comment is about. */
  chapterPosition: number | null;
  parentId: number | null;
  /** A member's pseud and login; null for guests and for deleted comments. */
  author: { pseud: string; username: string } | null;
  /** The icon of the author's pseud, shown beside the comment; null without one. */
  authorIcon: { pseudId: number; hash: string; altText: string } | null;
  guestName: string | null;
  /** Sanitised HTML; empty once deleted. */
  body: string;
  status: CommentStatus;
  createdAt: string;
  edited: boolean;
  /** The viewer wrote it, and so may edit or delete it. */
  own: boolean;
  replies: CommentView[];
}

/** Whether the viewer may leave a comment here, and as whom; or why not. */
export type CommentPosting =
  | {
      allowed: true;
      /** The member's default pseud; null for a guest. */
      pseud: string | null;
      /** Every pseud the member may comment as, the default first (empty for a guest). */
      pseuds: string[];
      held: boolean;
    }
  | { allowed: false; reason: string; needsLogIn: boolean };

export interface CommentThreads {
  threads: CommentView[];
  totalThreads: number;
  page: number;
  pages: number;
}

export interface CommentSection extends CommentThreads {
  workId: number;
  /** Where comments written on this page go: one chapter, or null for the whole work. */
  chapterId: number | null;
  /** The viewer is a creator of the work and so approves, hides and deletes its comments. */
  moderator: boolean;
  posting: CommentPosting;
}

/** Who is looking: what they may see of a work's comments depends on it. */
interface Audience {
  viewerId: number | null;
  moderator: boolean;
  muted: number[];
}

type CommentWork = Pick<
  WorkSummary,
  'id' | 'title' | 'draft' | 'commentPolicy' | 'moderateComments' | 'creators'
>;

function isModerator(viewer: Viewer | null, work: Pick<WorkSummary, 'creators'>): boolean {
  return viewer !== null && work.creators.some((creator) => creator.userId === viewer.id);
}

async function audienceOf(
  db: Db,
  viewer: Viewer | null,
  work: Pick<WorkSummary, 'creators'>,
): Promise<Audience> {
  return {
    viewerId: viewer?.id ?? null,
    moderator: isModerator(viewer, work),
    muted: await mutedUserIds(db, viewer?.id),
  };
}

/**
 * Creators see every comment on their works; others see visible ones (and the placeholders of deleted
 * ones that still have replies) plus their own comments waiting for approval; nobody sees the
 * comments of users they muted.
 */
function visibleTo(audience: Audience) {
  return (eb: ExpressionBuilder<Database, 'comments'>) => {
    const shown = [
      eb(
        'comments.status',
        'in',
        audience.moderator ? ['visible', 'deleted', 'hidden', 'unreviewed'] : ['visible', 'deleted'],
      ),
    ];
    if (!audience.moderator && audience.viewerId !== null) {
      shown.push(
        eb.and([eb('comments.status', '=', 'unreviewed'), eb('comments.user_id', '=', audience.viewerId)]),
      );
    }
    const conditions = [eb.or(shown)];
    if (audience.muted.length > 0) {
      conditions.push(
        eb.or([eb('comments.user_id', 'is', null), eb('comments.user_id', 'not in', audience.muted)]),
      );
    }
    return eb.and(conditions);
  };
}

function maySee(audience: Audience, row: { status: CommentStatus; user_id: number | null }): boolean {
  if (row.user_id !== null && audience.muted.includes(row.user_id)) return false;
  if (row.status === 'visible' || row.status === 'deleted' || audience.moderator) return true;
  return row.status === 'unreviewed' && row.user_id !== null && row.user_id === audience.viewerId;
}

function commentQuery(db: Db) {
  return db
    .selectFrom('comments')
    .leftJoin('pseuds', 'pseuds.id', 'comments.pseud_id')
    .leftJoin('users', 'users.id', 'comments.user_id')
    .leftJoin('chapters', 'chapters.id', 'comments.chapter_id')
    .select([
      'comments.id',
      'comments.work_id',
      'comments.chapter_id',
      'comments.parent_id',
      'comments.user_id',
      'comments.guest_name',
      'comments.body',
      'comments.status',
      'comments.created_at',
      'comments.updated_at',
      'comments.pseud_id',
      'pseuds.name as pseud',
      'pseuds.icon_hash',
      'pseuds.icon_alt_text',
      'users.username',
      'chapters.position as chapter_position',
    ]);
}

type CommentRow = Awaited<ReturnType<ReturnType<typeof commentQuery>['executeTakeFirstOrThrow']>>;

function commentView(row: CommentRow, viewerId: number | null): CommentView {
  const deleted = row.status === 'deleted';
  return {
    id: row.id,
    workId: row.work_id,
    chapterId: row.chapter_id,
    chapterPosition: row.chapter_position,
    parentId: row.parent_id,
    author: !deleted && row.pseud && row.username ? { pseud: row.pseud, username: row.username } : null,
    authorIcon:
      !deleted && row.pseud_id !== null && row.icon_hash
        ? { pseudId: row.pseud_id, hash: row.icon_hash, altText: row.icon_alt_text ?? '' }
        : null,
    guestName: deleted ? null : row.guest_name,
    body: deleted ? '' : row.body,
    status: row.status,
    createdAt: row.created_at,
    edited: row.updated_at > row.created_at,
    own: !deleted && viewerId !== null && row.user_id === viewerId,
    replies: [],
  };
}

/** The comment's author as the inbox and mail name them. */
export function commentAuthorName(row: { pseud: string | null; guest_name: string | null }): string {
  return row.pseud ?? (row.guest_name ? `${row.guest_name} (Guest)` : 'Someone');
}

/**
 * Why the viewer may not comment on the work, as the error to show them; undefined when they may.
 * One rule for the comment form, for posting, and for replying from the inbox.
 */
export async function commentRefusal(
  db: Db,
  viewer: Viewer | null,
  work: Pick<WorkSummary, 'id' | 'draft' | 'commentPolicy'>,
): Promise<ServiceError | undefined> {
  if (work.draft)
    return new ForbiddenError('Comments open when the work is posted: drafts cannot have comments.');
  const refusal = policyRefusal(work.commentPolicy, viewer ? 'member' : 'guest');
  if (refusal)
    return viewer || work.commentPolicy === 'off'
      ? new ForbiddenError(refusal)
      : new AuthenticationError(refusal);
  if (viewer && (await isBlockedFromWork(db, viewer.id, work.id))) {
    return new ForbiddenError("You can't comment on this work: one of its creators has blocked you.");
  }
  if (await awaitsConfirmation(db, viewer)) return new UnconfirmedEmailError();
  return undefined;
}

/** Whether the viewer may comment on the work (as whom, and held for approval or not); or why not. */
export async function commentPosting(
  db: Db,
  viewer: Viewer | null,
  work: CommentWork,
): Promise<CommentPosting> {
  const refusal = await commentRefusal(db, viewer, work);
  if (refusal)
    return { allowed: false, reason: refusal.message, needsLogIn: refusal instanceof AuthenticationError };
  const pseuds = await pseudChoices(db, viewer);
  return {
    allowed: true,
    pseud: pseuds[0] ?? null,
    pseuds,
    held: work.moderateComments && !isModerator(viewer, work),
  };
}

/** Where comments shown on a page belong: one chapter of a multi-chapter work, or the whole work. */
export function commentScope(
  work: Pick<WorkDetail, 'chapterCount'>,
  shown: { id: number }[],
  wholeWork: boolean,
): number | null {
  return !wholeWork && work.chapterCount > 1 && shown.length === 1 ? shown[0].id : null;
}

/** Builds threads from rows in id order (a reply is always newer than what it answers). */
function threadsFrom(rows: CommentRow[], viewerId: number | null): CommentView[] {
  const byId = new Map<number, CommentView>();
  const roots: CommentView[] = [];
  for (const row of rows) {
    const view = commentView(row, viewerId);
    if (row.parent_id === null) roots.push(view);
    else {
      // A reply shows only under a comment the viewer can see, so hidden threads stay whole-hidden.
      const parent = byId.get(row.parent_id);
      if (!parent) continue;
      parent.replies.push(view);
    }
    byId.set(row.id, view);
  }
  // A deleted comment stays only as long as it holds replies this viewer can read.
  const prune = (views: CommentView[]): CommentView[] =>
    views.filter((view) => {
      view.replies = prune(view.replies);
      return view.status !== 'deleted' || view.replies.length > 0;
    });
  return prune(roots);
}

async function threadsPage(
  db: Db,
  audience: Audience,
  workId: number,
  chapterId: number | null,
  page: number,
): Promise<CommentThreads> {
  let roots = db
    .selectFrom('comments')
    .where('comments.work_id', '=', workId)
    .where('comments.parent_id', 'is', null)
    .where(visibleTo(audience));
  if (chapterId !== null) roots = roots.where('comments.chapter_id', '=', chapterId);
  const counted = await roots.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const totalThreads = Number(counted.total);
  const pages = Math.max(1, Math.ceil(totalThreads / COMMENT_THREADS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const rootIds = (
    await roots
      .select('comments.id')
      .orderBy('comments.id')
      .limit(COMMENT_THREADS_PER_PAGE)
      .offset((current - 1) * COMMENT_THREADS_PER_PAGE)
      .execute()
  ).map((row) => row.id);
  if (rootIds.length === 0) return { threads: [], totalThreads, page: current, pages };
  const threadIds = await db
    .withRecursive('thread(id)', (cte) =>
      cte
        .selectFrom('comments')
        .select('comments.id')
        .where('comments.id', 'in', rootIds)
        .unionAll(
          cte
            .selectFrom('comments')
            .innerJoin('thread', 'thread.id', 'comments.parent_id')
            .select('comments.id'),
        ),
    )
    .selectFrom('thread')
    .select('thread.id')
    .execute();
  const rows = await commentQuery(db)
    .where(
      'comments.id',
      'in',
      threadIds.map((row) => row.id),
    )
    .where(visibleTo(audience))
    .orderBy('comments.id')
    .execute();
  return { threads: threadsFrom(rows, audience.viewerId), totalThreads, page: current, pages };
}

/** A page of a work's (or chapter's) comment threads as the viewer may see them, with the comment form's state. */
export async function commentSection(
  db: Kysely<Database>,
  viewer: Viewer | null,
  work: WorkDetail,
  chapterId: number | null,
  page: number,
): Promise<CommentSection> {
  const audience = await audienceOf(db, viewer, work);
  return {
    ...(await threadsPage(db, audience, work.id, chapterId, page)),
    workId: work.id,
    chapterId,
    moderator: audience.moderator,
    posting: await commentPosting(db, viewer, work),
  };
}

/** The threads of a whole work (or of one of its chapters) for the API. */
export async function listComments(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  chapterId: number | null,
  page: number,
): Promise<CommentThreads> {
  const work = await getWork(db, viewer, workId);
  if (chapterId !== null && !work.chapters.some((chapter) => chapter.id === chapterId))
    throw new NotFoundError('That chapter is not part of this work.');
  return threadsPage(db, await audienceOf(db, viewer, work), workId, chapterId, page);
}

/** An id from a form (text) or JSON (number); absent or empty means none. */
function optionalId(value: unknown, field: string, label: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const id = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1)
    throw new ValidationError('Please fix the comment.', { [field]: label });
  return id;
}

async function commentRow(db: Db, commentId: number) {
  return commentQuery(db).where('comments.id', '=', commentId).executeTakeFirst();
}

/** Writes inbox items about a new (or newly approved) comment, in its transaction. */
async function notifyAbout(
  trx: Transaction<Database>,
  comment: CommentRow,
  work: CommentWork,
  parentAuthorId: number | null,
  site: ArchiveSite,
  { creators }: { creators: boolean },
): Promise<void> {
  const where =
    comment.chapter_position === null
      ? `“${work.title}”`
      : `Chapter ${comment.chapter_position} of “${work.title}”`;
  const recipients = new Map<number, 'comment' | 'reply'>();
  if (parentAuthorId !== null && comment.status === 'visible') recipients.set(parentAuthorId, 'reply');
  if (creators) {
    for (const creator of work.creators)
      if (!recipients.has(creator.userId)) recipients.set(creator.userId, 'comment');
  }
  // Nobody hears about their own comment, nor from someone they muted.
  if (comment.user_id !== null) recipients.delete(comment.user_id);
  if (comment.user_id !== null && recipients.size > 0) {
    const muting = await trx
      .selectFrom('mutes')
      .select('user_id')
      .where('target_id', '=', comment.user_id)
      .where('user_id', 'in', [...recipients.keys()])
      .execute();
    for (const row of muting) recipients.delete(row.user_id);
  }
  const name = commentAuthorName(comment);
  for (const [userId, kind] of recipients) {
    const text =
      kind === 'reply'
        ? `${name} replied to your comment on ${where}`
        : comment.status === 'unreviewed'
          ? `${name} left a comment on ${where}; it waits for your approval`
          : `${name} left a comment on ${where}`;
    await notify(trx, {
      userId,
      kind,
      workId: work.id,
      chapterId: comment.chapter_id,
      commentId: comment.id,
      text,
      url: `${site.origin}${paths.comment(comment.id)}`,
    });
  }
}

/** Adds a visible comment to (or takes one from) the work's count, in the same transaction as the change. */
async function countComments(trx: Transaction<Database>, workId: number, change: number): Promise<boolean> {
  const updated = await trx
    .updateTable('works')
    .set((eb) => ({ comments_count: eb('comments_count', '+', change) }))
    .where('id', '=', workId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Recounts after comments went away wholesale (with a deleted chapter), in that transaction. */
export async function recountComments(trx: Transaction<Database>, workId: number): Promise<void> {
  await trx
    .updateTable('works')
    .set((eb) => ({
      comments_count: eb
        .selectFrom('comments')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .where('comments.work_id', '=', workId)
        .where('comments.status', '=', 'visible'),
    }))
    .where('id', '=', workId)
    .execute();
}

/**
 * Posts a comment on a work, a chapter, or in reply to another comment, as the viewer or as a named
 * guest; on moderated works it waits as unreviewed until a creator approves it.
 */
export async function postComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  input: Record<string, unknown>,
  site: ArchiveSite,
): Promise<{ id: number; status: CommentStatus }> {
  const work = await getWork(db, viewer, workId);
  const refusal = await commentRefusal(db, viewer, work);
  if (refusal) throw refusal;
  const parsed = viewer ? memberCommentSchema.safeParse(input) : guestCommentSchema.safeParse(input);
  const parentId = optionalId(input.parent_id, 'parent_id', 'Reply to a comment by its number.');
  let chapterId = optionalId(input.chapter_id, 'chapter_id', 'Choose a chapter by its number.');
  if (!parsed.success) throw new ValidationError('Please fix the comment.', fieldErrorsFrom(parsed.error));
  if (chapterId !== null && !work.chapters.some((chapter) => chapter.id === chapterId)) {
    throw new ValidationError('Please fix the comment.', {
      chapter_id: 'That chapter is not part of this work.',
    });
  }
  const fields: { body: string; guest_name?: string; guest_email?: string | null } = parsed.data;
  const audience = await audienceOf(db, viewer, work);
  const status: CommentStatus = work.moderateComments && !audience.moderator ? 'unreviewed' : 'visible';

  return db.transaction().execute(async (trx) => {
    const pseud = viewer ? await creditedPseud(trx, viewer, input.pseud) : null;
    let parentAuthorId: number | null = null;
    if (parentId !== null) {
      const parent = await commentRow(trx, parentId);
      if (!parent || !maySee(audience, parent))
        throw new NotFoundError('The comment you are replying to does not exist. It may have been deleted.');
      if (parent.work_id !== workId) {
        throw new ValidationError('Please fix the comment.', {
          parent_id: 'A reply must be on the same work as the comment it answers.',
        });
      }
      // Taking the parent's row lock until commit: a delete racing this reply waits, then finds the reply
      // and keeps the thread, instead of removing the parent and this reply with it.
      const held = await trx
        .updateTable('comments')
        .set((eb) => ({ updated_at: eb.ref('comments.updated_at') }))
        .where('id', '=', parentId)
        .where('status', '=', 'visible')
        .executeTakeFirst();
      if (Number(held.numUpdatedRows) === 0) {
        throw new ValidationError('Only comments that everyone can read can be answered.', {
          parent_id:
            parent.status === 'deleted'
              ? 'That comment was deleted.'
              : 'That comment is waiting for approval or hidden; it can be answered once it is visible.',
        });
      }
      chapterId = parent.chapter_id;
      parentAuthorId = parent.user_id;
    }
    // Counting first also holds the work's row, so the work cannot vanish under the new comment.
    if (!(await countComments(trx, workId, status === 'visible' ? 1 : 0)))
      throw new NotFoundError('We could not find that work. It may have been deleted.');
    const now = new Date().toISOString();
    const created = await trx
      .insertInto('comments')
      .values({
        work_id: workId,
        chapter_id: chapterId,
        parent_id: parentId,
        user_id: viewer?.id ?? null,
        pseud_id: pseud?.id ?? null,
        guest_name: fields.guest_name ?? null,
        guest_email: fields.guest_email ?? null,
        body: fields.body,
        status,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const comment = await commentRow(trx, created.id);
    if (!comment) throw new Error('the new comment vanished inside its own transaction');
    await notifyAbout(trx, comment, work, parentAuthorId, site, { creators: true });
    // Answering a comment means its inbox item has been read.
    if (viewer && parentId !== null) {
      await trx
        .updateTable('notifications')
        .set({ read: 1 })
        .where('user_id', '=', viewer.id)
        .where('comment_id', '=', parentId)
        .execute();
    }
    return { id: created.id, status };
  });
}

/** The comment's row, its work and who is looking; not found unless the viewer may see it. */
async function visibleComment(db: Kysely<Database>, viewer: Viewer | null, commentId: number) {
  const row = await commentRow(db, commentId);
  if (!row || row.status === 'deleted')
    throw new NotFoundError('We could not find that comment. It may have been deleted.');
  const work = await getWork(db, viewer, row.work_id);
  const audience = await audienceOf(db, viewer, work);
  if (!maySee(audience, row))
    throw new NotFoundError('We could not find that comment. It may have been deleted.');
  return { comment: commentView(row, audience.viewerId), work, audience };
}

/**
 * One comment as the viewer may see it, with its work and whether the viewer may answer it; for the
 * reply, edit and delete pages.
 */
export async function getComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
): Promise<{ comment: CommentView; work: WorkDetail; moderator: boolean; replying: CommentPosting }> {
  const { comment, work, audience } = await visibleComment(db, viewer, commentId);
  const replying: CommentPosting =
    comment.status === 'visible'
      ? await commentPosting(db, viewer, work)
      : {
          allowed: false,
          reason: 'This comment can be answered once it is visible to everyone.',
          needsLogIn: false,
        };
  return { comment, work, moderator: audience.moderator, replying };
}

/** The page that shows the comment's thread, with the page number and the comment's anchor. */
export async function commentLocation(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
): Promise<string> {
  const { comment, work, audience } = await visibleComment(db, viewer, commentId);
  let root = comment.parentId;
  let rootId = comment.id;
  while (root !== null) {
    rootId = root;
    const parent = await db
      .selectFrom('comments')
      .select('parent_id')
      .where('id', '=', root)
      .executeTakeFirst();
    root = parent?.parent_id ?? null;
  }
  const chapterId = comment.chapterId !== null && work.chapterCount > 1 ? comment.chapterId : null;
  let earlier = db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('comments.work_id', '=', work.id)
    .where('comments.parent_id', 'is', null)
    .where('comments.id', '<', rootId)
    .where(visibleTo(audience));
  if (chapterId !== null) earlier = earlier.where('comments.chapter_id', '=', chapterId);
  const page = Math.floor(Number((await earlier.executeTakeFirstOrThrow()).n) / COMMENT_THREADS_PER_PAGE) + 1;
  const base =
    chapterId !== null
      ? paths.chapter(work.id, chapterId)
      : work.chapterCount > 1
        ? paths.fullWork(work.id)
        : paths.work(work.id);
  const query = page > 1 ? `${base.includes('?') ? '&' : '?'}page=${page}` : '';
  return `${base}${query}#comment_${comment.id}`;
}

async function authoredComment(db: Kysely<Database>, viewer: Viewer | null, commentId: number) {
  if (!viewer) throw new AuthenticationError('Log in to change your comments.');
  const row = await commentRow(db, commentId);
  if (!row || row.status === 'deleted')
    throw new NotFoundError('We could not find that comment. It may have been deleted.');
  return row;
}

export async function editComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
  input: Record<string, unknown>,
): Promise<void> {
  const row = await authoredComment(db, viewer, commentId);
  if (row.user_id !== viewer?.id)
    throw new ForbiddenError('Only the person who wrote a comment can edit it.');
  const parsed = memberCommentSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Please fix the comment.', fieldErrorsFrom(parsed.error));
  const updated = await db
    .updateTable('comments')
    .set({ body: parsed.data.body, updated_at: new Date().toISOString() })
    .where('id', '=', commentId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new NotFoundError('That comment was deleted meanwhile.');
}

/**
 * Deletes a comment, by its author or a creator of the work. One that has replies stays as a
 * placeholder so that its thread keeps its shape; one without goes, and so do deleted placeholders
 * it leaves without replies.
 */
export async function deleteComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
): Promise<void> {
  const row = await authoredComment(db, viewer, commentId);
  if (row.user_id !== viewer?.id && !(await creatorUserIds(db, row.work_id)).includes(viewer?.id ?? 0)) {
    throw new ForbiddenError(
      'Only the person who wrote a comment, or the creators of the work, can delete it.',
    );
  }
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('comments')
      .set({
        status: 'deleted',
        body: '',
        user_id: null,
        pseud_id: null,
        guest_name: null,
        guest_email: null,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', commentId)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0)
      throw new ConflictError('That comment changed just now. Reload the page and try again.');
    if (row.status === 'visible') await countComments(trx, row.work_id, -1);
    await trx.deleteFrom('notifications').where('comment_id', '=', commentId).execute();
    let current: number | null = commentId;
    while (current !== null) {
      const answered = await trx
        .selectFrom('comments')
        .select('id')
        .where('parent_id', '=', current)
        .executeTakeFirst();
      if (answered) break;
      const gone: { parent_id: number | null } | undefined = await trx
        .deleteFrom('comments')
        .where('id', '=', current)
        .where('status', '=', 'deleted')
        .returning('parent_id')
        .executeTakeFirst();
      current = gone?.parent_id ?? null;
    }
  });
}

export type ModerationAction = 'hide' | 'unhide' | 'approve';

const MODERATION: Record<ModerationAction, { from: CommentStatus[]; to: CommentStatus; refused: string }> = {
  hide: { from: ['visible', 'unreviewed'], to: 'hidden', refused: 'That comment is already hidden.' },
  unhide: { from: ['hidden'], to: 'visible', refused: 'That comment is not hidden.' },
  approve: { from: ['unreviewed'], to: 'visible', refused: 'That comment is not waiting for approval.' },
};

/** Creators hide, unhide and approve comments on their works; the visible count follows in the same transaction. */
export async function moderateComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
  action: ModerationAction,
  site: ArchiveSite,
): Promise<void> {
  if (!viewer) throw new AuthenticationError('Log in to moderate comments on your works.');
  const row = await commentRow(db, commentId);
  if (!row || row.status === 'deleted')
    throw new NotFoundError('We could not find that comment. It may have been deleted.');
  const work = await getWork(db, viewer, row.work_id);
  if (!isModerator(viewer, work))
    throw new ForbiddenError('Only the creators of this work can moderate its comments.');
  const { from, to, refused } = MODERATION[action];
  if (!from.includes(row.status)) throw new ConflictError(refused);
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('comments')
      .set({ status: to })
      .where('id', '=', commentId)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0)
      throw new ConflictError('That comment changed just now. Reload the page and try again.');
    const change = (to === 'visible' ? 1 : 0) - (row.status === 'visible' ? 1 : 0);
    if (change !== 0) await countComments(trx, row.work_id, change);
    if (action === 'approve' && row.parent_id !== null) {
      // The person answered hears of the reply only now that they can read it; the creators already know.
      const parent = await trx
        .selectFrom('comments')
        .select('user_id')
        .where('id', '=', row.parent_id)
        .executeTakeFirst();
      await notifyAbout(trx, { ...row, status: to }, work, parent?.user_id ?? null, site, {
        creators: false,
      });
    }
  });
}

/** The API's way to moderate: a creator sets a comment visible (approving or unhiding it) or hidden. */
export async function setCommentStatus(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
  status: unknown,
  site: ArchiveSite,
): Promise<void> {
  if (status !== 'visible' && status !== 'hidden')
    throw new ValidationError('Please fix the comment.', {
      status: 'A creator sets status to visible or hidden.',
    });
  const row = await commentRow(db, commentId);
  const action = status === 'hidden' ? 'hide' : row?.status === 'unreviewed' ? 'approve' : 'unhide';
  await moderateComment(db, viewer, commentId, action, site);
}
