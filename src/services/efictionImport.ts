import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { sanitizeWorkHtml } from '../domain/htmlPolicy.ts';
import type { Viewer } from '../domain/permissions.ts';
import { TAG_TYPE_LABELS, type TagType } from '../domain/vocabulary.ts';
import { tagKey } from '../domain/workRules.ts';
import {
  disambiguatedTagName,
  type EfictionImportPlan,
  type PlannedUser,
  type PlannedWork,
  type PlannedWorkFields,
} from '../importers/efiction/mapEfiction.ts';
import { ServiceError, ValidationError } from './errors.ts';
import { addWorkToSeriesByTitle } from './series.ts';
import { LEGACY_MD5_PREFIX } from './users.ts';
import { refreshWorkIndexes } from './workIndexes.ts';
import { createWork } from './works.ts';

// Writes an eFiction import plan (see importers/efiction/mapEfiction.ts) into the archive. Safe to run
// again: accounts are found by email, works by their source URL (or title and author), and a work's
// series parts and comments are only added when the work itself is created.

/** An account that never had a usable eFiction password: no password matches this until one is set. */
const NO_PASSWORD = `${LEGACY_MD5_PREFIX}none`;

export interface EfictionImportOptions {
  /** Called before each story is written. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface EfictionImportSummary {
  users: {
    created: string[];
    matched: string[];
    /** Usernames that were taken in this archive by other accounts. */
    renamed: { from: string; to: string }[];
    failed: { username: string; reason: string }[];
  };
  works: {
    imported: { sid: number; workId: number; title: string; draft: boolean }[];
    duplicates: { sid: number; workId: number; title: string }[];
    failed: { sid: number; label: string; reason: string }[];
  };
  comments: number;
  series: { created: number; parts: number };
  /** Tags renamed because the archive already had the name as another type of tag. */
  renamedTags: { from: string; to: string; reason: string }[];
}

interface Credit {
  userId: number;
  username: string;
  pseudId: number;
}

function failureReason(error: unknown): string {
  if (error instanceof ValidationError && Object.keys(error.fields).length > 0)
    return `${error.message} ${Object.values(error.fields).join(' ')}`;
  if (error instanceof ServiceError || error instanceof Error) return error.message;
  return String(error);
}

function withSuffix(base: string, suffix: string, max: number): string {
  return `${base.slice(0, max - suffix.length).replace(/_+$/, '')}${suffix}`;
}

