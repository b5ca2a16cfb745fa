import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Series, the provenance of imported works, and the cache of built downloads.
export async function up(
  db: Kysely<unknown>,
  { idColumn, timestamp, binary }: MigrationContext,
): Promise<void> {
  await db.schema.alterTable('works').addColumn('imported_from', 'varchar(500)').execute();
  // The original creators' names of an imported work, credited on the page instead of the importer.
  await db.schema
    .alterTable('works')
    .addColumn('imported_creators', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('works_imported_from').on('works').column('imported_from').execute();

  await db.schema
    .createTable('series')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'varchar(255)', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('series_user').on('series').columns(['user_id', 'title']).execute();

  await db.schema
    .createTable('series_works')
    .addColumn('series_id', 'integer', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('series_works_pk', ['series_id', 'work_id'])
    .execute();
  await db.schema.createIndex('series_works_work').on('series_works').column('work_id').execute();

  await db.schema
    .createTable('download_cache')
    .addColumn('cache_key', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('revision', 'varchar(100)', (c) => c.notNull())
    .addColumn('content', binary, (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
}
