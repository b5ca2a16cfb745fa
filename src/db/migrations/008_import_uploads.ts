import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Files uploaded for import wait here for the job queue, which may run on any app instance, so the bytes
// live in the database rather than on one instance's disk; the job empties `content` when it is done,
// and keeps the outcome of each download in `report` for the administrator who sent it.
export async function up(
  db: Kysely<unknown>,
  { idColumn, timestamp, binary }: MigrationContext,
): Promise<void> {
  await db.schema
    .createTable('import_uploads')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('content', binary)
    // queued | done | failed
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    // JSON: the ImportReport of the file's downloads once it is done.
    .addColumn('report', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('finished_at', timestamp)
    .execute();
  await db.schema
    .createIndex('import_uploads_user')
    .on('import_uploads')
    .columns(['user_id', 'created_at'])
    .execute();
}
