import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { AuthenticationError, NotFoundError, ValidationError } from './errors.ts';
import { RELATION_TABLES, type UserRelationKind } from './userRelations.ts';
import { findUserByLogin } from './users.ts';

// Muting and blocking are a reader's own settings, and the other user is not told. Each is one row,
// so doing it twice changes nothing.

/** The user someone means to mute or block (or stop muting or blocking): anyone but themself. */
export async function relationTarget(
  db: Kysely<Database>,
  viewer: Viewer | null,
  kind: UserRelationKind,
  login: string,
): Promise<{ viewer: Viewer; target: { id: number; username: string } }> {
  if (!viewer) throw new AuthenticationError(`Log in to ${kind} users.`);
  const target = await findUserByLogin(db, login);
  if (!target) throw new NotFoundError('There is no user with that name here.');
  if (target.id === viewer.id) throw new ValidationError(`You cannot ${kind} yourself.`);
  return { viewer, target };
}

/** Mutes or blocks a user; `created` is false when they already were. */
export async function addUserRelation(
  db: Kysely<Database>,
  viewer: Viewer | null,
  kind: UserRelationKind,
  login: string,
): Promise<{ username: string; created: boolean }> {
  const { viewer: user, target } = await relationTarget(db, viewer, kind, login);
  const inserted = await db
    .insertInto(RELATION_TABLES[kind])
    .values({ user_id: user.id, target_id: target.id, created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.columns(['user_id', 'target_id']).doNothing())
    .returning('target_id')
    .executeTakeFirst();
  return { username: target.username, created: inserted !== undefined };
}

/** Unmutes or unblocks a user (nothing to do if they were not). */
export async function removeUserRelation(
  db: Kysely<Database>,
  viewer: Viewer | null,
  kind: UserRelationKind,
  login: string,
): Promise<{ username: string }> {
  const { viewer: user, target } = await relationTarget(db, viewer, kind, login);
  await db
    .deleteFrom(RELATION_TABLES[kind])
    .where('user_id', '=', user.id)
    .where('target_id', '=', target.id)
    .execute();
  return { username: target.username };
}
