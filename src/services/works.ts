import { type Kysely, sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { sanitizeWorkHtml } from '../domain/htmlPolicy.ts';
import { canEdit, canRead, type Viewer } from '../domain/permissions.ts';
import {
  type ChapterFields,
  chapterFieldsSchema,
  type WorkFields,
  workFieldsSchema,
} from '../domain/workRules.ts';
import { type ChapterRef, insertChapter, listChapterRefs, recountWork } from './chapterRecords.ts';
import { requireConfirmedEmail } from './emailConfirmation.ts';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { creditedPseud, pseudChoiceOf } from './pseuds.ts';
import { type SeriesPart, seriesOfWork } from './series.ts';
import { placeWorkInSeries } from './seriesEditing.ts';
import { announceSeriesPart, announceWork } from './subscriptions.ts';
import type { TagRequest } from './tags.ts';
import { resolveTags } from './tags.ts';
import type { ArchiveSite } from './workDocuments.ts';
import { refreshWorkIndexes } from './workIndexes.ts';
import { summariseWorks, type WorkSummary } from './workViews.ts';

export interface WorkDetail extends WorkSummary {
  chapters: ChapterRef[];
  series: SeriesPart[];
  /** Whether the viewer may change the work (views use it to show the edit links). */
  editable: boolean;
}

function parseWorkFields(input: unknown): WorkFields {
  const parsed = workFieldsSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('Please fix the work details.', fieldErrorsFrom(parsed.error));
  return parsed.data;
}

export function parseChapterFields(input: unknown): ChapterFields {
  const parsed = chapterFieldsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Please fix the chapter.', fieldErrorsFrom(parsed.error));
  return parsed.data;
}

function tagRequests(fields: WorkFields): TagRequest[] {
  return [
    { name: fields.rating, type: 'rating', field: 'rating' },
    ...fields.warnings.map((name) => ({ name, type: 'warning' as const, field: 'warnings' })),
    ...fields.categories.map((name) => ({ name, type: 'category' as const, field: 'categories' })),
    ...fields.fandoms.map((name) => ({ name, type: 'fandom' as const, field: 'fandoms' })),
    ...fields.relationships.map((name) => ({ name, type: 'relationship' as const, field: 'relationships' })),
    ...fields.characters.map((name) => ({ name, type: 'character' as const, field: 'characters' })),
    ...fields.freeforms.map((name) => ({ name, type: 'freeform' as const, field: 'freeforms' })),
  ];
}

async function replaceWorkTags(
  trx: Transaction<Database>,
  workId: number,
  fields: WorkFields,
): Promise<void> {
  const tagIds = await resolveTags(trx, tagRequests(fields));
  await trx.deleteFrom('work_tags').where('work_id', '=', workId).execute();
  await trx
    .insertInto('work_tags')
    .values([...new Set(tagIds)].map((tagId, position) => ({ work_id: workId, tag_id: tagId, position })))
    .execute();
}

/** AO3's rule: a work is complete when its posted chapters reach the expected count. */
export function completion(
  fields: Pick<WorkFields, 'complete' | 'expected_chapters'>,
  chapterCount: number,
): { expected_chapters: number | null; complete: number } {
  if (fields.complete) return { expected_chapters: chapterCount, complete: 1 };
  const expected = fields.expected_chapters;
  if (expected !== null && expected < chapterCount) {
    throw new ValidationError('Please fix the work details.', {
      expected_chapters: `This work already has ${chapterCount} chapters; expect at least that many, or "?".`,
    });
  }
  return { expected_chapters: expected, complete: expected === chapterCount ? 1 : 0 };
}

/** The pseud a user's works and comments are credited to. */
export async function defaultPseud(
  db: Kysely<Database> | Transaction<Database>,
  userId: number,
): Promise<{ id: number; name: string }> {
  const pseud = await db
    .selectFrom('pseuds')
    .select(['id', 'name'])
    .where('user_id', '=', userId)
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  if (!pseud) throw new NotFoundError('Your account has no pseud to credit your writing to.');
  return pseud;
}

/** Credits the viewer's part in a work to another of their pseuds, keeping its place in the byline. */
async function recreditWork(trx: Transaction<Database>, viewer: Viewer, workId: number, choice: unknown) {
  const pseud = await creditedPseud(trx, viewer, choice);
  const own = await trx
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select(['work_creators.pseud_id', 'work_creators.position'])
    .where('work_creators.work_id', '=', workId)
    .where('pseuds.user_id', '=', viewer.id)
    .orderBy('work_creators.position')
    .execute();
  if (own.length === 0 || (own.length === 1 && own[0].pseud_id === pseud.id)) return;
  await trx
    .deleteFrom('work_creators')
    .where('work_id', '=', workId)
    .where(
      'pseud_id',
      'in',
      own.map((credit) => credit.pseud_id),
    )
    .execute();
  await trx
    .insertInto('work_creators')
    .values({ work_id: workId, pseud_id: pseud.id, position: own[0].position })
    .execute();
}

export interface WorkProvenance {
  postedAt?: string;
  updatedAt?: string;
  /** The work's URL on the archive it came from (http or https only). */
  importedFrom?: string;
  /** The original creators' names, credited instead of the importing account. */
  importedCreators?: string[];
  /**
   * The archive whose links subscribers' notifications carry. Pages and the API pass it; imports and
   * the demo leave it out, so bringing in a back catalogue floods no inbox.
   */
  announceAt?: ArchiveSite;
}

/** Field errors of a chapter inside a work, named the way the API reports them. */
function chapterFieldErrors(index: number, error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrorsFrom(error)))
    fields[`chapters[${index}].${field}`] = message;
  return fields;
}

