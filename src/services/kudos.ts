import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { AuthenticationError, ConflictError, ForbiddenError } from './errors.ts';
import { isBlockedFromWork } from './userRelations.ts';
import { getWork } from './works.ts';
import type { WorkSummary } from './workViews.ts';

export interface KudosList {
  /** Every kudos, from members and guests. */
  count: number;
  /** Members' usernames, newest kudos first, as many as were asked for. */
  users: string[];
  /** Members who left kudos beyond those listed. */
  moreUsers: number;
  guests: number;
}

/**
 * Leaves kudos on a work: once per member, or once per guest (told apart by their visitor key). The
 * unique constraints decide between racing requests, and the counter moves in the same transaction,
 * so kudos_count always equals the kudos rows. Returns the new count.
 */
export async function leaveKudos(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  guestKey: string | null,
): Promise<number> {
  if (!viewer && !guestKey) throw new AuthenticationError('Log in to leave kudos.');
  // Restricted works are refused to guests and others' drafts do not exist for the viewer.
  const work = await getWork(db, viewer, workId);
  if (work.draft) throw new ForbiddenError("You can't leave kudos on a draft.");
  if (viewer && work.creators.some((creator) => creator.userId === viewer.id))
    throw new ForbiddenError("You can't leave kudos on your own work.");
  if (viewer && (await isBlockedFromWork(db, viewer.id, workId)))
    throw new ForbiddenError("Sorry, you can't leave kudos on this work.");
  try {
    return await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('kudos')
        .values({
          work_id: workId,
          user_id: viewer?.id ?? null,
          guest_key: viewer ? null : guestKey,
          created_at: new Date().toISOString(),
        })
        .execute();
      const updated = await trx
        .updateTable('works')
        .set((eb) => ({ kudos_count: eb('kudos_count', '+', 1) }))
        .where('id', '=', workId)
        .returning('kudos_count')
        .executeTakeFirstOrThrow();
      return updated.kudos_count;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('You have already left kudos here. :)');
    throw error;
  }
}

/** Who left kudos on a work the viewer was allowed to load (it comes from getWork). */
export async function kudosOf(
  db: Kysely<Database>,
  work: Pick<WorkSummary, 'id'>,
  userLimit?: number,
): Promise<KudosList> {
  const counted = await db
    .selectFrom('kudos')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('user_id').as('members')])
    .where('work_id', '=', work.id)
    .executeTakeFirstOrThrow();
  let listed = db
    .selectFrom('kudos')
    .innerJoin('users', 'users.id', 'kudos.user_id')
    .select('users.username')
    .where('kudos.work_id', '=', work.id)
    .orderBy('kudos.created_at', 'desc')
    .orderBy('kudos.id', 'desc');
  if (userLimit !== undefined) listed = listed.limit(userLimit);
  const users = (await listed.execute()).map((row) => row.username);
  const total = Number(counted.total);
  const members = Number(counted.members);
  return { count: total, users, moreUsers: members - users.length, guests: total - members };
}
