import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { getWork, WORKS_PER_PAGE, type WorkDetail } from './works.ts';
import { summariseWorks, type WorkSummary } from './workViews.ts';

// A reader's history (where they stopped in each work, and how often they came back) and their
// Marked for Later list share one row per reader and work. History is private to its reader.

export interface ReadingMark {
  markedForLater: boolean;
}

export interface ReadingItem extends ReadingMark {
  work: WorkSummary;
  /** Where the reader stopped (null until they open the work, or if that chapter was deleted). */
  chapter: { id: number; position: number; title: string } | null;
  visits: number;
  lastReadAt: string;
  /** A chapter was added since the reader was last there. */
  updateAvailable: boolean;
}

export interface ReadingListing {
  items: ReadingItem[];
  total: number;
  page: number;
  pages: number;
  historyEnabled: boolean;
}

function isCreatorOf(viewer: Viewer, work: WorkDetail): boolean {
  return work.creators.some((creator) => creator.userId === viewer.id);
}

async function historyEnabled(db: Kysely<Database>, userId: number): Promise<boolean> {
  const user = await db
    .selectFrom('users')
    .select('history_enabled')
    .where('id', '=', userId)
    .executeTakeFirst();
  return user?.history_enabled === 1;
}

/**
 * Notes a logged-in reader's visit to a work they may read: the chapter they are on (null for the
 * whole-work view, which keeps their place), one more visit, and now. Creators reading their own works
 * and readers who turned history off leave no trace. Returns whether the work is marked for later, for
 * the Mark for Later button, or null when that button does not apply (guests, creators, drafts).
 */
export async function recordVisit(
  db: Kysely<Database>,
  viewer: Viewer | null,
  work: WorkDetail,
  chapterId: number | null,
): Promise<ReadingMark | null> {
  if (!viewer || work.draft || isCreatorOf(viewer, work)) return null;
  if (!(await historyEnabled(db, viewer.id))) {
    const row = await db
      .selectFrom('readings')
      .select('marked_for_later')
      .where('user_id', '=', viewer.id)
      .where('work_id', '=', work.id)
      .executeTakeFirst();
    return { markedForLater: row?.marked_for_later === 1 };
  }
  const row = await db
    .insertInto('readings')
    .values({
      user_id: viewer.id,
      work_id: work.id,
      chapter_id: chapterId ?? work.chapters[0]?.id ?? null,
      visits: 1,
      marked_for_later: 0,
      last_read_at: new Date().toISOString(),
    })
    .onConflict((conflict) =>
      conflict.columns(['user_id', 'work_id']).doUpdateSet((eb) => ({
        visits: eb('readings.visits', '+', 1),
        chapter_id:
          chapterId === null
            ? eb.fn.coalesce('readings.chapter_id', 'excluded.chapter_id')
            : eb.ref('excluded.chapter_id'),
        last_read_at: eb.ref('excluded.last_read_at'),
      })),
    )
    .returning('marked_for_later')
    .executeTakeFirstOrThrow();
  return { markedForLater: row.marked_for_later === 1 };
}

/** History is private: only its reader may see or change it. */
export function requireHistoryOwner(viewer: Viewer | null, ownerId: number): Viewer {
  if (!viewer) throw new AuthenticationError('Log in to see your reading history.');
  if (viewer.id !== ownerId)
    throw new ForbiddenError('Reading history is private: only its reader can see it.');
  return viewer;
}

function readingsOf(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('readings')
    .innerJoin('works', 'works.id', 'readings.work_id')
    .where('readings.user_id', '=', userId);
}

