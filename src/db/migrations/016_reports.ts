import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Readers' reports of abuse. A report is about one thing (a work, chapter, comment, bookmark or user) and
// collects every submission about it while it is open, so moderators see one entry however many people
// write in. Messages keep a guest's email so a moderator can answer.
export async function up(
  db: Kysely<unknown>,
  { idColumn, idPrimaryKey, timestamp }: MigrationContext,
): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', idColumn, idPrimaryKey)
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('claimed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolution_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_target').on('reports').columns(['target_kind', 'target_id']).execute();
  await db.schema
    .createTable('report_messages')
    .addColumn('id', idColumn, idPrimaryKey)
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('reporter_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('guest_email', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_messages_report').on('report_messages').column('report_id').execute();
}
