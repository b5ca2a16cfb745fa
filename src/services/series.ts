import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { NotFoundError } from './errors.ts';
import { summariseWorks, type WorkSummary } from './workViews.ts';
import { readableWork } from './workVisibility.ts';

export interface SeriesNeighbour {
  id: number;
  title: string;
}

export interface SeriesPart {
  id: number;
  title: string;
  position: number;
  /** The posted parts just before and after this work, so readers can read on. */
  previous: SeriesNeighbour | null;
  next: SeriesNeighbour | null;
}

export interface SeriesDetail {
  id: number;
  title: string;
  summary: string;
  notes: string;
  complete: boolean;
  owner: string;
  updatedAt: string;
  /** The parts the viewer may see, in order. */
  works: (WorkSummary & { position: number })[];
}

/**
 * The series a work belongs to, found by its title among the owner's series or made new, with the work
 * appended as its next part (imports and the work form name series by title, as AO3's form does).
 */
export async function addWorkToSeriesByTitle(
  trx: Transaction<Database> | Kysely<Database>,
  ownerId: number,
  title: string,
  workId: number,
  position?: number,
): Promise<number> {
  const seriesId = await findOrCreateSeries(trx, ownerId, title);
  await appendWorkToSeries(trx, seriesId, workId, position);
  return seriesId;
}

/** The owner's series of that title, or a new one. */
export async function findOrCreateSeries(
  trx: Transaction<Database> | Kysely<Database>,
  ownerId: number,
  title: string,
): Promise<number> {
  const now = new Date().toISOString();
  const name = title.trim().slice(0, 255);
  const series = await trx
    .selectFrom('series')
    .select('id')
    .where('user_id', '=', ownerId)
    .where('title', '=', name)
    .executeTakeFirst();
  if (series) return series.id;
  const created = await trx
    .insertInto('series')
    .values({
      user_id: ownerId,
      title: name,
      summary: '',
      notes: '',
      complete: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** Makes the work the series' next part (or puts it at `position`); false when it already was a part. */
export async function appendWorkToSeries(
  trx: Transaction<Database> | Kysely<Database>,
  seriesId: number,
  workId: number,
  position?: number,
): Promise<boolean> {
  const already = await trx
    .selectFrom('series_works')
    .select('work_id')
    .where('series_id', '=', seriesId)
    .where('work_id', '=', workId)
    .executeTakeFirst();
  if (already) return false;
  const last = await trx
    .selectFrom('series_works')
    .select((eb) => eb.fn.max<number>('position').as('position'))
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  await trx
    .insertInto('series_works')
    .values({ series_id: seriesId, work_id: workId, position: position ?? Number(last?.position ?? 0) + 1 })
    .execute();
  await trx
    .updateTable('series')
    .set({ updated_at: new Date().toISOString() })
    .where('id', '=', seriesId)
    .execute();
  return true;
}

/** Which series a work is part of, and where: "Part 2 of …". */
export async function seriesOfWork(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
): Promise<SeriesPart[]> {
  const rows = await db
    .selectFrom('series_works')
    .innerJoin('series', 'series.id', 'series_works.series_id')
    .select(['series.id', 'series.title', 'series_works.position'])
    .where('series_works.work_id', '=', workId)
    .orderBy('series.title')
    .execute();
  if (rows.length === 0) return [];
  // Parts the viewer cannot open (drafts, and restricted works for guests) are nobody's previous or
  // next part: the links lead past them, as the series page lists only what the viewer may read.
  const parts = await db
    .selectFrom('series_works')
    .innerJoin('works', 'works.id', 'series_works.work_id')
    .select(['series_works.series_id', 'works.id', 'works.title'])
    .where(
      'series_works.series_id',
      'in',
      rows.map((row) => row.id),
    )
    .where((eb) => eb.or([readableWork(viewer)(eb), eb('works.id', '=', workId)]))
    .orderBy('series_works.position')
    .orderBy('works.id')
    .execute();
  return rows.map((row) => {
    const siblings = parts.filter((part) => part.series_id === row.id);
    const index = siblings.findIndex((part) => part.id === workId);
    const neighbour = (part: (typeof siblings)[number] | undefined) =>
      part ? { id: part.id, title: part.title } : null;
    return {
      id: row.id,
      title: row.title,
      position: row.position,
      previous: neighbour(siblings[index - 1]),
      next: neighbour(siblings[index + 1]),
    };
  });
}

/**
 * The series in the query shows to the viewer: always to its owner, who manages it whatever its parts
 * are, and to anyone else only while some part of it is readable to them. Otherwise it is a missing
 * series, on its page and in every listing.
 */
export function visibleSeries(viewer: Viewer | null) {
  return (eb: ExpressionBuilder<Database, 'series'>) =>
    eb.or([
      ...(viewer ? [eb('series.user_id', '=', viewer.id)] : []),
      eb.exists(
        eb
          .selectFrom('series_works')
          .innerJoin('works', 'works.id', 'series_works.work_id')
          .select('series_works.work_id')
          .whereRef('series_works.series_id', '=', 'series.id')
          .where(readableWork(viewer)),
      ),
    ]);
}

export async function getSeries(
  db: Kysely<Database>,
  viewer: Viewer | null,
  seriesId: number,
): Promise<SeriesDetail> {
  const series = await db
    .selectFrom('series')
    .innerJoin('users', 'users.id', 'series.user_id')
    .select([
      'series.id',
      'series.title',
      'series.summary',
      'series.notes',
      'series.complete',
      'series.updated_at',
      'users.username',
    ])
    .where('series.id', '=', seriesId)
    .where(visibleSeries(viewer))
    .executeTakeFirst();
  if (!series) throw new NotFoundError('We could not find that series.');
  const rows = await db
    .selectFrom('works')
    .innerJoin('series_works', 'series_works.work_id', 'works.id')
    .selectAll('works')
    .select('series_works.position as series_position')
    .where('series_works.series_id', '=', seriesId)
    .where(readableWork(viewer))
    .orderBy('series_works.position')
    .execute();
  const summaries = await summariseWorks(db, rows);
  return {
    id: series.id,
    title: series.title,
    summary: series.summary,
    notes: series.notes,
    complete: series.complete === 1,
    owner: series.username,
    updatedAt: series.updated_at,
    works: summaries.map((summary, index) => ({ ...summary, position: rows[index].series_position })),
  };
}