/** Posts a new work (or saves it as a draft) with its chapters, all or nothing. */
export async function createWork(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workInput: unknown,
  chapterInputs: unknown[],
  /** Imports (and the demo) keep a work's original dates, source and credits. */
  options: WorkProvenance = {},
): Promise<{ id: number; chapterIds: number[] }> {
  if (!viewer) throw new AuthenticationError('Log in to post a work.');
  await requireConfirmedEmail(db, viewer);
  // Validate every part before reporting, so a form shows every problem at once.
  const workResult = workFieldsSchema.safeParse(workInput);
  const chapterResults = chapterInputs.map((input) => chapterFieldsSchema.safeParse(input));
  const fields: Record<string, string> = {};
  chapterResults.forEach((result, index) => {
    if (!result.success) Object.assign(fields, chapterFieldErrors(index, result.error));
  });
  if (chapterInputs.length === 0) fields.chapters = 'A work needs at least one chapter.';
  if (!workResult.success) Object.assign(fields, fieldErrorsFrom(workResult.error));
  if (!workResult.success || Object.keys(fields).length > 0)
    throw new ValidationError('Please fix the work details.', fields);
  const work = workResult.data;
  const chapters = chapterResults.map((result) => result.data as ChapterFields);
  const { expected_chapters, complete } = completion(work, chapters.length);
  const now = options.postedAt ?? new Date().toISOString();

  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('works')
      .values({
        title: work.title,
        summary: sanitizeWorkHtml(work.summary),
        notes: sanitizeWorkHtml(work.notes),
        end_notes: sanitizeWorkHtml(work.end_notes),
        language: work.language,
        complete,
        expected_chapters,
        restricted: work.restricted ? 1 : 0,
        draft: work.draft ? 1 : 0,
        created_at: now,
        published_at: work.draft ? null : now,
        updated_at: options.updatedAt ?? now,
        revised_at: new Date().toISOString(),
        imported_from: options.importedFrom ?? null,
        imported_creators: (options.importedCreators ?? []).join(', '),
        comment_policy: work.comment_policy,
        moderate_comments: work.moderate_comments ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pseud = await creditedPseud(trx, viewer, pseudChoiceOf(workInput));
    await trx
      .insertInto('work_creators')
      .values({ work_id: created.id, pseud_id: pseud.id, position: 0 })
      .execute();
    await replaceWorkTags(trx, created.id, work);
    const chapterIds: number[] = [];
    for (const [index, chapter] of chapters.entries()) {
      chapterIds.push(await insertChapter(trx, created.id, index + 1, chapter, now));
    }
    await recountWork(trx, created.id);
    await refreshWorkIndexes(trx, [created.id]);
    await placeWorkInSeries(trx, viewer, created.id, work);
    if (!work.draft && options.announceAt) await announceWork(trx, options.announceAt, created.id);
    return { id: created.id, chapterIds };
  });
}

