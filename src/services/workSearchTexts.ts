import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { htmlToPlainText } from '../domain/htmlPolicy.ts';

/**
 * Rewrites the plain text full-text search reads for each work: title, creators, the tags as typed,
 * summary and every chapter. The database's own index (FTS5 or tsvector) follows this table.
 */
export async function writeWorkSearchTexts(
  trx: Transaction<Database> | Kysely<Database>,
  workIds: readonly number[],
): Promise<void> {
  for (const workId of workIds) {
    const work = await trx
      .selectFrom('works')
      .select(['title', 'summary', 'imported_creators'])
      .where('id', '=', workId)
      .executeTakeFirst();
    await trx.deleteFrom('work_search_texts').where('work_id', '=', workId).execute();
    if (!work) continue;
    const pseuds = await trx
      .selectFrom('work_creators')
      .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
      .select('pseuds.name')
      .where('work_creators.work_id', '=', workId)
      .orderBy('work_creators.position')
      .execute();
    const tags = await trx
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select('tags.name')
      .where('work_tags.work_id', '=', workId)
      .orderBy('work_tags.position')
      .execute();
    const chapters = await trx
      .selectFrom('chapters')
      .select(['title', 'body'])
      .where('work_id', '=', workId)
      .orderBy('position')
      .execute();
    await trx
      .insertInto('work_search_texts')
      .values({
        work_id: workId,
        title: work.title,
        creators: [...pseuds.map((pseud) => pseud.name), work.imported_creators].filter(Boolean).join(', '),
        tags: tags.map((tag) => tag.name).join(', '),
        summary: htmlToPlainText(work.summary),
        body: chapters.map((chapter) => `${chapter.title}\n${htmlToPlainText(chapter.body)}`).join('\n\n'),
      })
      .execute();
  }
}
