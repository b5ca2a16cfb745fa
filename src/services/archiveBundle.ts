import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { sanitizeStoredHtml } from '../domain/htmlPolicy.ts';
import { isOrphanAccountKey, ORPHAN_ACCOUNT } from '../domain/orphanAccount.ts';
import { TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { countWords } from '../domain/wordCount.ts';
import { tagKey } from '../domain/workRules.ts';
import {
  type ArchiveBundle,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleBookmark,
  type BundleComment,
  BundleFormatError,
  type BundleKudos,
  type BundlePseud,
  type BundleReading,
  type BundleSeries,
  type BundleSubscription,
  type BundleTag,
  type BundleUser,
  type BundleWork,
} from '../formats/quireBundle.ts';
import { queueFilterTagsRebuild } from '../jobs/filterTagsJob.ts';
import { recountWork } from './chapterRecords.ts';
import { NotFoundError, ServiceError } from './errors.ts';
import { orphanAccountId } from './orphaning.ts';
import { bundledIcon } from './pseudIcons.ts';
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

  // The orphan account is no one's to move: every archive makes its own, and works credited to it find it.
  let userQuery = db
    .selectFrom('users')
    .selectAll()
    .where('username_key', '<>', ORPHAN_ACCOUNT.username)
    .orderBy('id');
  if (owner) userQuery = userQuery.where('id', '=', owner.id);
  const users: BundleUser[] = [];
  const userIds: number[] = [];
  for (const user of await userQuery.execute()) {
    userIds.push(user.id);
    const pseuds = await db
      .selectFrom('pseuds')
      .leftJoin('pseud_icons', 'pseud_icons.pseud_id', 'pseuds.id')
      .select([
        'pseuds.name',
        'pseuds.is_default',
        'pseuds.description',
        'pseuds.icon_alt_text',
        'pseud_icons.content',
        'pseud_icons.content_type',
        'pseud_icons.created_at as icon_created_at',
      ])
      .where('pseuds.user_id', '=', user.id)
      .orderBy('pseuds.id')
      .execute();
    users.push({
      username: user.username,
      email: user.email,
      password_hash: user.password_hash,
      is_admin: flag(user.is_admin),
      created_at: user.created_at,
      pseuds: pseuds.map((pseud) => ({
        name: pseud.name,
        is_default: flag(pseud.is_default),
        description: pseud.description,
        icon_alt_text: pseud.icon_alt_text,
        icon:
          pseud.content && pseud.icon_created_at
            ? {
                content_type: 'image/webp' as const,
                content: Buffer.from(pseud.content).toString('base64'),
                created_at: pseud.icon_created_at,
              }
            : null,
      })),
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
      key: `w${work.id}`,
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

  const readers = await exportReaders(db, {
    userIds,
    workIds: works.map((work) => work.id),
    seriesKeys: exportedSeries,
  });
  return {
    ...readers,
    tags: await exportTags(db, owner ? works.map((work) => work.id) : undefined),
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

/**
 * The tags as wrangled: every tag of the archive, or (for one writer's works) the tags of those works
 * with the canonical tags, fandoms and meta tags they lead to.
 */
async function exportTags(db: Kysely<Database>, workIds?: number[]): Promise<BundleTag[]> {
  let ids: Set<number> | undefined;
  if (workIds) {
    ids = new Set(
      workIds.length === 0
        ? []
        : (await db.selectFrom('work_tags').select('tag_id').where('work_id', 'in', workIds).execute()).map(
            (row) => row.tag_id,
          ),
    );
    for (let frontier = [...ids]; frontier.length > 0; ) {
      const [mergers, parents] = await Promise.all([
        db
          .selectFrom('tags')
          .select('merger_id')
          .where('id', 'in', frontier)
          .where('merger_id', 'is not', null)
          .execute(),
        db.selectFrom('tag_parents').select('parent_id').where('child_id', 'in', frontier).execute(),
      ]);
      const found = [
        ...mergers.map((row) => row.merger_id as number),
        ...parents.map((row) => row.parent_id),
      ];
      frontier = found.filter((id) => !ids?.has(id));
      for (const id of frontier) ids.add(id);
    }
    if (ids.size === 0) return [];
  }
  let tagQuery = db
    .selectFrom('tags')
    .leftJoin('tags as merger', 'merger.id', 'tags.merger_id')
    .select(['tags.id', 'tags.name', 'tags.type', 'tags.canonical', 'merger.name as synonym_of'])
    .orderBy('tags.id');
  if (ids) tagQuery = tagQuery.where('tags.id', 'in', [...ids]);
  const tags = await tagQuery.execute();
  let parentQuery = db
    .selectFrom('tag_parents')
    .innerJoin('tags as parent', 'parent.id', 'tag_parents.parent_id')
    .select(['tag_parents.child_id', 'parent.name', 'tag_parents.kind'])
    .orderBy('tag_parents.child_id')
    .orderBy('parent.name');
  if (ids) parentQuery = parentQuery.where('tag_parents.child_id', 'in', [...ids]);
  const parents = await parentQuery.execute();
  return tags.map((tag) => ({
    name: tag.name,
    type: tag.type,
    canonical: flag(tag.canonical),
    synonym_of: tag.synonym_of,
    parents: parents
      .filter((parent) => parent.child_id === tag.id)
      .map((parent) => ({ name: parent.name, kind: parent.kind })),
  }));
}

/**
 * What the bundle's members keep as readers (bookmarks, kudos, subscriptions, history), of the works,
 * series and members in the bundle; guests' kudos of those works too, so their counts travel.
 */
async function exportReaders(
  db: Kysely<Database>,
  scope: { userIds: number[]; workIds: number[]; seriesKeys: Set<string> },
): Promise<Pick<ArchiveBundle, 'bookmarks' | 'kudos' | 'subscriptions' | 'readings'>> {
  const none = { bookmarks: [], kudos: [], subscriptions: [], readings: [] };
  if (scope.userIds.length === 0) return none;
  const works = new Set(scope.workIds);
  const members = new Set(scope.userIds);
  const workKey = (id: number | null) => (id !== null && works.has(id) ? `w${id}` : null);
  const seriesKey = (id: number | null) => (id !== null && scope.seriesKeys.has(`s${id}`) ? `s${id}` : null);

  const bookmarkRows = await db
    .selectFrom('bookmarks')
    .innerJoin('users', 'users.id', 'bookmarks.user_id')
    .selectAll('bookmarks')
    .select('users.username')
    .where('bookmarks.user_id', 'in', scope.userIds)
    .orderBy('bookmarks.id')
    .execute();
  const bookmarks: BundleBookmark[] = [];
  for (const row of bookmarkRows) {
    const work = workKey(row.work_id);
    const series = seriesKey(row.series_id);
    if (!work && !series) continue;
    const tags = await db
      .selectFrom('bookmark_tags')
      .innerJoin('tags', 'tags.id', 'bookmark_tags.tag_id')
      .select('tags.name')
      .where('bookmark_tags.bookmark_id', '=', row.id)
      .orderBy('bookmark_tags.position')
      .execute();
    bookmarks.push({
      user: row.username,
      work,
      series,
      notes: row.notes,
      private: flag(row.private),
      rec: flag(row.rec),
      tags: tags.map((tag) => tag.name),
      created_at: row.created_at,
      updated_at: row.updated_at,
    });
  }

  const kudosRows =
    scope.workIds.length === 0
      ? []
      : await db
          .selectFrom('kudos')
          .leftJoin('users', 'users.id', 'kudos.user_id')
          .select(['kudos.work_id', 'kudos.user_id', 'users.username', 'kudos.guest_key', 'kudos.created_at'])
          .where('kudos.work_id', 'in', scope.workIds)
          .orderBy('kudos.id')
          .execute();
  const kudos: BundleKudos[] = kudosRows
    .filter((row) => row.user_id === null || members.has(row.user_id))
    .map((row) => ({
      work: `w${row.work_id}`,
      user: row.username,
      guest_key: row.guest_key,
      created_at: row.created_at,
    }));

  const subscriptionRows = await db
    .selectFrom('subscriptions')
    .innerJoin('users', 'users.id', 'subscriptions.user_id')
    .leftJoin('users as creators', 'creators.id', 'subscriptions.creator_id')
    .select([
      'users.username',
      'subscriptions.work_id',
      'subscriptions.series_id',
      'subscriptions.creator_id',
      'creators.username as creator',
      'subscriptions.created_at',
    ])
    .where('subscriptions.user_id', 'in', scope.userIds)
    .orderBy('subscriptions.id')
    .execute();
  const subscriptions: BundleSubscription[] = subscriptionRows.flatMap((row) => {
    const work = workKey(row.work_id);
    const series = seriesKey(row.series_id);
    const creator = row.creator_id !== null && members.has(row.creator_id) ? row.creator : null;
    return work || series || creator
      ? [{ user: row.username, work, series, creator, created_at: row.created_at }]
      : [];
  });

  const readingRows =
    scope.workIds.length === 0
      ? []
      : await db
          .selectFrom('readings')
          .innerJoin('users', 'users.id', 'readings.user_id')
          .leftJoin('chapters', 'chapters.id', 'readings.chapter_id')
          .select([
            'users.username',
            'readings.work_id',
            'chapters.position as chapter_position',
            'readings.visits',
            'readings.marked_for_later',
            'readings.last_read_at',
          ])
          .where('readings.user_id', 'in', scope.userIds)
          .where('readings.work_id', 'in', scope.workIds)
          .orderBy('users.username')
          .orderBy('readings.work_id')
          .execute();
  const readings: BundleReading[] = readingRows.map((row) => ({
    user: row.username,
    work: `w${row.work_id}`,
    chapter_position: row.chapter_position,
    visits: row.visits,
    marked_for_later: flag(row.marked_for_later),
    last_read_at: row.last_read_at,
  }));
  return { bookmarks, kudos, subscriptions, readings };
}

export interface BundleImportReport {
  usersCreated: number;
  usersMatched: number;
  worksImported: number;
  worksSkipped: number;
  comments: number;
  /** Bookmarks, kudos, subscriptions and history entries restored. */
  readerItems: number;
  /** Tag wrangling links (canonical flags, synonyms, fandoms, meta tags) that were new here. */
  tagLinks: number;
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
async function existingCopy(
  db: Kysely<Database>,
  work: BundleWork,
  creatorUserId: number,
): Promise<number | undefined> {
  const found = await db
    .selectFrom('works')
    .innerJoin('work_creators', 'work_creators.work_id', 'works.id')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('works.id')
    .where('works.title', '=', work.title)
    .where('works.created_at', '=', work.created_at)
    .where('pseuds.user_id', '=', creatorUserId)
    .executeTakeFirst();
  return found?.id;
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
    readerItems: 0,
    tagLinks: 0,
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
    // Icons are checked (and drawn again if need be) before anything is written: one that cannot be used
    // refuses the bundle, naming whose it is.
    const icons = new Map<BundlePseud, Awaited<ReturnType<typeof bundledIcon>>>();
    for (const pseud of user.pseuds) {
      if (!pseud.icon) continue;
      try {
        icons.set(pseud, await bundledIcon(Buffer.from(pseud.icon.content, 'base64')));
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        throw new BundleFormatError(`users.json: ${user.username}'s pseud ${pseud.name}: ${error.message}`);
      }
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
        const icon = icons.get(pseud);
        const inserted = await trx
          .insertInto('pseuds')
          .values({
            user_id: created.id,
            name: pseud.name,
            name_key: accountKey(pseud.name),
            is_default: pseud.is_default ? 1 : 0,
            description: sanitizeStoredHtml(pseud.description),
            icon_alt_text: pseud.icon_alt_text,
            icon_hash: icon?.hash ?? null,
            created_at: user.created_at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (icon && pseud.icon)
          await trx
            .insertInto('pseud_icons')
            .values({
              pseud_id: inserted.id,
              content: icon.content,
              content_type: icon.contentType,
              created_at: pseud.icon.created_at,
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
    if (isOrphanAccountKey(accountKey(username))) {
      userIds.set(username, await orphanAccountId(db));
      return userIds.get(username);
    }
    const row = await db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', accountKey(username))
      .executeTakeFirst();
    if (row) userIds.set(username, row.id);
    return row?.id;
  };

  report.tagLinks = await importTags(db, bundle.tags);
  const workIds = new Map<string, number>();
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
      const existing = await existingCopy(db, work, creatorIds[0]);
      if (existing !== undefined) {
        if (work.key) workIds.set(work.key, existing);
        report.worksSkipped++;
        continue;
      }
      const inserted = await db
        .transaction()
        .execute((trx) => insertBundleWork(trx, work, creatorIds, seriesIds, userIdOf));
      if (work.key) workIds.set(work.key, inserted.workId);
      report.comments += inserted.comments;
      report.worksImported++;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      report.failed.push({ title: work.title, reason: error.message });
    }
  }
  report.readerItems = await importReaders(db, bundle, { userIdOf, workIds, seriesIds });
  return report;
}

async function insertBundleWork(
  trx: Transaction<Database>,
  work: BundleWork,
  creatorIds: number[],
  seriesIds: Map<string, number>,
  userIdOf: (username: string) => Promise<number | undefined>,
): Promise<{ workId: number; comments: number }> {
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
  return { workId, comments: work.comments.length };
}

/**
 * Restores the wrangling: each tag (made if new), its canonical flag, the canonical tag it is a synonym
 * of, its fandoms and meta tags. Runs before the works, so they are filed under it as they arrive; works
 * already here are re-filtered by the queue. Returns how many links were new.
 */
async function importTags(db: Kysely<Database>, tags: BundleTag[]): Promise<number> {
  const known = tags.filter((tag) => TAG_TYPES.includes(tag.type as TagType));
  if (known.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const ids = await resolveTags(
      trx,
      known.map((tag) => ({ name: tag.name, type: tag.type as TagType, field: 'tags', anyType: true })),
    );
    const idOf = new Map(known.map((tag, index) => [tagKey(tag.name), ids[index]]));
    const changed: number[] = [];
    for (const [index, tag] of known.entries()) {
      const id = ids[index];
      const mergerId = tag.synonym_of === null ? null : (idOf.get(tagKey(tag.synonym_of)) ?? null);
      const updated = await trx
        .updateTable('tags')
        .set({ canonical: tag.canonical ? 1 : 0, merger_id: mergerId })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb('canonical', '<>', tag.canonical ? 1 : 0),
            mergerId === null ? eb('merger_id', 'is not', null) : eb('merger_id', 'is', null),
            ...(mergerId === null ? [] : [eb('merger_id', '<>', mergerId)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) changed.push(id);
      for (const parent of tag.parents) {
        const parentId = idOf.get(tagKey(parent.name));
        if (parentId === undefined) continue;
        const linked = await trx
          .insertInto('tag_parents')
          .values({ parent_id: parentId, child_id: id, kind: parent.kind })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        if (Number(linked.numInsertedOrUpdatedRows ?? 0) > 0) changed.push(id, parentId);
      }
    }
    if (changed.length > 0) await queueFilterTagsRebuild(trx, changed);
    return changed.length;
  });
}

/**
 * Restores what readers keep: bookmarks (with their tags), kudos, subscriptions and history, of works,
 * series and members found in the bundle or here. Whatever is already here is left as it is, so a re-run
 * adds nothing; the works' kudos and public bookmark counts are counted again from their rows.
 */
async function importReaders(
  db: Kysely<Database>,
  bundle: ArchiveBundle,
  known: {
    userIdOf: (username: string) => Promise<number | undefined>;
    workIds: Map<string, number>;
    seriesIds: Map<string, number>;
  },
): Promise<number> {
  const work = (key: string | null) => (key === null ? null : (known.workIds.get(key) ?? null));
  const series = (key: string | null) => (key === null ? null : (known.seriesIds.get(key) ?? null));
  const touched = new Set<number>();
  let added = 0;
  const counted = (result: { numInsertedOrUpdatedRows?: bigint }) => {
    const inserted = Number(result.numInsertedOrUpdatedRows ?? 0);
    added += inserted;
    return inserted > 0;
  };
  await db.transaction().execute(async (trx) => {
    for (const bookmark of bundle.bookmarks) {
      const userId = await known.userIdOf(bookmark.user);
      const workId = work(bookmark.work);
      const seriesId = series(bookmark.series);
      if (userId === undefined || (workId === null && seriesId === null)) continue;
      const row = await trx
        .insertInto('bookmarks')
        .values({
          user_id: userId,
          work_id: workId,
          series_id: workId === null ? seriesId : null,
          notes: sanitizeStoredHtml(bookmark.notes),
          private: bookmark.private ? 1 : 0,
          rec: bookmark.rec ? 1 : 0,
          created_at: bookmark.created_at,
          updated_at: bookmark.updated_at,
        })
        .onConflict((conflict) => conflict.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) continue;
      added++;
      if (workId !== null) touched.add(workId);
      const tagIds = [
        ...new Set(
          await resolveTags(
            trx,
            bookmark.tags.map((name) => ({ name, type: 'freeform' as const, field: 'tags', anyType: true })),
          ),
        ),
      ];
      if (tagIds.length > 0)
        await trx
          .insertInto('bookmark_tags')
          .values(tagIds.map((tagId, position) => ({ bookmark_id: row.id, tag_id: tagId, position })))
          .execute();
    }
    for (const kudos of bundle.kudos) {
      const workId = work(kudos.work);
      const userId = kudos.user === null ? null : await known.userIdOf(kudos.user);
      if (workId === null || userId === undefined || (userId === null && kudos.guest_key === null)) continue;
      const result = await trx
        .insertInto('kudos')
        .values({
          work_id: workId,
          user_id: userId,
          guest_key: userId === null ? kudos.guest_key : null,
          created_at: kudos.created_at,
        })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      if (counted(result)) touched.add(workId);
    }
    for (const subscription of bundle.subscriptions) {
      const userId = await known.userIdOf(subscription.user);
      const workId = work(subscription.work);
      const seriesId = series(subscription.series);
      const creatorId =
        subscription.creator === null ? undefined : await known.userIdOf(subscription.creator);
      const target =
        workId !== null
          ? { work_id: workId, series_id: null, creator_id: null }
          : seriesId !== null
            ? { work_id: null, series_id: seriesId, creator_id: null }
            : creatorId !== undefined
              ? { work_id: null, series_id: null, creator_id: creatorId }
              : null;
      if (userId === undefined || target === null) continue;
      counted(
        await trx
          .insertInto('subscriptions')
          .values({ user_id: userId, ...target, created_at: subscription.created_at })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst(),
      );
    }
    for (const reading of bundle.readings) {
      const userId = await known.userIdOf(reading.user);
      const workId = work(reading.work);
      if (userId === undefined || workId === null) continue;
      const chapter =
        reading.chapter_position === null
          ? undefined
          : await trx
              .selectFrom('chapters')
              .select('id')
              .where('work_id', '=', workId)
              .where('position', '=', reading.chapter_position)
              .executeTakeFirst();
      counted(
        await trx
          .insertInto('readings')
          .values({
            user_id: userId,
            work_id: workId,
            chapter_id: chapter?.id ?? null,
            visits: reading.visits,
            marked_for_later: reading.marked_for_later ? 1 : 0,
            last_read_at: reading.last_read_at,
          })
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst(),
      );
    }
    if (touched.size > 0) {
      await trx
        .updateTable('works')
        .set({
          kudos_count: sql<number>`(select count(*) from kudos where kudos.work_id = works.id)`,
          bookmarks_count: sql<number>`(select count(*) from bookmarks where bookmarks.work_id = works.id and bookmarks.private = 0)`,
        })
        .where('id', 'in', [...touched])
        .execute();
    }
  });
  return added;
}
