import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { AuthenticationError, ForbiddenError } from './errors.ts';

// Mutes hide a user's works and comments from the reader who muted them; blocks stop a user from
// commenting on or replying to the blocker's works. Other services ask these two questions.

export type UserRelationKind = 'mute' | 'block';

export const RELATION_TABLES = { mute: 'mutes', block: 'blocks' } as const;

/** The users whose works and comments this reader has chosen not to see. */
export async function mutedUserIds(
  db: Kysely<Database> | Transaction<Database>,
  viewerId: number | undefined,
): Promise<number[]> {
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

/** Whether the viewer has muted or blocked this user, for the buttons on their page. */
export async function relationsTo(
  db: Kysely<Database>,
  viewerId: number,
  targetId: number,
): Promise<Record<UserRelationKind, boolean>> {
  const [muted, blocked] = await Promise.all(
    (['mute', 'block'] as const).map((kind) =>
      db
        .selectFrom(RELATION_TABLES[kind])
        .select('target_id')
        .where('user_id', '=', viewerId)
        .where('target_id', '=', targetId)
        .executeTakeFirst(),
    ),
  );
  return { mute: muted !== undefined, block: blocked !== undefined };
}

export interface RelatedUser {
  username: string;
  createdAt: string;
}

/** The users someone has muted (or blocked), newest first: a list only they may see. */
export async function listUserRelations(
  db: Kysely<Database>,
  viewer: Viewer | null,
  ownerId: number,
  kind: UserRelationKind,
): Promise<RelatedUser[]> {
  if (!viewer) throw new AuthenticationError('Log in to see the users you have muted or blocked.');
  if (viewer.id !== ownerId)
    throw new ForbiddenError('Only its owner can see whom an account has muted or blocked.');
  const table = RELATION_TABLES[kind];
  const rows = await db
    .selectFrom(table)
    .innerJoin('users', 'users.id', `${table}.target_id`)
    .select(['users.username', `${table}.created_at`])
    .where(`${table}.user_id`, '=', ownerId)
    .orderBy(`${table}.created_at`, 'desc')
    .orderBy('users.username')
    .execute();
  return rows.map((row) => ({ username: row.username, createdAt: row.created_at }));
}
