import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Co-creators, as on AO3: a creator invites another member's pseud to a work, and the pseud joins
// work_creators only when its owner accepts. Until then the invitation is a row of its own, so nothing
// that reads work_creators (bylines, editing, stats, comment notifications) can mistake it for a credit.
// Accepting or declining deletes the row.
export async function up(
  db: Kysely<unknown>,
  { idColumn, idPrimaryKey, timestamp }: MigrationContext,
): Promise<void> {
  await db.schema
    .createTable('creatorship_invitations')
    .addColumn('id', idColumn, idPrimaryKey)
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('pseud_id', 'integer', (c) => c.notNull().references('pseuds.id').onDelete('cascade'))
    // Who sent it, for the invitee's page; an invitation outlives its sender's account (the work may too).
    .addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addUniqueConstraint('creatorship_invitations_work_pseud', ['work_id', 'pseud_id'])
    .execute();
  await db.schema
    .createIndex('creatorship_invitations_pseud')
    .on('creatorship_invitations')
    .column('pseud_id')
    .execute();
  await db.schema
    .createIndex('creatorship_invitations_invited_by')
    .on('creatorship_invitations')
    .column('invited_by')
    .execute();
}
