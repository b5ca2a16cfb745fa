import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { ORPHAN_ACCOUNT } from '../domain/orphanAccount.ts';
import type { Viewer } from '../domain/permissions.ts';
import { recordIdSchema } from '../domain/workRules.ts';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { refreshWorkIndexes } from './workIndexes.ts';
import { workForEditing } from './works.ts';

// Orphaning, as on AO3: a writer hands works (one, a series, or all of them) to the shared
// orphan_account for good. Readers keep the works with their comments, kudos and bookmarks; the writer
// can no longer change them. The byline becomes orphan_account, or a pseud of orphan_account with the
// writer's old pseud's name when they choose to keep it.

type Db = Kysely<Database> | Transaction<Database>;

/** What to orphan: one work, one series (with the writer's works in it) or everything they posted. */
export type OrphanScope = { workId: number } | { seriesId: number } | { allWorks: true };

export interface OrphanRequest {
  scope: OrphanScope;
  /** Credit the works to a pseud of orphan_account with the writer's pseud's name, not to orphan_account. */
  keepPseud: boolean;
}

const flag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on', 'off'])])
  .transform((value) => value === true || value === '1' || value === 'true' || value === 'on');

const orphanRequestSchema = z.object({
  work_id: recordIdSchema('work_id must be the id of a work.').optional(),
  series_id: recordIdSchema('series_id must be the id of a series.').optional(),
  all_works: flag.optional(),
  keep_pseud: flag.optional(),
});

/** Reads what to orphan from a form or the API: exactly one of work_id, series_id or all_works. */
export function parseOrphanRequest(input: unknown): OrphanRequest {
  const parsed = orphanRequestSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ValidationError('Say what to orphan.', fieldErrorsFrom(parsed.error));
  const { work_id, series_id, all_works, keep_pseud } = parsed.data;
  const chosen = [work_id !== undefined, series_id !== undefined, all_works === true].filter(Boolean);
  if (chosen.length !== 1) {
    throw new ValidationError('Orphan one thing at a time: a work_id, a series_id or all_works.', {
      work_id: 'Send exactly one of work_id, series_id or all_works: true.',
    });
  }
  const scope: OrphanScope =
    work_id !== undefined
      ? { workId: work_id }
      : series_id !== undefined
        ? { seriesId: series_id }
        : { allWorks: true };
  return { scope, keepPseud: keep_pseud ?? false };
}

/**
 * The orphan account's id, made on first use. Racing first uses both insert-or-ignore, so exactly one
 * account exists; its password hash matches no password and log-in refuses it by name anyway.
 */
export async function orphanAccountId(db: Db): Promise<number> {
  const now = new Date().toISOString();
  await db
    .insertInto('users')
    .values({
      username: ORPHAN_ACCOUNT.username,
      username_key: ORPHAN_ACCOUNT.username,
      email: ORPHAN_ACCOUNT.email,
      email_key: ORPHAN_ACCOUNT.email,
      password_hash: ORPHAN_ACCOUNT.passwordHash,
      created_at: now,
      history_enabled: 0,
      email_notifications: 0,
    })
    .onConflict((conflict) => conflict.column('username_key').doNothing())
    .execute();
  const account = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('username_key', '=', ORPHAN_ACCOUNT.username)
    .executeTakeFirstOrThrow();
  if (account.password_hash !== ORPHAN_ACCOUNT.passwordHash) {
    // Only an archive where someone signed up as orphan_account before the name was reserved.
    throw new ForbiddenError(
      'Works cannot be orphaned here: a member holds the name orphan_account. An administrator must rename that account first.',
    );
  }
  // Its name is claimed like any member's, so no change of username can take it either.
  await db
    .insertInto('usernames')
    .values({ name_key: ORPHAN_ACCOUNT.username, user_id: account.id, reserved_until: null })
    .onConflict((conflict) => conflict.column('name_key').doNothing())
    .execute();
  return account.id;
}

/** The orphan account's pseud of this name (its default pseud for orphan_account itself), made if new. */
async function orphanPseud(trx: Transaction<Database>, orphanId: number, name: string): Promise<number> {
  await trx
    .insertInto('pseuds')
    .values({
      user_id: orphanId,
      name,
      name_key: accountKey(name),
      is_default: accountKey(name) === ORPHAN_ACCOUNT.username ? 1 : 0,
      created_at: new Date().toISOString(),
    })
    .onConflict((conflict) => conflict.columns(['user_id', 'name_key']).doNothing())
    .execute();
  const pseud = await trx
    .selectFrom('pseuds')
    .select('id')
    .where('user_id', '=', orphanId)
    .where('name_key', '=', accountKey(name))
    .executeTakeFirstOrThrow();
  return pseud.id;
}

