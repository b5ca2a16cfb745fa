import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

// Mutes hide a user's works and comments from the reader who muted them; blocks stop a user from
// commenting on or replying to the blocker's works. Other services ask these two questions.

/** The users whose works and comments this reader has chosen not to see. */
export async function mutedUserIds(db: Kysely<Database> | Transaction<Database>, viewerId: number | undefined): Promise<number[]> {
  if (viewerId === undefined) return [];
  const rows = await db.selectFrom('mutes').select('target_id').where('user_id', '=', viewerId).execute();
  return rows.map((row) => row.target_id);
}

/** Whether any creator of the work has blocked this user. */
export async function isBlockedFromWork(
  db: Kysely<Database> | Transaction<Database>,
  userId: number,
  workId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .innerJoin('pseuds', 'pseuds.user_id', 'blocks.user_id')
    .innerJoin('work_creators', 'work_creators.pseud_id', 'pseuds.id')
    .select('blocks.user_id')
    .where('work_creators.work_id', '=', workId)
    .where('blocks.target_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