export async function creatorUserIds(db: Kysely<Database>, workId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('pseuds.user_id')
    .where('work_creators.work_id', '=', workId)
    .execute();
  return rows.map((row) => row.user_id);
}

/**
 * The one answer for a work this reader cannot open, missing, someone else's draft or (to a guest)
 * restricted alike: a different answer for restricted works let anyone list which ids hide members-only
 * works. It depends only on who asks, so a guest is told that logging in may help whatever the id.
 */
function noSuchWork(viewer: Viewer | null): NotFoundError {
  return new NotFoundError(
    viewer
      ? 'We could not find that work. It may have been deleted.'
      : 'We could not find that work. It may have been deleted, or it may be open only to registered users of the archive: log in to look again.',
  );
}

/** The work as a reader may see it: drafts are invisible to others, restricted works need a login. */
export async function getWork(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
): Promise<WorkDetail> {
  const row = await db.selectFrom('works').selectAll().where('id', '=', workId).executeTakeFirst();
  if (!row) throw noSuchWork(viewer);
  const access = {
    draft: row.draft === 1,
    restricted: row.restricted === 1,
    creatorUserIds: await creatorUserIds(db, workId),
  };
  if (!canRead(viewer, access)) throw noSuchWork(viewer);
  const [summary] = await summariseWorks(db, [row]);
  return {
    ...summary,
    chapters: await listChapterRefs(db, workId),
    series: await seriesOfWork(db, viewer, workId),
    editable: canEdit(viewer, access),
  };
}

/** Loads a work for a change by its creator; anyone else is refused. */
export async function workForEditing(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
): Promise<WorkDetail> {
  if (!viewer) throw new AuthenticationError('Log in to change your works.');
  const work = await getWork(db, viewer, workId);
  if (!work.editable) throw new ForbiddenError('Only the creators of this work can change it.');
  return work;
}

export async function updateWork(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  input: unknown,
  /** Where subscribers' notifications link to, when this update posts the work or adds it to a series. */
  announceAt?: ArchiveSite,
): Promise<void> {
  const work = await workForEditing(db, viewer, workId);
  const fields = parseWorkFields(input);
  const { expected_chapters, complete } = completion(fields, work.chapterCount);
  const now = new Date().toISOString();
  // Once posted, a work stays posted; a draft is posted when its creator chooses to.
  const posting = work.draft && !fields.draft;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('works')
      .set({
        title: fields.title,
        summary: sanitizeWorkHtml(fields.summary),
        notes: sanitizeWorkHtml(fields.notes),
        end_notes: sanitizeWorkHtml(fields.end_notes),
        language: fields.language,
        complete,
        expected_chapters,
        restricted: fields.restricted ? 1 : 0,
        comment_policy: fields.comment_policy,
        moderate_comments: fields.moderate_comments ? 1 : 0,
        ...(posting ? { draft: 0, published_at: now, updated_at: now } : {}),
        revised_at: now,
      })
      .where('id', '=', workId)
      .execute();
    const choice = pseudChoiceOf(input);
    // workForEditing let only a logged-in creator this far.
    if (viewer && choice !== undefined && choice !== '') await recreditWork(trx, viewer, workId, choice);
    await replaceWorkTags(trx, workId, fields);
    await refreshWorkIndexes(trx, [workId]);
    const placed = await placeWorkInSeries(trx, viewer, workId, fields);
    if (announceAt && posting) await announceWork(trx, announceAt, workId);
    else if (announceAt && !work.draft && placed?.added)
      await announceSeriesPart(trx, announceAt, placed.seriesId, workId);
  });
}