/** Writes `replacement` where a name stands alone in a text (not inside a longer word or name). */
export function replaceNames(text: string, names: readonly string[], replacement: string): string {
  let result = text;
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result.replace(
      new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'gu'),
      replacement,
    );
  }
  return result;
}

/**
 * Drops what was built or written with the old byline: cached downloads of the works and their series,
 * and (unless the writer kept their pseud's name) the name in subscribers' inbox items about the works.
 */
async function forgetOldBylines(
  trx: Transaction<Database>,
  workIds: number[],
  pseudNames: string[],
  replacement: string | null,
): Promise<void> {
  if (workIds.length === 0) return;
  const seriesIds = (
    await trx.selectFrom('series_works').select('series_id').where('work_id', 'in', workIds).execute()
  ).map((row) => row.series_id);
  await trx
    .deleteFrom('download_cache')
    .where((eb) =>
      eb.or([
        ...workIds.map((id) => eb('cache_key', 'like', `work:${id}:%`)),
        ...seriesIds.map((id) => eb('cache_key', 'like', `series:${id}:%`)),
      ]),
    )
    .execute();
  if (replacement === null || pseudNames.length === 0) return;
  const news = await trx
    .selectFrom('notifications')
    .select(['id', 'text'])
    .where('work_id', 'in', workIds)
    .where('kind', 'in', ['new_chapter', 'new_work', 'new_series_part'])
    .execute();
  for (const item of news) {
    const text = replaceNames(item.text, pseudNames, replacement);
    if (text !== item.text)
      await trx.updateTable('notifications').set({ text }).where('id', '=', item.id).execute();
  }
}

/**
 * Hands the user's creatorship of these works to orphan_account, in the caller's transaction. Co-creators
 * keep theirs. Returns the works whose byline changed.
 */
export async function handOverWorks(
  trx: Transaction<Database>,
  userId: number,
  workIds: readonly number[],
  keepPseud: boolean,
): Promise<number[]> {
  if (workIds.length === 0) return [];
  const orphanId = await orphanAccountId(trx);
  const credits = await trx
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['work_creators.work_id', 'work_creators.pseud_id', 'pseuds.name'])
    .where('pseuds.user_id', '=', userId)
    .where('work_creators.work_id', 'in', [...workIds])
    .execute();
  for (const credit of credits) {
    const target = await orphanPseud(trx, orphanId, keepPseud ? credit.name : ORPHAN_ACCOUNT.username);
    const already = await trx
      .selectFrom('work_creators')
      .select('pseud_id')
      .where('work_id', '=', credit.work_id)
      .where('pseud_id', '=', target)
      .executeTakeFirst();
    // Two of the writer's pseuds on one work become one orphan_account credit.
    if (already)
      await trx
        .deleteFrom('work_creators')
        .where('work_id', '=', credit.work_id)
        .where('pseud_id', '=', credit.pseud_id)
        .execute();
    else
      await trx
        .updateTable('work_creators')
        .set({ pseud_id: target })
        .where('work_id', '=', credit.work_id)
        .where('pseud_id', '=', credit.pseud_id)
        .execute();
  }
  const changed = [...new Set(credits.map((credit) => credit.work_id))];
  if (changed.length === 0) return [];
  // A new revision, so downloads are built again with the new byline.
  await trx
    .updateTable('works')
    .set({ revised_at: new Date().toISOString() })
    .where('id', 'in', changed)
    .execute();
  await refreshWorkIndexes(trx, changed);
  const names = [...new Set(credits.map((credit) => credit.name))];
  await forgetOldBylines(trx, changed, names, keepPseud ? null : ORPHAN_ACCOUNT.username);
  return changed;
}

