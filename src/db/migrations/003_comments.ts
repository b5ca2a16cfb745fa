import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Comments on works and chapters, threaded; written by members or by named guests.
export async function up(db: Kysely<unknown>, { idColumn, timestamp }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('comments')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('chapter_id', 'integer', (c) => c.references('chapters.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('pseud_id', 'integer', (c) => c.references('pseuds.id').onDelete('set null'))
    .addColumn('guest_name', 'varchar(100)')
    .addColumn('guest_email', 'varchar(254)')
    .addColumn('body', 'text', (c) => c.notNull())
    // visible | unreviewed | hidden | deleted
    .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('visible'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_work').on('comments').columns(['work_id', 'created_at']).execute();
  await db.schema.createIndex('comments_parent').on('comments').column('parent_id').execute();
  await db.schema.createIndex('comments_user').on('comments').column('user_id').execute();
}
