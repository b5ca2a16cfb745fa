import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

// Finding works: tag wrangling (parents, wranglers), the filter closure each work is found under, the
// text that full-text search reads, and a log of changes that keeps each instance's search index exact.
export async function up(db: Kysely<unknown>, { dialect, idColumn }: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('is_wrangler', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // kind 'fandom': parent is a fandom, child a character or relationship in it.
  // kind 'meta': parent is a meta tag, child one of its subtags (both canonical, same type).
  await db.schema
    .createTable('tag_parents')
    .addColumn('parent_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('child_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_parents_pk', ['parent_id', 'child_id'])
    .execute();
  await db.schema.createIndex('tag_parents_child').on('tag_parents').columns(['child_id', 'kind']).execute();
  await db.schema.createIndex('tags_merger').on('tags').column('merger_id').execute();

  // Every tag a work is found under: what its creators typed, the canonical tags those are synonyms
  // of, and every meta tag above those.
  await db.schema
    .createTable('work_filter_tags')
    .addColumn('work_id', 'integer', (c) => c.notNull().references('works.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('work_filter_tags_pk', ['work_id', 'tag_id'])
    .execute();
  await db.schema
    .createIndex('work_filter_tags_tag')
    .on('work_filter_tags')
    .columns(['tag_id', 'work_id'])
    .execute();
  // Until now nothing was wrangled, so each work is found under exactly the tags it carries.
  await sql`insert into work_filter_tags (work_id, tag_id) select work_id, tag_id from work_tags`.execute(db);

  // The plain text full-text search reads, one row a work; kept by the works and chapters services.
  await db.schema
    .createTable('work_search_texts')
    .addColumn('work_id', 'integer', (c) => c.primaryKey().references('works.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('creators', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  // Rows appended by triggers whenever anything a search index holds changes; each app instance
  // applies the rows past the last one it saw before answering a search.
  await db.schema
    .createTable('search_index_changes')
    .addColumn('id', idColumn, (c) => c.primaryKey())
    .addColumn('work_id', 'integer')
    .addColumn('tag_id', 'integer')
    .execute();

  if (dialect === 'sqlite') await sqliteSearchObjects(db);
  else await postgresSearchObjects(db);

  // Works posted before this upgrade have no search text yet: the job queue writes it (reindex-works).
  const anyWork = await sql`select id from works limit 1`.execute(db);
  if (anyWork.rows.length > 0) {
    const now = new Date().toISOString();
    await sql`insert into jobs (kind, payload, run_at, attempts, created_at)
      values ('reindex-works', '{}', ${now}, 0, ${now})`.execute(db);
  }
}

async function sqliteSearchObjects(db: Kysely<unknown>): Promise<void> {
  // No diacritic folding, so that SQLite and PostgreSQL ('simple' configuration) match the same words.
  await sql`create virtual table work_search_fts using fts5(
    title, creators, tags, summary, body,
    content='work_search_texts', content_rowid='work_id',
    tokenize='unicode61 remove_diacritics 0'
  )`.execute(db);
  const columns = sql.raw('title, creators, tags, summary, body');
  const newValues = sql.raw('new.title, new.creators, new.tags, new.summary, new.body');
  const oldValues = sql.raw('old.title, old.creators, old.tags, old.summary, old.body');
  await sql`create trigger work_search_texts_ai after insert on work_search_texts begin
    insert into work_search_fts (rowid, ${columns}) values (new.work_id, ${newValues});
  end`.execute(db);
  await sql`create trigger work_search_texts_ad after delete on work_search_texts begin
    insert into work_search_fts (work_search_fts, rowid, ${columns}) values ('delete', old.work_id, ${oldValues});
  end`.execute(db);
  await sql`create trigger work_search_texts_au after update on work_search_texts begin
    insert into work_search_fts (work_search_fts, rowid, ${columns}) values ('delete', old.work_id, ${oldValues});
    insert into work_search_fts (rowid, ${columns}) values (new.work_id, ${newValues});
  end`.execute(db);

  const logs: Array<[string, string, string]> = [
    ['works_index_ai', 'after insert on works', 'insert into search_index_changes (work_id) values (new.id)'],
    ['works_index_au', 'after update on works', 'insert into search_index_changes (work_id) values (new.id)'],
    ['works_index_ad', 'after delete on works', 'insert into search_index_changes (work_id) values (old.id)'],
    [
      'work_filter_tags_index_ai',
      'after insert on work_filter_tags',
      'insert into search_index_changes (work_id) values (new.work_id)',
    ],
    [
      'work_filter_tags_index_ad',
      'after delete on work_filter_tags',
      'insert into search_index_changes (work_id) values (old.work_id)',
    ],
    [
      'work_creators_index_ai',
      'after insert on work_creators',
      'insert into search_index_changes (work_id) values (new.work_id)',
    ],
    [
      'work_creators_index_au',
      'after update on work_creators',
      'insert into search_index_changes (work_id) values (new.work_id)',
    ],
    [
      'work_creators_index_ad',
      'after delete on work_creators',
      'insert into search_index_changes (work_id) values (old.work_id)',
    ],
    [
      'pseuds_index_au',
      'after update of name on pseuds',
      'insert into search_index_changes (work_id) select work_id from work_creators where pseud_id = new.id',
    ],
    ['tags_index_ai', 'after insert on tags', 'insert into search_index_changes (tag_id) values (new.id)'],
    ['tags_index_au', 'after update on tags', 'insert into search_index_changes (tag_id) values (new.id)'],
  ];
  for (const [name, event, action] of logs) {
    await sql.raw(`create trigger ${name} ${event} begin ${action}; end`).execute(db);
  }
}

async function postgresSearchObjects(db: Kysely<unknown>): Promise<void> {
  // The 'simple' configuration lowercases without stemming, like SQLite's unicode61 tokenizer; splitting
  // on every non-alphanumeric first makes the two agree on words like "spider-man" and "2.5" too.
  await sql`alter table work_search_texts add column document tsvector generated always as (
    setweight(to_tsvector('simple', regexp_replace(title, '[^[:alnum:]]+', ' ', 'g')), 'A') ||
    setweight(to_tsvector('simple', regexp_replace(creators, '[^[:alnum:]]+', ' ', 'g')), 'B') ||
    setweight(to_tsvector('simple', regexp_replace(tags, '[^[:alnum:]]+', ' ', 'g')), 'B') ||
    setweight(to_tsvector('simple', regexp_replace(summary, '[^[:alnum:]]+', ' ', 'g')), 'C') ||
    setweight(to_tsvector('simple', regexp_replace(body, '[^[:alnum:]]+', ' ', 'g')), 'D')
  ) stored`.execute(db);
  await sql`create index work_search_texts_document on work_search_texts using gin (document)`.execute(db);

  const functions: Array<[string, string]> = [
    ['quire_log_work', 'insert into search_index_changes (work_id) values (changed.id)'],
    ['quire_log_work_link', 'insert into search_index_changes (work_id) values (changed.work_id)'],
    [
      'quire_log_pseud',
      'insert into search_index_changes (work_id) select work_id from work_creators where pseud_id = changed.id',
    ],
    ['quire_log_tag', 'insert into search_index_changes (tag_id) values (changed.id)'],
  ];
  for (const [name, action] of functions) {
    // NEW is null on delete and OLD on insert: one record names the row that changed either way.
    await sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$
      declare changed record;
      begin
        if tg_op = 'DELETE' then changed := old; else changed := new; end if;
        ${action};
        return null;
      end $$`)
      .execute(db);
  }
  const triggers: Array<[string, string, string]> = [
    ['works_index', 'after insert or update or delete on works', 'quire_log_work'],
    ['work_filter_tags_index', 'after insert or delete on work_filter_tags', 'quire_log_work_link'],
    ['work_creators_index', 'after insert or update or delete on work_creators', 'quire_log_work_link'],
    ['pseuds_index', 'after update of name on pseuds', 'quire_log_pseud'],
    ['tags_index', 'after insert or update on tags', 'quire_log_tag'],
  ];
  for (const [name, event, fn] of triggers) {
    await sql.raw(`create trigger ${name} ${event} for each row execute function ${fn}()`).execute(db);
  }
}