/** The user's posted works (drafts can be read by nobody once orphaned, so they are never handed over). */
async function postedWorksOf(db: Db, userId: number, seriesId?: number): Promise<number[]> {
  let query = db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('works.id')
    .distinct()
    .where('pseuds.user_id', '=', userId)
    .where('works.draft', '=', 0);
  if (seriesId !== undefined)
    query = query.where('works.id', 'in', (eb) =>
      eb.selectFrom('series_works').select('work_id').where('series_id', '=', seriesId),
    );
  return (await query.orderBy('works.id').execute()).map((row) => row.id);
}

/**
 * Hands series to orphan_account. The user's drafts in them leave the series and stay the user's:
 * a series nobody owns cannot take a part that is not yet posted.
 */
async function handOverSeries(
  trx: Transaction<Database>,
  userId: number,
  seriesIds: number[],
): Promise<void> {
  if (seriesIds.length === 0) return;
  await trx
    .deleteFrom('series_works')
    .where('series_id', 'in', seriesIds)
    .where('work_id', 'in', (eb) =>
      eb
        .selectFrom('works')
        .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('works.id')
        .where('pseuds.user_id', '=', userId)
        .where('works.draft', '=', 1),
    )
    .execute();
  await trx
    .updateTable('series')
    .set({ user_id: await orphanAccountId(trx) })
    .where('id', 'in', seriesIds)
    .where('user_id', '=', userId)
    .execute();
}

export interface OrphanPlan {
  works: { id: number; title: string }[];
  series: { id: number; title: string }[];
}

/** What an orphaning would hand over, for the confirmation page; refuses what the viewer may not orphan. */
export async function planOrphaning(
  db: Kysely<Database>,
  viewer: Viewer | null,
  scope: OrphanScope,
): Promise<OrphanPlan> {
  if (!viewer) throw new AuthenticationError('Log in to orphan your works.');
  let workIds: number[];
  let seriesIds: number[] = [];
  if ('workId' in scope) {
    const work = await workForEditing(db, viewer, scope.workId);
    if (work.draft)
      throw new ValidationError(
        'A draft cannot be orphaned: nobody could ever read or post it. Post it first, or delete it.',
      );
    workIds = [work.id];
  } else if ('seriesId' in scope) {
    const series = await db
      .selectFrom('series')
      .select(['id', 'user_id'])
      .where('id', '=', scope.seriesId)
      .executeTakeFirst();
    if (!series) throw new NotFoundError('We could not find that series.');
    if (series.user_id !== viewer.id) throw new ForbiddenError('Only the owner of a series can orphan it.');
    seriesIds = [series.id];
    workIds = await postedWorksOf(db, viewer.id, series.id);
  } else {
    workIds = await postedWorksOf(db, viewer.id);
    seriesIds = (
      await db.selectFrom('series').select('id').where('user_id', '=', viewer.id).orderBy('id').execute()
    ).map((row) => row.id);
    if (workIds.length === 0 && seriesIds.length === 0)
      throw new ValidationError('You have no posted works or series to orphan.');
  }
  const works =
    workIds.length === 0
      ? []
      : await db
          .selectFrom('works')
          .select(['id', 'title'])
          .where('id', 'in', workIds)
          .orderBy('id')
          .execute();
  const series =
    seriesIds.length === 0
      ? []
      : await db
          .selectFrom('series')
          .select(['id', 'title'])
          .where('id', 'in', seriesIds)
          .orderBy('id')
          .execute();
  return { works, series };
}

/** Orphans what the request names, all at once; returns what was handed over. */
export async function orphan(
  db: Kysely<Database>,
  viewer: Viewer | null,
  request: OrphanRequest,
): Promise<OrphanPlan> {
  const plan = await planOrphaning(db, viewer, request.scope);
  const userId = (viewer as Viewer).id;
  await db.transaction().execute(async (trx) => {
    await handOverWorks(
      trx,
      userId,
      plan.works.map((work) => work.id),
      request.keepPseud,
    );
    await handOverSeries(
      trx,
      userId,
      plan.series.map((series) => series.id),
    );
  });
  return plan;
}

/** Every posted work and series of the user to orphan_account: the "orphan my works" of deleting an account. */
export async function orphanEverything(
  trx: Transaction<Database>,
  userId: number,
  keepPseud: boolean,
): Promise<void> {
  await handOverWorks(trx, userId, await postedWorksOf(trx, userId), keepPseud);
  const seriesIds = (await trx.selectFrom('series').select('id').where('user_id', '=', userId).execute()).map(
    (row) => row.id,
  );
  await handOverSeries(trx, userId, seriesIds);
}
