import type { Kysely, Transaction } from 'kysely';
import type { Database, NotificationKind } from '../db/schema.ts';
import { isOrphanAccountKey } from '../domain/orphanAccount.ts';
import { queueMail } from '../jobs/mail.ts';

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  workId?: number | null;
  chapterId?: number | null;
  commentId?: number | null;
  /** One plain-text line for the inbox and the mail's body. */
  text: string;
  /** An absolute link to what the notification is about, for the mail. */
  url: string;
}

/**
 * Puts a notification in the reader's inbox and, if they want mail, queues an email; in the caller's
 * transaction, so that a notification exists exactly when the thing it announces does.
 */
export async function notify(
  trx: Transaction<Database> | Kysely<Database>,
  notification: NewNotification,
): Promise<void> {
  const recipient = await trx
    .selectFrom('users')
    .select(['username_key', 'email', 'email_notifications'])
    .where('id', '=', notification.userId)
    .executeTakeFirst();
  // Orphaned works still draw comments and subscribers, but nobody can read orphan_account's inbox.
  if (!recipient || isOrphanAccountKey(recipient.username_key)) return;
  await trx
    .insertInto('notifications')
    .values({
      user_id: notification.userId,
      kind: notification.kind,
      work_id: notification.workId ?? null,
      chapter_id: notification.chapterId ?? null,
      comment_id: notification.commentId ?? null,
      text: notification.text,
      read: 0,
      created_at: new Date().toISOString(),
    })
    .execute();
  if (recipient.email_notifications === 1) {
    await queueMail(trx, {
      to: recipient.email,
      subject: notification.text.length > 120 ? `${notification.text.slice(0, 117)}…` : notification.text,
      text: `${notification.text}\n\n${notification.url}\n\nYou can turn these emails off in your preferences.`,
    });
  }
}
