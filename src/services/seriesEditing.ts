import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { sanitizeWorkHtml } from '../domain/htmlPolicy.ts';
import type { Viewer } from '../domain/permissions.ts';
import { seriesFieldsSchema } from '../domain/seriesRules.ts';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { appendWorkToSeries, findOrCreateSeries, visibleSeries } from './series.ts';
import { readableWork } from './workVisibility.ts';

// A creator's side of series: placing works in them from the work form, listing, editing and ordering.
// Reading a series is series.ts (getSeries), which exports also use.

export interface SeriesChoice {
  id: number;
  title: string;
}

/** The viewer's own series, for the work form's "Add to series" choice. */
export async function ownSeriesChoices(db: Kysely<Database>, viewer: Viewer | null): Promise<SeriesChoice[]> {
  if (!viewer) return [];
  return db
    .selectFrom('series')
    .select(['id', 'title'])
    .where('user_id', '=', viewer.id)
    .orderBy('title')
    .orderBy('id')
    .execute();
}

/**
 * Puts a work into the series its creator chose on the work form (one of theirs, or a new one by title),
 * in the caller's transaction; null when none was chosen, `added` false when it already was a part.
 */
export async function placeWorkInSeries(
  trx: Transaction<Database>,
  owner: Viewer | null,
  workId: number,
  choice: { series_id: number | null; series_title: string },
): Promise<{ seriesId: number; added: boolean } | null> {
  if (choice.series_id === null && choice.series_title === '') return null;
  if (!owner) throw new AuthenticationError('Log in to change your series.');
  const ownerId = owner.id;
  let seriesId: number;
  if (choice.series_id !== null) {
    const series = await trx
      .selectFrom('series')
      .select('user_id')
      .where('id', '=', choice.series_id)
      .executeTakeFirst();
    if (series?.user_id !== ownerId) {
      throw new ValidationError('Please fix the work details.', {
        series_id: 'Choose one of your own series.',
      });
    }
    seriesId = choice.series_id;
  } else {
    seriesId = await findOrCreateSeries(trx, ownerId, choice.series_title);
  }
  return { seriesId, added: await appendWorkToSeries(trx, seriesId, workId) };
}

export interface SeriesSummary {
  id: number;
  title: string;
  summary: string;
  complete: boolean;
  owner: string;
  updatedAt: string;
  /** Counted over the parts the viewer may see. */
  workCount: number;
  wordCount: number;
}

/** Series as listings show them, in the order of the ids given. */
export async function summariseSeries(
  db: Kysely<Database>,
  viewer: Viewer | null,
  seriesIds: number[],
): Promise<SeriesSummary[]> {
  if (seriesIds.length === 0) return [];
  const rows = await db
    .selectFrom('series')
    .innerJoin('users', 'users.id', 'series.user_id')
    .select([
      'series.id',
      'series.title',
      'series.summary',
      'series.complete',
      'series.updated_at',
      'users.username',
    ])
    .where('series.id', 'in', seriesIds)
    .execute();
  const parts = await db
    .selectFrom('series_works')
    .innerJoin('works', 'works.id', 'series_works.work_id')
    .select((eb) => [
      'series_works.series_id',
      eb.fn.countAll<number>().as('works'),
      eb.fn.sum<number>('works.word_count').as('words'),
    ])
    .where('series_works.series_id', 'in', seriesIds)
    .where(readableWork(viewer))
    .groupBy('series_works.series_id')
    .execute();
  const counts = new Map(parts.map((row) => [row.series_id, row]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return seriesIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const count = counts.get(id);
    return [
      {
        id,
        title: row.title,
        summary: row.summary,
        complete: row.complete === 1,
        owner: row.username,
        updatedAt: row.updated_at,
        workCount: Number(count?.works ?? 0),
        wordCount: Number(count?.words ?? 0),
      },
    ];
  });
}

/** A user's series that the viewer may see, most recently updated first. */
export async function listUserSeries(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
): Promise<SeriesSummary[]> {
  const rows = await db
    .selectFrom('series')
    .select('series.id')
    .where('series.user_id', '=', userId)
    .where(visibleSeries(viewer))
    .orderBy('series.updated_at', 'desc')
    .orderBy('series.id', 'desc')
    .execute();
  return summariseSeries(
    db,
    viewer,
    rows.map((row) => row.id),
  );
}

export interface SeriesForEditing {
  id: number;
  title: string;
  summary: string;
  notes: string;
  complete: boolean;
  /** Every part, drafts included, in order. */
  parts: { workId: number; title: string; position: number; draft: boolean }[];
}

/** Loads a series for a change by its owner; anyone else is refused. */
export async function seriesForEditing(
  db: Kysely<Database> | Transaction<Database>,
  viewer: Viewer | null,
  seriesId: number,
): Promise<SeriesForEditing> {
  if (!viewer) throw new AuthenticationError('Log in to change your series.');
  const series = await db.selectFrom('series').selectAll().where('id', '=', seriesId).executeTakeFirst();
  if (!series) throw new NotFoundError('We could not find that series.');
  if (series.user_id !== viewer.id)
    throw new ForbiddenError('Only the creator of this series can change it.');
  const parts = await db
    .selectFrom('series_works')
    .innerJoin('works', 'works.id', 'series_works.work_id')
    .select(['works.id', 'works.title', 'works.draft', 'series_works.position'])
    .where('series_works.series_id', '=', seriesId)
    .orderBy('series_works.position')
    .orderBy('works.id')
    .execute();
  return {
    id: series.id,
    title: series.title,
    summary: series.summary,
    notes: series.notes,
    complete: series.complete === 1,
    parts: parts.map((part) => ({
      workId: part.id,
      title: part.title,
      position: part.position,
      draft: part.draft === 1,
    })),
  };
}

export interface SeriesArrangement {
  /** Parts in their new order; parts not named keep their order after these. */
  order: number[];
  /** Works to take out of the series (the works themselves stay). */
  remove: number[];
}

/** Changes a series' details and the order of its parts, numbering the parts 1, 2, 3… again. */
export async function updateSeries(
  db: Kysely<Database>,
  viewer: Viewer | null,
  seriesId: number,
  input: unknown,
  arrangement: SeriesArrangement,
): Promise<void> {
  await seriesForEditing(db, viewer, seriesId);
  const parsed = seriesFieldsSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('Please fix the series details.', fieldErrorsFrom(parsed.error));
  const fields = parsed.data;
  await db.transaction().execute(async (trx) => {
    // Read the parts again inside the transaction, so a part added meanwhile keeps its place.
    const { parts } = await seriesForEditing(trx, viewer, seriesId);
    const removed = new Set(arrangement.remove);
    const kept = parts.map((part) => part.workId).filter((workId) => !removed.has(workId));
    const ordered = [...new Set(arrangement.order)].filter((workId) => kept.includes(workId));
    const newOrder = [...ordered, ...kept.filter((workId) => !ordered.includes(workId))];
    if (removed.size > 0) {
      await trx
        .deleteFrom('series_works')
        .where('series_id', '=', seriesId)
        .where('work_id', 'in', [...removed])
        .execute();
    }
    for (const [index, workId] of newOrder.entries()) {
      await trx
        .updateTable('series_works')
        .set({ position: index + 1 })
        .where('series_id', '=', seriesId)
        .where('work_id', '=', workId)
        .execute();
    }
    await trx
      .updateTable('series')
      .set({
        title: fields.title,
        summary: sanitizeWorkHtml(fields.summary),
        notes: sanitizeWorkHtml(fields.notes),
        complete: fields.complete ? 1 : 0,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', seriesId)
      .execute();
  });
}
