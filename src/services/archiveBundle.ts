import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { sanitizeStoredHtml } from '../domain/htmlPolicy.ts';
import { TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { countWords } from '../domain/wordCount.ts';
import {
  type ArchiveBundle,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleComment,
  type BundleSeries,
  type BundleUser,
  type BundleWork,
} from '../formats/quireBundle.ts';
import { recountWork } from './chapterRecords.ts';
import { NotFoundError, ServiceError } from './errors.ts';
import { resolveTags } from './tags.ts';
import { refreshWorkIndexes } from './workIndexes.ts';

// Export and re-import of whole archives (or one writer's works) through the portable bundle format.

const flag = (value: number) => value === 1;

/** Everything needed to rebuild the archive (or the named user's works) elsewhere. */
export async function exportArchive(
  db: Kysely<Database>,
  options: { username?: string; archiveName: string; now?: string },
): Promise<ArchiveBundle> {
  let owner: { id: number; username: string } | undefined;
  if (options.username) {
    owner = await db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('username_key', '=', accountKey(options.username))
      .executeTakeFirst();
    if (!owner) throw new NotFoundError(`There is no account named ${options.username}.`);
  }
  let workQuery = db.selectFrom('works').selectAll().orderBy('id');
  if (owner) {
    const ownerId = owner.id;
    workQuery = workQuery.where('id', 'in', (eb) =>
      eb
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('work_creators.work_id')
        .where('pseuds.user_id', '=', ownerId),
    );
  }
  const works = await workQuery.execute();

  let userQuery = db.selectFrom('users').selectAll().orderBy('id');
  if (owner) userQuery = userQuery.where('id', '=', owner.id);
  const users: BundleUser[] = [];
  for (const user of await userQuery.execute()) {
    const pseuds = await db
      .selectFrom('pseuds')
      .select(['name', 'is_default'])
      .where('user_id', '=', user.id)
      .orderBy('id')
      .execute();
    users.push({
      username: user.username,
      email: user.email,
      password_hash: user.password_hash,
      is_admin: flag(user.is_admin),
      created_at: user.created_at,
      pseuds: pseuds.map((pseud) => ({ name: pseud.name, is_default: flag(pseud.is_default) })),
    });
  }

  let seriesQuery = db
    .selectFrom('series')
    .innerJoin('users', 'users.id', 'series.user_id')
    .selectAll('series')
    .select('users.username')
    .orderBy('series.id');
  if (owner) seriesQuery = seriesQuery.where('series.user_id', '=', owner.id);
  const series: BundleSeries[] = (await seriesQuery.execute()).map((row) => ({
    key: `s${row.id}`,
    owner: row.username,
    title: row.title,
    summary: row.summary,
    notes: row.notes,
    complete: flag(row.complete),
    created_at: row.created_at,
    updated_at: row.updated_at,
  }));
  const exportedSeries = new Set(series.map((entry) => entry.key));

  const bundleWorks: BundleWork[] = [];
  for (const work of works) {
    const [creators, tags, placements, chapters, comments] = await Promise.all([
      db
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .innerJoin('users', 'users.id', 'pseuds.user_id')
        .select(['users.username', 'pseuds.name'])
        .where('work_creators.work_id', '=', work.id)
        .orderBy('work_creators.position')
        .execute(),
      db
        .selectFrom('work_tags')
        .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
        .select(['tags.name', 'tags.type', 'tags.canonical'])
        .where('work_tags.work_id', '=', work.id)
        .orderBy('work_tags.position')
        .execute(),
      db
        .selectFrom('series_works')
        .select(['series_id', 'position'])
        .where('work_id', '=', work.id)
        .orderBy('series_id')
        .execute(),
      db.selectFrom('chapters').selectAll().where('work_id', '=', work.id).orderBy('position').execute(),
      db
        .selectFrom('comments')
        .leftJoin('users', 'users.id', 'comments.user_id')
        .leftJoin('pseuds', 'pseuds.id', 'comments.pseud_id')
        .selectAll('comments')
        .select(['users.username', 'pseuds.name as pseud'])
        .where('comments.work_id', '=', work.id)
        .orderBy('comments.id')
        .execute(),
    ]);
    const chapterPositions = new Map(chapters.map((chapter) => [chapter.id, chapter.position]));
    bundleWorks.push({
      title: work.title,
      summary: work.summary,
      notes: work.notes,
      end_notes: work.end_notes,
      language: work.language,
      complete: flag(work.complete),
      expected_chapters: work.expected_chapters,
      restricted: flag(work.restricted),
      draft: flag(work.draft),
      hits: work.hits,
      created_at: work.created_at,
      published_at: work.published_at,
      updated_at: work.updated_at,
      revised_at: work.revised_at,
      imported_from: work.imported_from,
      imported_creators: work.imported_creators ? work.imported_creators.split(', ') : [],
      creators: creators.map((creator) => ({ username: creator.username, pseud: creator.name })),
      tags: tags.map((tag) => ({ name: tag.name, type: tag.type, canonical: flag(tag.canonical) })),
      series: placements
        .map((placement) => ({ key: `s${placement.series_id}`, position: placement.position }))
        .filter((placement) => exportedSeries.has(placement.key)),
      chapters: chapters.map((chapter) => ({
        position: chapter.position,
        title: chapter.title,
        summary: chapter.summary,
        notes: chapter.notes,
        end_notes: chapter.end_notes,
        body: chapter.body,
        created_at: chapter.created_at,
        updated_at: chapter.updated_at,
      })),
      comments: comments.map(
        (comment): BundleComment => ({
          key: `c${comment.id}`,
          parent_key: comment.parent_id === null ? null : `c${comment.parent_id}`,
          chapter_position:
            comment.chapter_id === null ? null : (chapterPositions.get(comment.chapter_id) ?? null),
          author:
            comment.username && comment.pseud ? { username: comment.username, pseud: comment.pseud } : null,
          guest_name: comment.guest_name,
          guest_email: comment.guest_email,
          body: comment.body,
          status: comment.status,
          created_at: comment.created_at,
          updated_at: comment.updated_at,
        }),
      ),
    });
  }

  return {
    manifest: {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      exported_at: options.now ?? new Date().toISOString(),
      archive_name: options.archiveName,
      scope: owner ? `user:${owner.username}` : 'archive',
      works: bundleWorks.length,
    },
    users,
    series,
    works: bundleWorks,
  };
}

export interface BundleImportReport {
  usersCreated: number;
  usersMatched: number;
  worksImported: number;
  worksSkipped: number;
  comments: number;
  failed: { title: string; reason: string }[];
}

async function pseudId(trx: Transaction<Database>, userId: number, name: string): Promise<number> {
  const existing = await trx
    .selectFrom('pseuds')
    .select('id')
    .where('user_id', '=', userId)
    .where('name_key', '=', accountKey(name))
    .executeTakeFirst();
  if (existing) return existing.id;
  const created = await trx
    .insertInto('pseuds')
    .values({
      user_id: userId,
      name,
      name_key: accountKey(name),
      is_default: 0,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** A work already here: same title and first publication by the same first creator. */
async function existingCopy(db: Kysely<Database>, work: BundleWork, creatorUserId: number): Promise<boolean> {
  const found = await db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('works.id')
    .where('works.title', '=', work.title)
    .where('works.created_at', '=', work.created_at)
    .where('pseuds.user_id', '=', creatorUserId)
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * Rebuilds a bundle's accounts, series and works here. Accounts that already exist (same username or
 * email) are matched, not duplicated; works already imported are skipped, so a re-run adds nothing.
 * Stored HTML passes the allowlist again: a bundle is a file from elsewhere.
 */
export async function importArchive(
  db: Kysely<Database>,
  bundle: ArchiveBundle,
): Promise<BundleImportReport> {
  const report: BundleImportReport = {
    usersCreated: 0,
    usersMatched: 0,
    worksImported: 0,
    worksSkipped: 0,
    comments: 0,
    failed: [],
  };
  const userIds = new Map<string, number>();
  for (const user of bundle.users) {
    const existing = await db
      .selectFrom('users')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('username_key', '=', accountKey(user.username)),
          eb('email_key', '=', accountKey(user.email)),
        ]),
      )
      .executeTakeFirst();
    if (existing) {
      userIds.set(user.username, existing.id);
      report.usersMatched++;
      continue;
    }
    const id = await db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('users')
        .values({
          username: user.username,
          username_key: accountKey(user.username),
          email: user.email,
          email_key: accountKey(user.email),
          password_hash: user.password_hash,
          is_admin: user.is_admin ? 1 : 0,
          created_at: user.created_at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const pseud of user.pseuds) {
        await trx
          .insertInto('pseuds')
          .values({
            user_id: created.id,
            name: pseud.name,
            name_key: accountKey(pseud.name),
            is_default: pseud.is_default ? 1 : 0,
            created_at: user.created_at,
          })
          .execute();
      }
      return created.id;
    });
    userIds.set(user.username, id);
    report.usersCreated++;
  }
  const userIdOf = async (username: string): Promise<number | undefined> => {
    if (userIds.has(username)) return userIds.get(username);
    const row = await db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', accountKey(username))
      .executeTakeFirst();
    if (row) userIds.set(username, row.id);
    return row?.id;
  };

  const seriesIds = new Map<string, number>();
  for (const series of bundle.series) {
    const ownerId = await userIdOf(series.owner);
    if (ownerId === undefined) continue;
    const existing = await db
      .selectFrom('series')
      .select('id')
      .where('user_id', '=', ownerId)
      .where('title', '=', series.title)
      .executeTakeFirst();
    const id =
      existing?.id ??
      (
        await db
          .insertInto('series')
          .values({
            user_id: ownerId,
            title: series.title,
            summary: sanitizeStoredHtml(series.summary),
            notes: sanitizeStoredHtml(series.notes),
            complete: series.complete ? 1 : 0,
            created_at: series.created_at,
            updated_at: series.updated_at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    seriesIds.set(series.key, id);
  }

  for (const work of bundle.works) {
    try {
      const creatorIds: number[] = [];
      for (const creator of work.creators) {
        const id = await userIdOf(creator.username);
        if (id === undefined)
          throw new ServiceError(
            'unknown_creator',
            `its creator ${creator.username} is neither in the bundle nor here`,
          );
        creatorIds.push(id);
      }
      if (await existingCopy(db, work, creatorIds[0])) {
        report.worksSkipped++;
        continue;
      }
      report.comments += await db
        .transaction()
        .execute((trx) => insertBundleWork(trx, work, creatorIds, seriesIds, userIdOf));
      report.worksImported++;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      report.failed.push({ title: work.title, reason: error.message });
    }
  }
  return report;
}

async function insertBundleWork(
  trx: Transaction<Database>,
  work: BundleWork,
  creatorIds: number[],
  seriesIds: Map<string, number>,
  userIdOf: (username: string) => Promise<number | undefined>,
): Promise<number> {
  const created = await trx
    .insertInto('works')
    .values({
      title: work.title,
      summary: sanitizeStoredHtml(work.summary),
      notes: sanitizeStoredHtml(work.notes),
      end_notes: sanitizeStoredHtml(work.end_notes),
      language: work.language,
      complete: work.complete ? 1 : 0,
      expected_chapters: work.expected_chapters,
      restricted: work.restricted ? 1 : 0,
      draft: work.draft ? 1 : 0,
      hits: work.hits,
      created_at: work.created_at,
      published_at: work.published_at,
      updated_at: work.updated_at,
      revised_at: work.revised_at,
      imported_from:
        work.imported_from && /^https?:\/\//i.test(work.imported_from) ? work.imported_from : null,
      imported_creators: work.imported_creators.join(', '),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const workId = created.id;
  for (const [position, creator] of work.creators.entries()) {
    await trx
      .insertInto('work_creators')
      .values({
        work_id: workId,
        pseud_id: await pseudId(trx, creatorIds[position], creator.pseud),
        position,
      })
      .execute();
  }
  const knownTags = work.tags.filter((tag) => TAG_TYPES.includes(tag.type as TagType));
  const tagIds = await resolveTags(
    trx,
    knownTags.map((tag) => ({ name: tag.name, type: tag.type as TagType, field: 'tags' })),
  );
  const canonicalIds = tagIds.filter((_, index) => knownTags[index].canonical);
  if (canonicalIds.length > 0)
    await trx.updateTable('tags').set({ canonical: 1 }).where('id', 'in', canonicalIds).execute();
  const uniqueTagIds = [...new Set(tagIds)];
  if (uniqueTagIds.length > 0) {
    await trx
      .insertInto('work_tags')
      .values(uniqueTagIds.map((tagId, position) => ({ work_id: workId, tag_id: tagId, position })))
      .execute();
  }
  for (const placement of work.series) {
    const seriesId = seriesIds.get(placement.key);
    if (seriesId !== undefined) {
      await trx
        .insertInto('series_works')
        .values({ series_id: seriesId, work_id: workId, position: placement.position })
        .execute();
    }
  }
  const chapterIds = new Map<number, number>();
  for (const chapter of work.chapters) {
    const body = sanitizeStoredHtml(chapter.body);
    const row = await trx
      .insertInto('chapters')
      .values({
        work_id: workId,
        position: chapter.position,
        title: chapter.title,
        summary: sanitizeStoredHtml(chapter.summary),
        notes: sanitizeStoredHtml(chapter.notes),
        end_notes: sanitizeStoredHtml(chapter.end_notes),
        body,
        word_count: countWords(body),
        created_at: chapter.created_at,
        updated_at: chapter.updated_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    chapterIds.set(chapter.position, row.id);
  }
  await recountWork(trx, workId);
  await refreshWorkIndexes(trx, [workId]);

  const commentIds = new Map<string, number>();
  for (const comment of work.comments) {
    const authorId = comment.author ? await userIdOf(comment.author.username) : undefined;
    // A member who did not come along keeps their words, credited by name like a guest.
    const row = await trx
      .insertInto('comments')
      .values({
        work_id: workId,
        chapter_id:
          comment.chapter_position === null ? null : (chapterIds.get(comment.chapter_position) ?? null),
        parent_id: comment.parent_key === null ? null : (commentIds.get(comment.parent_key) ?? null),
        user_id: authorId ?? null,
        pseud_id:
          authorId !== undefined && comment.author
            ? await pseudId(trx, authorId, comment.author.pseud)
            : null,
        guest_name: authorId === undefined ? (comment.guest_name ?? comment.author?.pseud ?? 'Guest') : null,
        guest_email: authorId === undefined ? comment.guest_email : null,
        body: sanitizeStoredHtml(comment.body),
        status: comment.status,
        created_at: comment.created_at,
        updated_at: comment.updated_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    commentIds.set(comment.key, row.id);
  }
  const visible = work.comments.filter((comment) => comment.status === 'visible').length;
  await trx.updateTable('works').set({ comments_count: visible }).where('id', '=', workId).execute();
  return work.comments.length;
}