async function importUser(
  db: Kysely<Database>,
  user: PlannedUser,
  summary: EfictionImportSummary,
  credits: Map<number, Credit>,
): Promise<void> {
  const now = new Date().toISOString();
  const found = await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('email_key', '=', accountKey(user.email))
      .executeTakeFirst();
    let account = existing;
    if (!account) {
      let username = user.username;
      for (let n = 2; ; n++) {
        const taken = await trx
          .selectFrom('users')
          .select('id')
          .where('username_key', '=', accountKey(username))
          .executeTakeFirst();
        if (!taken) break;
        username = withSuffix(user.username, `_${n}`, 40);
      }
      account = await trx
        .insertInto('users')
        .values({
          username,
          username_key: accountKey(username),
          email: user.email,
          email_key: accountKey(user.email),
          password_hash: user.legacyMd5 ? `${LEGACY_MD5_PREFIX}${user.legacyMd5}` : NO_PASSWORD,
          is_admin: 0,
          created_at: user.createdAt ?? now,
        })
        .returning(['id', 'username'])
        .executeTakeFirstOrThrow();
    }
    const pseuds: { uid: number; pseudId: number }[] = [];
    for (const [index, pseud] of user.pseuds.entries()) {
      const known = await trx
        .selectFrom('pseuds')
        .select('id')
        .where('user_id', '=', account.id)
        .where('name_key', '=', accountKey(pseud.name))
        .executeTakeFirst();
      const pseudId =
        known?.id ??
        (
          await trx
            .insertInto('pseuds')
            .values({
              user_id: account.id,
              name: pseud.name,
              name_key: accountKey(pseud.name),
              is_default: !existing && index === 0 ? 1 : 0,
              created_at: user.createdAt ?? now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      pseuds.push({ uid: pseud.uid, pseudId });
    }
    return { account, created: !existing, pseuds };
  });
  for (const pseud of found.pseuds)
    credits.set(pseud.uid, {
      userId: found.account.id,
      username: found.account.username,
      pseudId: pseud.pseudId,
    });
  if (!found.created) summary.users.matched.push(found.account.username);
  else {
    summary.users.created.push(found.account.username);
    if (found.account.username !== user.username)
      summary.users.renamed.push({ from: user.username, to: found.account.username });
  }
}

/** An earlier import of the same story: the same source URL, or the same title by the same author. */
async function findImportedCopy(
  db: Kysely<Database>,
  work: PlannedWork,
  author: Credit,
): Promise<{ id: number } | undefined> {
  if (work.importedFrom)
    return db
      .selectFrom('works')
      .select('id')
      .where('imported_from', '=', work.importedFrom)
      .executeTakeFirst();
  return db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('works.id')
    .where('works.title', '=', work.fields.title.trim())
    .where('work_creators.position', '=', 0)
    .where('pseuds.user_id', '=', author.userId)
    .executeTakeFirst();
}

const USER_TAG_FIELDS = [
  ['fandom', 'fandoms'],
  ['character', 'characters'],
  ['freeform', 'freeforms'],
] as const;

/** Renames tags whose names this archive already has as another type (tag names are unique across types). */
async function avoidTagClashes(
  db: Kysely<Database>,
  fields: PlannedWorkFields,
  renamed: EfictionImportSummary['renamedTags'],
): Promise<PlannedWorkFields> {
  const result = { ...fields };
  for (let pass = 0; pass < 2; pass++) {
    const keys = USER_TAG_FIELDS.flatMap(([, field]) => result[field].map((name) => tagKey(name)));
    if (keys.length === 0) return result;
    const rows = await db
      .selectFrom('tags')
      .select(['name_key', 'type'])
      .where('name_key', 'in', keys)
      .execute();
    const types = new Map(rows.map((row) => [row.name_key, row.type as TagType]));
    let changed = false;
    for (const [type, field] of USER_TAG_FIELDS) {
      result[field] = result[field].map((name) => {
        const existing = types.get(tagKey(name));
        if (!existing || existing === type) return name;
        changed = true;
        const to = disambiguatedTagName(name, type, type === 'fandom' ? undefined : result.fandoms[0]);
        if (!renamed.some((entry) => entry.from === name && entry.to === to))
          renamed.push({
            from: name,
            to,
            reason: `this archive already has “${name}” as a ${TAG_TYPE_LABELS[existing].one} tag`,
          });
        return to;
      });
    }
    if (!changed) break;
  }
  return result;
}

interface SeriesState {
  plan: EfictionImportPlan;
  credits: Map<number, Credit>;
  /** The newest part date seen per Quire series during this run. */
  latest: Map<number, string>;
  summary: EfictionImportSummary;
}

async function placeInSeries(
  trx: Transaction<Database>,
  workId: number,
  work: PlannedWork,
  state: SeriesState,
): Promise<void> {
  for (const placement of work.series) {
    const series = state.plan.series.find((entry) => entry.seriesid === placement.seriesid);
    const owner = series ? state.credits.get(series.ownerUid) : undefined;
    if (!series || !owner) continue;
    const existed = await trx
      .selectFrom('series')
      .select('id')
      .where('user_id', '=', owner.userId)
      .where('title', '=', series.title)
      .executeTakeFirst();
    const seriesId = await addWorkToSeriesByTitle(
      trx,
      owner.userId,
      series.title,
      workId,
      placement.position,
    );
    const partDate = work.updatedAt ?? work.postedAt ?? new Date().toISOString();
    const latest = [state.latest.get(seriesId), partDate].filter(Boolean).sort().at(-1) as string;
    state.latest.set(seriesId, latest);
    if (!existed) {
      state.summary.series.created++;
      await trx
        .updateTable('series')
        .set({ summary: sanitizeWorkHtml(series.summary), created_at: work.postedAt ?? partDate })
        .where('id', '=', seriesId)
        .execute();
    }
    // addWorkToSeriesByTitle marks the series updated now; an imported series keeps its own dates.
    await trx.updateTable('series').set({ updated_at: latest }).where('id', '=', seriesId).execute();
    state.summary.series.parts++;
  }
}

async function addComments(
  trx: Transaction<Database>,
  workId: number,
  chapterIds: number[],
  work: PlannedWork,
  credits: Map<number, Credit>,
): Promise<number> {
  const chapterIdByChapid = new Map(
    work.chapters.map((chapter, index) => [chapter.chapid, chapterIds[index]]),
  );
  let added = 0;
  for (const comment of work.comments) {
    const body = sanitizeWorkHtml(comment.body);
    if (body.trim() === '') continue;
    const member = comment.uid !== null ? credits.get(comment.uid) : undefined;
    const createdAt = comment.createdAt ?? work.postedAt ?? new Date().toISOString();
    await trx
      .insertInto('comments')
      .values({
        work_id: workId,
        chapter_id: comment.chapid !== null ? (chapterIdByChapid.get(comment.chapid) ?? null) : null,
        parent_id: null,
        user_id: member?.userId ?? null,
        pseud_id: member?.pseudId ?? null,
        guest_name: member ? null : (comment.guestName ?? 'Anonymous').slice(0, 100),
        guest_email: null,
        body,
        status: 'visible',
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    added++;
  }
  // The counter follows the rows, in the same transaction.
  const counted = await trx
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('work_id', '=', workId)
    .where('status', '=', 'visible')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('works')
    .set({ comments_count: Number(counted.total) })
    .where('id', '=', workId)
    .execute();
  return added;
}

async function importOneWork(db: Kysely<Database>, work: PlannedWork, state: SeriesState): Promise<void> {
  const { credits, summary } = state;
  const author = credits.get(work.creatorUids[0]);
  if (!author) throw new Error('its author’s account could not be created (see the accounts above)');
  const existing = await findImportedCopy(db, work, author);
  if (existing) {
    summary.works.duplicates.push({ sid: work.sid, workId: existing.id, title: work.fields.title });
    return;
  }
  const fields = await avoidTagClashes(db, work.fields, summary.renamedTags);
  const viewer: Viewer = { id: author.userId, username: author.username, isAdmin: false };
  const created = await createWork(db, viewer, fields, work.chapters, {
    postedAt: work.postedAt ?? undefined,
    updatedAt: work.updatedAt ?? undefined,
    importedFrom: work.importedFrom ?? undefined,
  });
  try {
    const comments = await db.transaction().execute(async (trx) => {
      // createWork credits the account's default pseud; the story's penname may be another one.
      await trx
        .updateTable('work_creators')
        .set({ pseud_id: author.pseudId })
        .where('work_id', '=', created.id)
        .where('position', '=', 0)
        .execute();
      const credited = new Set([author.pseudId]);
      for (const [position, uid] of work.creatorUids.entries()) {
        const coauthor = credits.get(uid);
        if (position === 0 || !coauthor || credited.has(coauthor.pseudId)) continue;
        credited.add(coauthor.pseudId);
        await trx
          .insertInto('work_creators')
          .values({ work_id: created.id, pseud_id: coauthor.pseudId, position })
          .execute();
      }
      await refreshWorkIndexes(trx, [created.id]);
      await trx.updateTable('works').set({ hits: work.hits }).where('id', '=', created.id).execute();
      await placeInSeries(trx, created.id, work, state);
      return addComments(trx, created.id, created.chapterIds, work, credits);
    });
    summary.comments += comments;
  } catch (error) {
    // All or nothing per story: a half-imported work would be taken for a finished one next time.
    await db.deleteFrom('works').where('id', '=', created.id).execute();
    throw error;
  }
  summary.works.imported.push({
    sid: work.sid,
    workId: created.id,
    title: fields.title,
    draft: fields.draft,
  });
}

/**
 * Writes the plan: accounts and pseuds, then each story as a work with its creators, series parts and
 * comments. A story that fails is reported and skipped; the others go on.
 */
export async function importEfictionPlan(
  db: Kysely<Database>,
  plan: EfictionImportPlan,
  options: EfictionImportOptions = {},
): Promise<EfictionImportSummary> {
  const summary: EfictionImportSummary = {
    users: { created: [], matched: [], renamed: [], failed: [] },
    works: { imported: [], duplicates: [], failed: [] },
    comments: 0,
    series: { created: 0, parts: 0 },
    renamedTags: [],
  };
  const credits = new Map<number, Credit>();
  for (const user of plan.users) {
    try {
      await importUser(db, user, summary, credits);
    } catch (error) {
      summary.users.failed.push({ username: user.username, reason: failureReason(error) });
    }
  }
  const state: SeriesState = { plan, credits, latest: new Map(), summary };
  for (const [index, work] of plan.works.entries()) {
    options.onProgress?.(index, plan.works.length, work.label);
    try {
      await importOneWork(db, work, state);
    } catch (error) {
      summary.works.failed.push({ sid: work.sid, label: work.label, reason: failureReason(error) });
    }
  }
  options.onProgress?.(plan.works.length, plan.works.length, '');
  return summary;
}
