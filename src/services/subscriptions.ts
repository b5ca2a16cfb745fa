import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { paths } from '../domain/archivePaths.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { canRead, type Viewer } from '../domain/permissions.ts';
import { recordIdSchema } from '../domain/workRules.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from './errors.ts';
import { notify } from './notifications.ts';
import { visibleSeries } from './series.ts';
import { findUserByLogin } from './users.ts';
import type { ArchiveSite } from './workDocuments.ts';

// Readers follow a work (new chapters), a series (new parts) or a creator (new works). The announce
// functions run in the transaction that posts the new thing, so an announcement exists exactly when it does.

type AnyDatabase = Kysely<Database> | Transaction<Database>;

export type SubscriptionTarget = { workId: number } | { seriesId: number } | { creatorId: number };

export type SubscriptionKind = 'work' | 'series' | 'user';

export interface SubscriptionEntry {
  id: number;
  kind: SubscriptionKind;
  /** The work's or series' title, or the creator's name. */
  name: string;
  path: string;
  createdAt: string;
}

const targetInputSchema = z.object({
  work_id: recordIdSchema('work_id must be the id of a work.').optional(),
  series_id: recordIdSchema('series_id must be the id of a series.').optional(),
  user: z.string({ error: 'user must be a username.' }).trim().min(1, 'user must be a username.').optional(),
});

/** The target of a subscription from a form or the API: exactly one of work_id, series_id or user. */
export async function parseSubscriptionTarget(
  db: Kysely<Database>,
  input: unknown,
): Promise<SubscriptionTarget> {
  const parsed = targetInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Say what to subscribe to.', fieldErrorsFrom(parsed.error));
  const { work_id, series_id, user } = parsed.data;
  if ([work_id, series_id, user].filter((value) => value !== undefined).length !== 1) {
    throw new ValidationError('Subscribe to one thing at a time: a work_id, a series_id or a user.', {
      work_id: 'Send exactly one of work_id, series_id or user.',
    });
  }
  if (work_id !== undefined) return { workId: work_id };
  if (series_id !== undefined) return { seriesId: series_id };
  const creator = await findUserByLogin(db, user as string);
  if (!creator) throw new NotFoundError('There is no user with that name here.');
  return { creatorId: creator.id };
}

/** The pseuds a work is credited to, with their accounts. */
async function workCredits(db: AnyDatabase, workId: number) {
  return db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['pseuds.user_id', 'pseuds.name'])
    .where('work_creators.work_id', '=', workId)
    .orderBy('work_creators.position')
    .execute();
}

/**
 * Whether the target exists for this reader (a work they may read, a series they may see), and is not
 * their own (they hear of their own works anyway).
 */
async function checkTarget(db: Kysely<Database>, viewer: Viewer, target: SubscriptionTarget): Promise<void> {
  const own = 'You post this yourself, so there is nothing to be notified about.';
  if ('workId' in target) {
    const work = await db
      .selectFrom('works')
      .select(['draft', 'restricted'])
      .where('id', '=', target.workId)
      .executeTakeFirst();
    const creators = (await workCredits(db, target.workId)).map((credit) => credit.user_id);
    const access = { draft: work?.draft === 1, restricted: work?.restricted === 1, creatorUserIds: creators };
    if (!work || !canRead(viewer, access)) throw new NotFoundError('We could not find that work.');
    if (creators.includes(viewer.id)) throw new ValidationError(own);
  } else if ('seriesId' in target) {
    const series = await db
      .selectFrom('series')
      .select('series.user_id')
      .where('series.id', '=', target.seriesId)
      .where(visibleSeries(viewer))
      .executeTakeFirst();
    if (!series) throw new NotFoundError('We could not find that series.');
    if (series.user_id === viewer.id) throw new ValidationError(own);
  } else {
    const creator = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', target.creatorId)
      .executeTakeFirst();
    if (!creator) throw new NotFoundError('There is no user with that name here.');
    if (creator.id === viewer.id) throw new ValidationError(own);
  }
}

function targetColumns(target: SubscriptionTarget) {
  return {
    work_id: 'workId' in target ? target.workId : null,
    series_id: 'seriesId' in target ? target.seriesId : null,
    creator_id: 'creatorId' in target ? target.creatorId : null,
  };
}

