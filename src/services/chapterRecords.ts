import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sanitizeWorkHtml, toWorkHtml } from '../domain/htmlPolicy.ts';
import { countWords } from '../domain/wordCount.ts';
import type { ChapterFields } from '../domain/workRules.ts';

// Row-level chapter writes shared by the work and chapter services; callers own the transaction.

export interface ChapterRef {
  id: number;
  position: number;
  title: string;
  wordCount: number;
}

export function chapterColumns(fields: ChapterFields, now: string) {
  const body = toWorkHtml(fields.body, fields.format);
  return {
    title: fields.title,
    summary: sanitizeWorkHtml(fields.summary),
    notes: sanitizeWorkHtml(fields.notes),
    end_notes: sanitizeWorkHtml(fields.end_notes),
    body,
    word_count: countWords(body),
    updated_at: now,
  };
}

export async function insertChapter(
  trx: Transaction<Database>,
  workId: number,
  position: number,
  fields: ChapterFields,
  now: string,
): Promise<number> {
  const chapter = await trx
    .insertInto('chapters')
    .values({ work_id: workId, position, created_at: now, ...chapterColumns(fields, now) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return chapter.id;
}

export async function listChapterRefs(db: Kysely<Database>, workId: number): Promise<ChapterRef[]> {
  const rows = await db
    .selectFrom('chapters')
    .select(['id', 'position', 'title', 'word_count'])
    .where('work_id', '=', workId)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    position: row.position,
    title: row.title,
    wordCount: row.word_count,
  }));
}

/** Keeps the work's word and chapter counts equal to its chapters, inside the changing transaction. */
export async function recountWork(trx: Transaction<Database>, workId: number): Promise<number> {
  const totals = await trx
    .selectFrom('chapters')
    .select((eb) => [eb.fn.countAll<number>().as('chapters'), eb.fn.sum<number>('word_count').as('words')])
    .where('work_id', '=', workId)
    .executeTakeFirstOrThrow();
  const chapterCount = Number(totals.chapters);
  await trx
    .updateTable('works')
    .set({ chapter_count: chapterCount, word_count: Number(totals.words ?? 0) })
    .where('id', '=', workId)
    .execute();
  return chapterCount;
}
