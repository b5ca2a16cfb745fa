import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { chapterColumns, insertChapter, recountWork } from './chapterRecords.ts';
import { recountComments } from './comments.ts';
import { requireConfirmedEmail } from './emailConfirmation.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { announceChapter } from './subscriptions.ts';
import type { ArchiveSite } from './workDocuments.ts';
import { refreshWorkIndexes } from './workIndexes.ts';
import { getWork, parseChapterFields, type WorkDetail, workForEditing } from './works.ts';

export interface ChapterContent {
  id: number;
  position: number;
  title: string;
  summary: string;
  notes: string;
  endNotes: string;
  body: string;
  wordCount: number;
  createdAt: string;
}

/** The chapters of a work the viewer may read, in reading order, optionally only one of them. */
export async function readChapters(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  chapterId?: number,
): Promise<{ work: WorkDetail; chapters: ChapterContent[] }> {
  const work = await getWork(db, viewer, workId);
  let query = db.selectFrom('chapters').selectAll().where('work_id', '=', workId).orderBy('position');
  if (chapterId !== undefined) query = query.where('id', '=', chapterId);
  const rows = await query.execute();
  if (chapterId !== undefined && rows.length === 0)
    throw new NotFoundError('That chapter is not part of this work.');
  return {
    work,
    chapters: rows.map((row) => ({
      id: row.id,
      position: row.position,
      title: row.title,
      summary: row.summary,
      notes: row.notes,
      endNotes: row.end_notes,
      body: row.body,
      wordCount: row.word_count,
      createdAt: row.created_at,
    })),
  };
}

export async function addChapter(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  input: unknown,
  /** Where the work's subscribers' notifications link to; without it (imports, the demo) none are sent. */
  announceAt?: ArchiveSite,
): Promise<{ id: number; position: number }> {
  await requireConfirmedEmail(db, viewer);
  const work = await workForEditing(db, viewer, workId);
  const fields = parseChapterFields(input);
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('chapters')
      .select((eb) => eb.fn.max<number>('position').as('position'))
      .where('work_id', '=', workId)
      .executeTakeFirst();
    const position = Number(last?.position ?? 0) + 1;
    const id = await insertChapter(trx, workId, position, fields, now);
    const chapterCount = await recountWork(trx, workId);
    await refreshWorkIndexes(trx, [workId]);
    // A new chapter past the expected count grows the expectation (as AO3 does) instead of failing.
    const expected = work.expectedChapters === null ? null : Math.max(work.expectedChapters, chapterCount);
    await trx
      .updateTable('works')
      .set({
        expected_chapters: expected,
        complete: expected === chapterCount ? 1 : 0,
        revised_at: now,
        ...(work.draft ? {} : { updated_at: now }),
      })
      .where('id', '=', workId)
      .execute();
    // A draft's chapters are news only once the work is posted, and then the work itself is announced.
    if (announceAt && !work.draft) await announceChapter(trx, announceAt, workId, { id, position });
    return { id, position };
  });
}

async function chapterOf(db: Kysely<Database>, workId: number, chapterId: number) {
  const chapter = await db
    .selectFrom('chapters')
    .select(['id', 'position'])
    .where('work_id', '=', workId)
    .where('id', '=', chapterId)
    .executeTakeFirst();
  if (!chapter) throw new NotFoundError('That chapter is not part of this work.');
  return chapter;
}

export async function updateChapter(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  chapterId: number,
  input: unknown,
): Promise<void> {
  await workForEditing(db, viewer, workId);
  await chapterOf(db, workId, chapterId);
  const fields = parseChapterFields(input);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('chapters').set(chapterColumns(fields, now)).where('id', '=', chapterId).execute();
    await recountWork(trx, workId);
    await refreshWorkIndexes(trx, [workId]);
    await trx.updateTable('works').set({ revised_at: now }).where('id', '=', workId).execute();
  });
}

export async function deleteChapter(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  chapterId: number,
): Promise<void> {
  const work = await workForEditing(db, viewer, workId);
  const chapter = await chapterOf(db, workId, chapterId);
  if (work.chapterCount <= 1) {
    throw new ValidationError('A work needs at least one chapter: delete the whole work instead.');
  }
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('chapters').where('id', '=', chapterId).execute();
    // The chapter's comments went with it (ON DELETE CASCADE).
    await recountComments(trx, workId);
    await trx
      .updateTable('chapters')
      .set((eb) => ({ position: eb('position', '-', 1) }))
      .where('work_id', '=', workId)
      .where('position', '>', chapter.position)
      .execute();
    const chapterCount = await recountWork(trx, workId);
    await refreshWorkIndexes(trx, [workId]);
    await trx
      .updateTable('works')
      .set({ complete: work.expectedChapters === chapterCount ? 1 : 0, revised_at: now })
      .where('id', '=', workId)
      .execute();
  });
}

/** Puts the work's chapters in the given order; the list must name each chapter exactly once. */
export async function reorderChapters(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  chapterIds: number[],
): Promise<void> {
  const work = await workForEditing(db, viewer, workId);
  const current = work.chapters.map((chapter) => chapter.id);
  const sameSet =
    chapterIds.length === current.length &&
    new Set(chapterIds).size === current.length &&
    chapterIds.every((id) => current.includes(id));
  if (!sameSet) {
    throw new ValidationError('Give every chapter of the work exactly one place in the new order.', {
      chapters: 'Give every chapter exactly one place.',
    });
  }
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const [index, id] of chapterIds.entries()) {
      await trx
        .updateTable('chapters')
        .set({ position: index + 1 })
        .where('id', '=', id)
        .execute();
    }
    await trx.updateTable('works').set({ revised_at: now }).where('id', '=', workId).execute();
  });
}