function targetColumn(target: SubscriptionTarget) {
  if ('workId' in target) return { column: 'work_id', id: target.workId } as const;
  if ('seriesId' in target) return { column: 'series_id', id: target.seriesId } as const;
  return { column: 'creator_id', id: target.creatorId } as const;
}

export async function subscribe(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: SubscriptionTarget,
): Promise<SubscriptionEntry> {
  if (!viewer) throw new AuthenticationError('Log in to subscribe.');
  await checkTarget(db, viewer, target);
  // The unique constraints decide between two simultaneous requests: one row, the other is told.
  const created = await db
    .insertInto('subscriptions')
    .values({ user_id: viewer.id, ...targetColumns(target), created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) throw new ConflictError('You are already subscribed to this.');
  const [entry] = await subscriptionEntries(db, viewer.id, created.id);
  return entry;
}

/** The viewer's subscription to the target, if they have one (for the Subscribe / Unsubscribe buttons). */
export async function subscriptionIdOf(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: SubscriptionTarget,
): Promise<number | null> {
  if (!viewer) return null;
  const { column, id } = targetColumn(target);
  const row = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('user_id', '=', viewer.id)
    .where(column, '=', id)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Ends one of the viewer's subscriptions; returns what it was to, so the page can lead back there. */
export async function unsubscribe(
  db: Kysely<Database>,
  viewer: Viewer | null,
  subscriptionId: number,
): Promise<SubscriptionEntry> {
  if (!viewer) throw new AuthenticationError('Log in to change your subscriptions.');
  const entry = (await subscriptionEntries(db, viewer.id, subscriptionId))[0];
  if (!entry) throw new NotFoundError('We could not find that subscription. It may have ended already.');
  await db.deleteFrom('subscriptions').where('id', '=', subscriptionId).execute();
  return entry;
}

/** Someone's subscriptions, newest first: a list only they may see. */
export async function listSubscriptions(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
): Promise<SubscriptionEntry[]> {
  if (!viewer) throw new AuthenticationError('Log in to see your subscriptions.');
  if (viewer.id !== userId) throw new ForbiddenError('Only its owner can see what an account subscribes to.');
  return subscriptionEntries(db, userId);
}

async function subscriptionEntries(
  db: Kysely<Database>,
  userId: number,
  subscriptionId?: number,
): Promise<SubscriptionEntry[]> {
  let query = db
    .selectFrom('subscriptions')
    .leftJoin('works', 'works.id', 'subscriptions.work_id')
    .leftJoin('series', 'series.id', 'subscriptions.series_id')
    .leftJoin('users as creators', 'creators.id', 'subscriptions.creator_id')
    .select([
      'subscriptions.id',
      'subscriptions.work_id',
      'subscriptions.series_id',
      'subscriptions.created_at',
      'works.title as work_title',
      'series.title as series_title',
      'creators.username as creator_name',
    ])
    .where('subscriptions.user_id', '=', userId)
    .orderBy('subscriptions.created_at', 'desc')
    .orderBy('subscriptions.id', 'desc');
  if (subscriptionId !== undefined) query = query.where('subscriptions.id', '=', subscriptionId);
  const rows = await query.execute();
  return rows.map<SubscriptionEntry>((row) => {
    const base = { id: row.id, createdAt: row.created_at };
    if (row.work_id !== null) {
      return { ...base, kind: 'work', name: row.work_title ?? '', path: paths.work(row.work_id) };
    }
    if (row.series_id !== null) {
      return { ...base, kind: 'series', name: row.series_title ?? '', path: paths.series(row.series_id) };
    }
    const name = row.creator_name ?? '';
    return { ...base, kind: 'user', name, path: paths.userWorks(name) };
  });
}

/**
 * The subscribers to notify about a work's news: never its creators, nor readers who muted one of them,
 * nor anyone already told about it in this announcement.
 */
async function subscribersOf(
  trx: Transaction<Database>,
  target: SubscriptionTarget | { creatorIds: number[] },
  creatorIds: number[],
  told: Set<number>,
): Promise<number[]> {
  let query = trx.selectFrom('subscriptions').select('user_id').distinct();
  if ('creatorIds' in target) {
    if (target.creatorIds.length === 0) return [];
    query = query.where('creator_id', 'in', target.creatorIds);
  } else {
    const { column, id } = targetColumn(target);
    query = query.where(column, '=', id);
  }
  if (creatorIds.length > 0) {
    query = query
      .where('user_id', 'not in', creatorIds)
      .where('user_id', 'not in', (eb) =>
        eb.selectFrom('mutes').select('user_id').where('target_id', 'in', creatorIds),
      );
  }
  const rows = await query.orderBy('user_id').execute();
  const fresh = rows.map((row) => row.user_id).filter((userId) => !told.has(userId));
  for (const userId of fresh) told.add(userId);
  return fresh;
}

interface AnnouncedWork {
  id: number;
  title: string;
  byline: string;
  creatorIds: number[];
}

async function announcedWork(trx: Transaction<Database>, workId: number): Promise<AnnouncedWork> {
  const work = await trx
    .selectFrom('works')
    .select('title')
    .where('id', '=', workId)
    .executeTakeFirstOrThrow();
  const credits = await workCredits(trx, workId);
  return {
    id: workId,
    title: work.title,
    byline: credits.map((credit) => credit.name).join(', ') || 'Anonymous',
    creatorIds: [...new Set(credits.map((credit) => credit.user_id))],
  };
}

/** Tells the work's subscribers about a newly posted chapter (drafts are not announced: callers check). */
export async function announceChapter(
  trx: Transaction<Database>,
  site: ArchiveSite,
  workId: number,
  chapter: { id: number; position: number },
): Promise<void> {
  const work = await announcedWork(trx, workId);
  for (const userId of await subscribersOf(trx, { workId }, work.creatorIds, new Set())) {
    await notify(trx, {
      userId,
      kind: 'new_chapter',
      workId,
      chapterId: chapter.id,
      text: `“${work.title}” by ${work.byline} has a new chapter (chapter ${chapter.position}).`,
      url: `${site.origin}${paths.chapter(workId, chapter.id)}`,
    });
  }
}

async function announcePart(
  trx: Transaction<Database>,
  site: ArchiveSite,
  work: AnnouncedWork,
  seriesId: number,
  told: Set<number>,
): Promise<void> {
  const part = await trx
    .selectFrom('series_works')
    .innerJoin('series', 'series.id', 'series_works.series_id')
    .select(['series.title', 'series_works.position'])
    .where('series_works.series_id', '=', seriesId)
    .where('series_works.work_id', '=', work.id)
    .executeTakeFirstOrThrow();
  for (const userId of await subscribersOf(trx, { seriesId }, work.creatorIds, told)) {
    await notify(trx, {
      userId,
      kind: 'new_series_part',
      workId: work.id,
      text: `The series “${part.title}” has a new part: Part ${part.position}, “${work.title}” by ${work.byline}.`,
      url: `${site.origin}${paths.work(work.id)}`,
    });
  }
}

/** Tells a series' subscribers that an already posted work became one of its parts. */
export async function announceSeriesPart(
  trx: Transaction<Database>,
  site: ArchiveSite,
  seriesId: number,
  workId: number,
): Promise<void> {
  await announcePart(trx, site, await announcedWork(trx, workId), seriesId, new Set());
}

/**
 * Tells everyone following a work that has just been posted: the subscribers of each series it is part
 * of, and the subscribers of its creators. A reader following both hears of it once.
 */
export async function announceWork(
  trx: Transaction<Database>,
  site: ArchiveSite,
  workId: number,
): Promise<void> {
  const work = await announcedWork(trx, workId);
  const told = new Set<number>();
  const series = await trx
    .selectFrom('series_works')
    .select('series_id')
    .where('work_id', '=', workId)
    .execute();
  for (const { series_id } of series) await announcePart(trx, site, work, series_id, told);
  for (const userId of await subscribersOf(trx, { creatorIds: work.creatorIds }, work.creatorIds, told)) {
    await notify(trx, {
      userId,
      kind: 'new_work',
      workId,
      text: `${work.byline} posted a new work: “${work.title}”.`,
      url: `${site.origin}${paths.work(workId)}`,
    });
  }
}
