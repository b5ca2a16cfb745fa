import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ArchiveDatabase } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import type { Viewer } from '../domain/permissions.ts';
import {
  mayListStaffRoles,
  ROLE_COLUMNS,
  rankOf,
  refuseRoleChange,
  rolesOf,
  STAFF_ROLES,
  type StaffRole,
} from '../domain/staffPolicy.ts';
import { recordStaffAction } from './auditLog.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { currentRank, type StaffActor } from './staffRanks.ts';

export type RoleChange = 'granted' | 'revoked' | 'unchanged';

export interface RoleChangeRequest {
  login: string;
  role: string;
  granted: boolean;
  reason?: string;
}

export interface StaffListEntry {
  id: number;
  username: string;
  roles: StaffRole[];
}

const REASON_MAX = 1000;
export const USERS_PER_PAGE = 50;

function parseRole(role: string): StaffRole {
  const known = STAFF_ROLES.find((name) => name === role);
  if (!known)
    throw new ValidationError(`There is no role named “${role}”: use one of ${STAFF_ROLES.join(', ')}.`, {
      role: `Choose one of ${STAFF_ROLES.join(', ')}.`,
    });
  return known;
}

/**
 * Grants or revokes a staff role, recorded in the audit log in the same transaction. The archive always
 * keeps an administrator: on PostgreSQL the administrators' rows are locked while counting, so two
 * revocations at once cannot each leave the other as the last; on SQLite the second of two such
 * transactions cannot write over what it read, and fails instead.
 */
export async function changeRole(
  archive: ArchiveDatabase,
  actor: StaffActor,
  request: RoleChangeRequest,
): Promise<{ username: string; change: RoleChange }> {
  const role = parseRole(request.role);
  const reason = (request.reason ?? '').trim();
  if (reason.length > REASON_MAX)
    throw new ValidationError(`Keep the reason under ${REASON_MAX} characters.`, { reason: 'Too long.' });
  return archive.db.transaction().execute(async (trx) => {
    const target = await trx
      .selectFrom('users')
      .select(['id', 'username', 'is_admin', 'is_moderator', 'is_wrangler'])
      .where('username_key', '=', accountKey(request.login))
      .executeTakeFirst();
    if (!target) throw new NotFoundError(`There is no account named ${request.login}.`);
    const refusal = refuseRoleChange(await currentRank(trx, actor), rankOf(target), role);
    if (refusal) throw new ForbiddenError(refusal);

    const column = ROLE_COLUMNS[role];
    if ((target[column] === 1) === request.granted) return { username: target.username, change: 'unchanged' };
    if (role === 'administrator' && !request.granted) {
      let administrators = trx.selectFrom('users').select('id').where('is_admin', '=', 1);
      if (archive.dialect === 'postgres') administrators = administrators.forUpdate();
      if ((await administrators.execute()).length === 1)
        throw new ConflictError(
          `${target.username} is the archive's last administrator. Make another account an administrator ` +
            `first (quire user admin LOGIN), then revoke ${target.username}.`,
        );
    }
    await trx
      .updateTable('users')
      .set({ [column]: request.granted ? 1 : 0 })
      .where('id', '=', target.id)
      .execute();
    await recordStaffAction(trx, actor, {
      action: `${request.granted ? 'grant' : 'revoke'} ${role}`,
      target: { kind: 'user', id: target.id, name: target.username },
      reason,
    });
    return { username: target.username, change: request.granted ? 'granted' : 'revoked' };
  });
}

/** Accounts whose username starts with the search, with their roles, for administrators. */
export async function listStaffRoles(
  db: Kysely<Database>,
  viewer: Viewer | null,
  search: string,
): Promise<StaffListEntry[]> {
  if (!mayListStaffRoles(await currentRank(db, viewer)))
    throw new ForbiddenError("Only administrators can see and change members' roles.");
  let query = db
    .selectFrom('users')
    .select(['id', 'username', 'is_admin', 'is_moderator', 'is_wrangler'])
    .orderBy('username_key')
    .limit(USERS_PER_PAGE);
  const key = accountKey(search);
  // A prefix compared as text, not a LIKE pattern, so an underscore in the search is just an underscore.
  if (key !== '') query = query.where(sql<string>`substr(username_key, 1, ${key.length})`, '=', key);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, username: row.username, roles: rolesOf(row) }));
}
