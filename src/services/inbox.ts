import type { Kysely, Selectable } from 'kysely';
import type { CommentStatus, Database, NotificationKind, NotificationsTable } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { commentAuthorName, commentRefusal } from './comments.ts';
import { AuthenticationError, NotFoundError, ValidationError } from './errors.ts';

// A reader's inbox: comments on their works, replies to their comments, and news from their
// subscriptions. Items are written by notify() in the transaction of whatever they announce.

export const INBOX_ITEMS_PER_PAGE = 20;

export interface InboxComment {
  id: number;
  /** The commenter's pseud, or a guest's name. */
  author: string;
  /** Sanitised HTML. */
  body: string;
  status: CommentStatus;
  /** The reader may answer it right from the inbox. */
  canReply: boolean;
}

export interface InboxItem {
  id: number;
  kind: NotificationKind;
  read: boolean;
  createdAt: string;
  workId: number | null;
  chapterId: number | null;
  commentId: number | null;
  text: string;
  /** The comment an item is about, while the reader may still read it. */
  comment: InboxComment | null;
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  page: number;
  pages: number;
  unread: number;
}

function requireReader(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AuthenticationError('Log in to read your inbox.');
  return viewer;
}

/** The number on the inbox link in the header: one indexed count. */
export async function unreadInboxCount(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The comments that items are about, as the reader may see them (creators also see held and hidden ones). */
async function commentsOf(
  db: Kysely<Database>,
  viewer: Viewer,
  commentIds: number[],
): Promise<Map<number, InboxComment>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('comments')
    .innerJoin('works', 'works.id', 'comments.work_id')
    .leftJoin('pseuds', 'pseuds.id', 'comments.pseud_id')
    .select([
      'comments.id',
      'comments.work_id',
      'comments.user_id',
      'comments.body',
      'comments.status',
      'comments.guest_name',
      'pseuds.name as pseud',
      'works.draft',
      'works.comment_policy',
    ])
    .where('comments.id', 'in', commentIds)
    .execute();
  const workIds = [...new Set(rows.map((row) => row.work_id))];
  const ownWorks = new Set(
    (
      await db
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('work_creators.work_id')
        .where('pseuds.user_id', '=', viewer.id)
        .where('work_creators.work_id', 'in', workIds)
        .execute()
    ).map((row) => row.work_id),
  );
  const refusals = new Map<number, boolean>();
  for (const row of rows) {
    if (refusals.has(row.work_id)) continue;
    const refusal = await commentRefusal(db, viewer, {
      id: row.work_id,
      draft: row.draft === 1,
      commentPolicy: row.comment_policy,
    });
    refusals.set(row.work_id, refusal !== undefined);
  }
  const comments = new Map<number, InboxComment>();
  for (const row of rows) {
    const readable = row.status === 'visible' || (row.status !== 'deleted' && ownWorks.has(row.work_id));
    if (!readable) continue;
    comments.set(row.id, {
      id: row.id,
      author: commentAuthorName(row),
      body: row.body,
      status: row.status,
      canReply: row.status === 'visible' && !refusals.get(row.work_id),
    });
  }
  return comments;
}

async function inboxItems(
  db: Kysely<Database>,
  reader: Viewer,
  rows: Selectable<NotificationsTable>[],
): Promise<InboxItem[]> {
  const comments = await commentsOf(
    db,
    reader,
    rows.flatMap((row) => (row.comment_id === null ? [] : [row.comment_id])),
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    read: row.read === 1,
    createdAt: row.created_at,
    workId: row.work_id,
    chapterId: row.chapter_id,
    commentId: row.comment_id,
    text: row.text,
    comment: row.comment_id === null ? null : (comments.get(row.comment_id) ?? null),
  }));
}

export async function listInbox(
  db: Kysely<Database>,
  viewer: Viewer | null,
  { unreadOnly, page }: { unreadOnly: boolean; page: number },
): Promise<InboxPage> {
  const reader = requireReader(viewer);
  let query = db.selectFrom('notifications').where('user_id', '=', reader.id);
  if (unreadOnly) query = query.where('read', '=', 0);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(counted.n);
  const pages = Math.max(1, Math.ceil(total / INBOX_ITEMS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(INBOX_ITEMS_PER_PAGE)
    .offset((current - 1) * INBOX_ITEMS_PER_PAGE)
    .execute();
  return {
    items: await inboxItems(db, reader, rows),
    total,
    page: current,
    pages,
    unread: unreadOnly ? total : await unreadInboxCount(db, reader.id),
  };
}

/** One of the reader's own items; anyone else's is not found. */
export async function getInboxItem(
  db: Kysely<Database>,
  viewer: Viewer | null,
  itemId: number,
): Promise<InboxItem> {
  const reader = requireReader(viewer);
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', itemId)
    .where('user_id', '=', reader.id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('That inbox item does not exist (or is not yours).');
  const [item] = await inboxItems(db, reader, [row]);
  return item;
}

function selection(itemIds: number[]): number[] {
  if (itemIds.length === 0) throw new ValidationError('Select at least one inbox item first.');
  return itemIds;
}

/** Marks the reader's chosen items read or unread; returns how many of them were theirs. */
export async function markInboxItems(
  db: Kysely<Database>,
  viewer: Viewer | null,
  itemIds: number[],
  read: boolean,
): Promise<number> {
  const reader = requireReader(viewer);
  const updated = await db
    .updateTable('notifications')
    .set({ read: read ? 1 : 0 })
    .where('user_id', '=', reader.id)
    .where('id', 'in', selection(itemIds))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

export async function deleteInboxItems(
  db: Kysely<Database>,
  viewer: Viewer | null,
  itemIds: number[],
): Promise<number> {
  const reader = requireReader(viewer);
  const deleted = await db
    .deleteFrom('notifications')
    .where('user_id', '=', reader.id)
    .where('id', 'in', selection(itemIds))
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
