import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Several pseuds per account, as on AO3: each pseud gains a description (sanitised HTML) and may carry an
// icon. The icon's bytes live in the database, not on disk, so every instance serves the same one; its
// hash is kept on the pseud so pages can link to `?v=HASH` and browsers keep it for long. Bookmarks gain
// the pseud they were made under (the default pseud for those made before pseuds could be chosen).
export async function up(db: Kysely<unknown>, { timestamp, binary }: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('pseuds')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('pseuds')
    .addColumn('icon_alt_text', 'varchar(250)', (c) => c.notNull().defaultTo(''))
    .execute();
  // Null while the pseud has no icon.
  await db.schema.alterTable('pseuds').addColumn('icon_hash', 'varchar(64)').execute();

  await db.schema
    .createTable('pseud_icons')
    .addColumn('pseud_id', 'integer', (c) => c.primaryKey().references('pseuds.id').onDelete('cascade'))
    .addColumn('content', binary, (c) => c.notNull())
    .addColumn('content_type', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('bookmarks')
    .addColumn('pseud_id', 'integer', (c) => c.references('pseuds.id').onDelete('set null'))
    .execute();
  await sql`update bookmarks set pseud_id = (
    select pseuds.id from pseuds where pseuds.user_id = bookmarks.user_id and pseuds.is_default = 1
  )`.execute(db);
  await db.schema.createIndex('bookmarks_pseud').on('bookmarks').column('pseud_id').execute();
}
