import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// What readers give back and keep: kudos, hits, bookmarks, subscriptions, the inbox, reading history,
// mutes and blocks; plus the job queue that sends mail, and the comment settings of a work.
export async function up(db: Kysely<unknown>, { idColumn, timestamp }: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('works')
    .addColumn('comment_policy', 'varchar(20)', (c) => c.notNull().defaultTo('open'))
    .execute();
  await db.schema
    .alterTable('works')
    .addColumn('moderate_comments', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('history_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('email_notifications', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('kudos')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    // Guests are told apart by a salted hash of their address and browser, never the address itself.
    .addColumn('guest_key', 'varchar(64)')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addUniqueConstraint('kudos_work_user', ['work_id', 'user_id'])
    .addUniqueConstraint('kudos_work_guest', ['work_id', 'guest_key'])
    .execute();
  await db.schema.createIndex('kudos_work_created').on('kudos').columns(['work_id', 'created_at']).execute();

  await db.schema
    .createTable('work_hits')
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('visitor_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_hits_pk', ['work_id', 'visitor_key', 'day'])
    .execute();
  await db.schema.createIndex('work_hits_work_day').on('work_hits').columns(['work_id', 'day']).execute();

  await db.schema
    .createTable('bookmarks')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('work_id', 'integer', (c) => c.references('works.id').onDelete('cascade'))
    .addColumn('series_id', 'integer', (c) => c.references('series.id').onDelete('cascade'))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rec', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addUniqueConstraint('bookmarks_user_work', ['user_id', 'work_id'])
    .addUniqueConstraint('bookmarks_user_series', ['user_id', 'series_id'])
    .execute();
  await db.schema.createIndex('bookmarks_work').on('bookmarks').columns(['work_id', 'created_at']).execute();

  await db.schema
    .createTable('bookmark_tags')
    .addColumn('bookmark_id', 'integer', (c) => c.notNull().references('bookmarks.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('bookmark_tags_pk', ['bookmark_id', 'tag_id'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('work_id', 'integer', (c) => c.references('works.id').onDelete('cascade'))
    .addColumn('series_id', 'integer', (c) => c.references('series.id').onDelete('cascade'))
    .addColumn('creator_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addUniqueConstraint('subscriptions_work', ['user_id', 'work_id'])
    .addUniqueConstraint('subscriptions_series', ['user_id', 'series_id'])
    .addUniqueConstraint('subscriptions_creator', ['user_id', 'creator_id'])
    .execute();
  await db.schema.createIndex('subscriptions_target_work').on('subscriptions').column('work_id').execute();
  await db.schema
    .createIndex('subscriptions_target_series')
    .on('subscriptions')
    .column('series_id')
    .execute();
  await db.schema
    .createIndex('subscriptions_target_creator')
    .on('subscriptions')
    .column('creator_id')
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // comment | reply | new_chapter | new_work | new_series_part
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('work_id', 'integer', (c) => c.references('works.id').onDelete('cascade'))
    .addColumn('chapter_id', 'integer', (c) => c.references('chapters.id').onDelete('cascade'))
    .addColumn('comment_id', 'integer', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_user')
    .on('notifications')
    .columns(['user_id', 'read', 'created_at'])
    .execute();

  await db.schema
    .createTable('readings')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('chapter_id', 'integer', (c) => c.references('chapters.id').onDelete('set null'))
    .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('marked_for_later', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_read_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('readings_pk', ['user_id', 'work_id'])
    .execute();
  await db.schema
    .createIndex('readings_user_recent')
    .on('readings')
    .columns(['user_id', 'last_read_at'])
    .execute();

  for (const table of ['mutes', 'blocks']) {
    await db.schema
      .createTable(table)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('target_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['user_id', 'target_id'])
      .execute();
    await db.schema.createIndex(`${table}_target`).on(table).column('target_id').execute();
  }

  await db.schema
    .createTable('jobs')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(50)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', timestamp, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_at', timestamp)
    .addColumn('locked_by', 'varchar(100)')
    .addColumn('done_at', timestamp)
    .addColumn('last_error', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['done_at', 'run_at']).execute();
}
