import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { mayReadAuditLog } from '../domain/staffPolicy.ts';
import { ForbiddenError } from './errors.ts';
import { currentRank, type StaffActor } from './staffRanks.ts';

export interface StaffAction {
  action: string;
  target: { kind: string; id: number | null; name: string };
  reason?: string;
}

export interface AuditEntry {
  id: number;
  actorName: string;
  action: string;
  targetKind: string;
  targetId: number | null;
  targetName: string;
  reason: string;
  createdAt: string;
}

export const AUDIT_ENTRIES_PER_PAGE = 50;

/**
 * Writes a staff action to the audit log. Call it in the transaction that makes the change, so the log
 * holds an entry exactly when the change happened.
 */
export async function recordStaffAction(
  trx: Kysely<Database>,
  actor: StaffActor,
  { action, target, reason = '' }: StaffAction,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: actor === 'command line' ? null : actor.id,
      actor_name: actor === 'command line' ? actor : actor.username,
      action,
      target_kind: target.kind,
      target_id: target.id,
      target_name: target.name,
      reason,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** One page of the audit log, newest first, for administrators and moderators. */
export async function listAuditLog(
  db: Kysely<Database>,
  viewer: Viewer | null,
  page: number,
): Promise<{ entries: AuditEntry[]; page: number; pages: number }> {
  if (!mayReadAuditLog(await currentRank(db, viewer)))
    throw new ForbiddenError('Only administrators and moderators can read the audit log.');
  const { count } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  const pages = Math.max(1, Math.ceil(Number(count) / AUDIT_ENTRIES_PER_PAGE));
  const shown = Math.min(page, pages);
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(AUDIT_ENTRIES_PER_PAGE)
    .offset((shown - 1) * AUDIT_ENTRIES_PER_PAGE)
    .execute();
  return {
    page: shown,
    pages,
    entries: rows.map((row) => ({
      id: row.id,
      actorName: row.actor_name,
      action: row.action,
      targetKind: row.target_kind,
      targetId: row.target_id,
      targetName: row.target_name,
      reason: row.reason,
      createdAt: row.created_at,
    })),
  };
}
