import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// "Download my data": each request for a member's data, the zip the job queue made of it, and when the
// zip stops being offered. The row goes with the account.
export async function up(
  db: Kysely<unknown>,
  { idColumn, timestamp, binary }: MigrationContext,
): Promise<void> {
  await db.schema
    .createTable('data_exports')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // queued | ready | failed | expired
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('content', binary)
    .addColumn('byte_size', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('finished_at', timestamp)
    .addColumn('expires_at', timestamp)
    .execute();
  await db.schema.createIndex('data_exports_user').on('data_exports').columns(['user_id', 'id']).execute();
}
