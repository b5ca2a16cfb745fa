import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// API tokens gain a scope (a read-only token can only read, whatever route it is sent to); the tokens
// made before scopes existed could do everything, so they stay read-write. Accounts gain the about text
// of their profile page (sanitised HTML; null until the owner writes one).
export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'varchar(20)', (c) => c.notNull().defaultTo('read-write'))
    .execute();
  // The tokens page lists one account's tokens, newest first.
  await db.schema
    .createIndex('api_tokens_user')
    .on('api_tokens')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema.alterTable('users').addColumn('about', 'text').execute();
}
