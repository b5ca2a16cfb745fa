import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { type Rank, rankOf } from '../domain/staffPolicy.ts';

/** Who did a staff action: a member at the archive, or whoever ran `quire` on the server. */
export type StaffActor = Viewer | 'command line';

/**
 * The actor's rank as the database holds it now. Staff services read it on every request rather than
 * trust the session's viewer, so a page left open after a role was revoked cannot act with it.
 */
export async function currentRank(db: Kysely<Database>, actor: StaffActor | null): Promise<Rank> {
  // Whoever runs `quire` on the server holds the database itself.
  if (actor === 'command line') return 'administrator';
  if (actor === null) return 'user';
  const flags = await db
    .selectFrom('users')
    .select(['is_admin', 'is_moderator', 'is_wrangler'])
    .where('id', '=', actor.id)
    .executeTakeFirst();
  return flags ? rankOf(flags) : 'user';
}