export async function postDraft(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  /** Where subscribers' notifications of the newly posted work link to. */
  announceAt?: ArchiveSite,
): Promise<void> {
  const work = await workForEditing(db, viewer, workId);
  if (!work.draft) return;
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    // Only the request that really posts the draft announces it, however many arrive at once.
    const posted = await trx
      .updateTable('works')
      .set({ draft: 0, published_at: now, updated_at: now, revised_at: now })
      .where('id', '=', workId)
      .where('draft', '=', 1)
      .executeTakeFirst();
    if (announceAt && Number(posted.numUpdatedRows) > 0) await announceWork(trx, announceAt, workId);
  });
}

export async function deleteWork(db: Kysely<Database>, viewer: Viewer | null, workId: number): Promise<void> {
  await workForEditing(db, viewer, workId);
  // Chapters, creators and tag links go with it through ON DELETE CASCADE.
  await db.deleteFrom('works').where('id', '=', workId).execute();
}

export interface WorkListing {
  works: WorkSummary[];
  total: number;
  page: number;
  pages: number;
}

export interface WorkListingScope {
  /** Only works credited to this user. */
  userId?: number;
  /** Only works credited to this pseud. */
  pseudId?: number;
  /** Only works found under this tag: carrying it, one of its synonyms or one of its subtags. */
  tagId?: number;
  /** A creator looking at their own works also sees their drafts. */
  includeDraftsOf?: number;
  /** Only works whose title contains these words (a plain match until full-text search arrives). */
  titleContains?: string;
  /** Newest update first (the default) or most kudos first. */
  sort?: 'updated' | 'kudos';
}

export const WORKS_PER_PAGE = 20;

/** Posted works newest-updated first, hiding restricted works from guests. */
export async function listWorks(
  db: Kysely<Database>,
  viewer: Viewer | null,
  scope: WorkListingScope,
  page: number,
): Promise<WorkListing> {
  let query = db.selectFrom('works');
  if (scope.userId !== undefined) {
    const userId = scope.userId;
    query = query.where('works.id', 'in', (eb) =>
      eb
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('work_creators.work_id')
        .where('pseuds.user_id', '=', userId),
    );
  }
  if (scope.pseudId !== undefined) {
    const pseudId = scope.pseudId;
    query = query.where('works.id', 'in', (eb) =>
      eb.selectFrom('work_creators').select('work_id').where('pseud_id', '=', pseudId),
    );
  }
  if (scope.tagId !== undefined) {
    const tagId = scope.tagId;
    query = query.where('works.id', 'in', (eb) =>
      eb.selectFrom('work_filter_tags').select('work_id').where('tag_id', '=', tagId),
    );
  }
  const titleWords =
    scope.titleContains?.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10) ?? [];
  for (const word of titleWords) {
    // LIKE wildcards in the reader's words are matched literally.
    const pattern = `%${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where(sql<boolean>`lower(works.title) like ${pattern} escape '\\'`);
  }
  const showDrafts = scope.includeDraftsOf !== undefined && viewer?.id === scope.includeDraftsOf;
  if (!showDrafts) query = query.where('works.draft', '=', 0);
  if (!viewer) query = query.where('works.restricted', '=', 0);
  if (viewer) {
    // Works by users the reader muted leave their listings, but not the muted user's own works page.
    const pageOwner = scope.userId;
    query = query.where('works.id', 'not in', (eb) => {
      let muted = eb
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .innerJoin('mutes', 'mutes.target_id', 'pseuds.user_id')
        .select('work_creators.work_id')
        .where('mutes.user_id', '=', viewer.id);
      if (pageOwner !== undefined) muted = muted.where('mutes.target_id', '<>', pageOwner);
      return muted;
    });
  }

  const counted = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const total = Number(counted.total);
  const pages = Math.max(1, Math.ceil(total / WORKS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  let ordered = query.selectAll('works');
  if (scope.sort === 'kudos') ordered = ordered.orderBy('works.kudos_count', 'desc');
  const rows = await ordered
    .orderBy('works.updated_at', 'desc')
    .orderBy('works.id', 'desc')
    .limit(WORKS_PER_PAGE)
    .offset((current - 1) * WORKS_PER_PAGE)
    .execute();
  return { works: await summariseWorks(db, rows), total, page: current, pages };
}
