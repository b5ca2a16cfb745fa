import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Moderators (abuse and policy) join administrators and tag wranglers as a flag on the account, and
// staff actions are written to an audit log. A log entry keeps its actor's and target's names as text, so
// it still says who did what to whom after either account is gone; nothing updates or deletes entries.
export async function up(
  db: Kysely<unknown>,
  { idColumn, idPrimaryKey, timestamp }: MigrationContext,
): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('is_moderator', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('audit_log')
    .addColumn('id', idColumn, idPrimaryKey)
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer')
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').column('actor_id').execute();
}