async function readingItems(
  db: Kysely<Database>,
  query: ReturnType<typeof readingsOf>,
  limit: number,
  offset: number,
): Promise<ReadingItem[]> {
  const rows = await query
    .leftJoin('chapters', 'chapters.id', 'readings.chapter_id')
    .selectAll('works')
    .select([
      'readings.chapter_id as reading_chapter_id',
      'chapters.position as chapter_position',
      'chapters.title as chapter_title',
      'readings.visits as reading_visits',
      'readings.marked_for_later as reading_marked',
      'readings.last_read_at as reading_last_read_at',
    ])
    .orderBy('readings.last_read_at', 'desc')
    .orderBy('readings.work_id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const works = await summariseWorks(db, rows);
  return rows.map((row, index) => ({
    work: works[index],
    chapter:
      row.reading_chapter_id !== null && row.chapter_position !== null
        ? { id: row.reading_chapter_id, position: row.chapter_position, title: row.chapter_title ?? '' }
        : null,
    visits: row.reading_visits,
    markedForLater: row.reading_marked === 1,
    lastReadAt: row.reading_last_read_at,
    updateAvailable: Date.parse(row.updated_at) > Date.parse(row.reading_last_read_at),
  }));
}

/** The owner's history, last read first; only Marked for Later works when toRead is set. */
export async function listReadings(
  db: Kysely<Database>,
  viewer: Viewer | null,
  ownerId: number,
  options: { toRead: boolean; page: number },
): Promise<ReadingListing> {
  const owner = requireHistoryOwner(viewer, ownerId);
  let query = readingsOf(db, owner.id);
  if (options.toRead) query = query.where('readings.marked_for_later', '=', 1);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const total = Number(counted.total);
  const pages = Math.max(1, Math.ceil(total / WORKS_PER_PAGE));
  const page = Math.min(Math.max(1, options.page), pages);
  return {
    items: await readingItems(db, query, WORKS_PER_PAGE, (page - 1) * WORKS_PER_PAGE),
    total,
    page,
    pages,
    historyEnabled: await historyEnabled(db, owner.id),
  };
}

/** One work in the viewer's history, as the API reports it after a change. */
export async function readingOf(db: Kysely<Database>, viewer: Viewer, workId: number): Promise<ReadingItem> {
  const [item] = await readingItems(
    db,
    readingsOf(db, viewer.id).where('readings.work_id', '=', workId),
    1,
    0,
  );
  if (!item) throw new NotFoundError('That work is not in your history.');
  return item;
}

export async function forgetReading(
  db: Kysely<Database>,
  viewer: Viewer | null,
  ownerId: number,
  workId: number,
): Promise<void> {
  const owner = requireHistoryOwner(viewer, ownerId);
  const result = await db
    .deleteFrom('readings')
    .where('user_id', '=', owner.id)
    .where('work_id', '=', workId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotFoundError('That work is not in your history.');
}

/** Empties the history, Marked for Later included (as on AO3). */
export async function clearHistory(
  db: Kysely<Database>,
  viewer: Viewer | null,
  ownerId: number,
): Promise<void> {
  const owner = requireHistoryOwner(viewer, ownerId);
  await db.deleteFrom('readings').where('user_id', '=', owner.id).execute();
}

/**
 * Marks a work for later (which puts it in the history even before a visit) or marks it as read.
 * Marking is the reader's own choice, so it works while history recording is off.
 */
export async function setMarkedForLater(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  marked: boolean,
): Promise<void> {
  if (!viewer) throw new AuthenticationError('Log in to mark works for later.');
  const work = await getWork(db, viewer, workId);
  if (isCreatorOf(viewer, work)) throw new ValidationError('Your own works are not kept in your history.');
  if (marked) {
    await db
      .insertInto('readings')
      .values({
        user_id: viewer.id,
        work_id: workId,
        chapter_id: null,
        visits: 0,
        marked_for_later: 1,
        last_read_at: new Date().toISOString(),
      })
      .onConflict((conflict) => conflict.columns(['user_id', 'work_id']).doUpdateSet({ marked_for_later: 1 }))
      .execute();
    return;
  }
  await db.transaction().execute(async (trx) => {
    // A work that was only ever marked, never opened, has nothing left to remember.
    await trx
      .deleteFrom('readings')
      .where('user_id', '=', viewer.id)
      .where('work_id', '=', workId)
      .where('visits', '=', 0)
      .execute();
    await trx
      .updateTable('readings')
      .set({ marked_for_later: 0 })
      .where('user_id', '=', viewer.id)
      .where('work_id', '=', workId)
      .execute();
  });
}
