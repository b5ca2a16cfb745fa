import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Recovering and changing an account. Links mailed to a member (password reset, email confirmation, a
// change of email) are stored only as hashes in account_tokens, used once and then deleted. `usernames`
// holds every name an account answers to, its current one and, for four weeks after a change, its former
// one: one primary key over both, so a sign-up racing a change of username for the same name cannot win
// both (the database refuses the second, where checking first and inserting after could not).
export async function up(db: Kysely<unknown>, { idColumn, timestamp }: MigrationContext): Promise<void> {
  // 0 for every account made before confirmation existed, and for those made with it off.
  await db.schema
    .alterTable('users')
    .addColumn('email_unconfirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('username_changed_at', timestamp).execute();

  await db.schema
    .createTable('account_tokens')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // password_reset | email_confirmation | email_change
    .addColumn('purpose', 'varchar(30)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    // The address an email change moves to, once its link is followed.
    .addColumn('new_email', 'varchar(254)')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('account_tokens_user')
    .on('account_tokens')
    .columns(['user_id', 'purpose'])
    .execute();

  await db.schema
    .createTable('usernames')
    .addColumn('name_key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Null for the account's current name; for a former name, the moment anyone may take it again.
    .addColumn('reserved_until', timestamp)
    .execute();
  await db.schema.createIndex('usernames_user').on('usernames').column('user_id').execute();
  await sql`insert into usernames (name_key, user_id) select username_key, id from users`.execute(db);
}
