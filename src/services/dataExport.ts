import type { Kysely, Selectable } from 'kysely';
import type { Database, DataExportStatus, DataExportsTable } from '../db/schema.ts';
import { paths } from '../domain/archivePaths.ts';
import type { Viewer } from '../domain/permissions.ts';
import { zipEntries } from '../formats/jsonZip.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { AuthenticationError, NotFoundError } from './errors.ts';
import { notify } from './notifications.ts';
import type { ArchiveSite } from './workDocuments.ts';

// "Download my data": everything the archive holds about a member, as a zip of JSON files. Made in the
// job queue (a prolific writer's works take a while to gather), announced in their inbox, downloadable
// by them alone, and dropped a few days later.

export const DATA_EXPORT_JOB = 'data-export';
/** How long a finished zip is offered before its bytes are dropped. */
export const DATA_EXPORT_LIFETIME_MS = 3 * 24 * 60 * 60_000;
/** A new zip at most this often: making one reads everything the member has. */
export const DATA_EXPORT_INTERVAL_MS = 60 * 60_000;

export interface DataExportState {
  status: DataExportStatus | 'none';
  requestedAt: string | null;
  readyAt: string | null;
  expiresAt: string | null;
  byteSize: number;
}

type DataExportJob = { exportId: number; origin: string; archiveName: string } | { expire: number };

function requireMember(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AuthenticationError('Log in to download your data.');
  return viewer;
}

function stateOf(row: Omit<Selectable<DataExportsTable>, 'content'> | undefined): DataExportState {
  if (!row) return { status: 'none', requestedAt: null, readyAt: null, expiresAt: null, byteSize: 0 };
  const expired =
    row.status === 'ready' && row.expires_at !== null && row.expires_at <= new Date().toISOString();
  return {
    status: expired ? 'expired' : row.status,
    requestedAt: row.created_at,
    readyAt: row.finished_at,
    expiresAt: row.expires_at,
    byteSize: expired ? 0 : row.byte_size,
  };
}

async function latestExport(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('data_exports')
    .select(['id', 'user_id', 'status', 'byte_size', 'created_at', 'finished_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function dataExportState(db: Kysely<Database>, viewer: Viewer | null): Promise<DataExportState> {
  return stateOf(await latestExport(db, requireMember(viewer).id));
}

/**
 * Asks for a new zip of the member's data. While one is being made, or one made within the hour is still
 * offered, asking again changes nothing; otherwise a new request replaces the older zip.
 */
export async function requestDataExport(
  db: Kysely<Database>,
  viewer: Viewer | null,
  site: ArchiveSite,
): Promise<DataExportState> {
  const member = requireMember(viewer);
  const latest = await latestExport(db, member.id);
  const recent =
    stateOf(latest).status === 'ready' &&
    Date.parse(latest?.created_at ?? '') > Date.now() - DATA_EXPORT_INTERVAL_MS;
  if (latest?.status === 'queued' || recent) return stateOf(latest);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('data_exports').where('user_id', '=', member.id).execute();
    const created = await trx
      .insertInto('data_exports')
      .values({
        user_id: member.id,
        status: 'queued',
        content: null,
        created_at: now,
        finished_at: null,
        expires_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job: DataExportJob = { exportId: created.id, origin: site.origin, archiveName: site.name };
    await enqueueJob(trx, DATA_EXPORT_JOB, job);
  });
  return stateOf(await latestExport(db, member.id));
}

/** The member's zip while it is offered; anyone else's is not found. */
export async function downloadDataExport(
  db: Kysely<Database>,
  viewer: Viewer | null,
): Promise<{ content: Buffer; readyAt: string }> {
  const member = requireMember(viewer);
  const row = await db
    .selectFrom('data_exports')
    .select(['content', 'finished_at'])
    .where('user_id', '=', member.id)
    .where('status', '=', 'ready')
    .where('expires_at', '>', new Date().toISOString())
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row?.content || !row.finished_at)
    throw new NotFoundError('There is no download of your data ready. Ask for one on your data page.');
  return { content: Buffer.from(row.content), readyAt: row.finished_at };
}

const withoutSecrets = <Row extends Record<string, unknown>>(row: Row, ...secrets: (keyof Row)[]) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !secrets.includes(key))) as Partial<Row>;

/** Everything the archive holds about one member, as the files of their zip. */
export async function gatherMemberData(
  db: Kysely<Database>,
  userId: number,
): Promise<[name: string, value: unknown][]> {
  const account = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  const pseuds = await db
    .selectFrom('pseuds')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  const workRows = await db
    .selectFrom('works')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select('work_creators.work_id')
        .where('pseuds.user_id', '=', userId),
    )
    .orderBy('id')
    .execute();
  const works = [];
  for (const work of workRows) {
    const [creators, tags, chapters] = await Promise.all([
      db
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .innerJoin('users', 'users.id', 'pseuds.user_id')
        .select(['pseuds.name as pseud', 'users.username'])
        .where('work_creators.work_id', '=', work.id)
        .orderBy('work_creators.position')
        .execute(),
      db
        .selectFrom('work_tags')
        .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
        .select(['tags.name', 'tags.type'])
        .where('work_tags.work_id', '=', work.id)
        .orderBy('work_tags.position')
        .execute(),
      db.selectFrom('chapters').selectAll().where('work_id', '=', work.id).orderBy('position').execute(),
    ]);
    works.push({ ...work, creators, tags, chapters });
  }
  const series = await db
    .selectFrom('series')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  const comments = await db
    .selectFrom('comments')
    .leftJoin('works', 'works.id', 'comments.work_id')
    .select([
      'comments.id',
      'comments.work_id',
      'works.title',
      'comments.chapter_id',
      'comments.parent_id',
      'comments.body',
      'comments.status',
      'comments.created_at',
      'comments.updated_at',
    ])
    .where('comments.user_id', '=', userId)
    .orderBy('comments.id')
    .execute();
  const bookmarkRows = await db
    .selectFrom('bookmarks')
    .leftJoin('works', 'works.id', 'bookmarks.work_id')
    .leftJoin('series', 'series.id', 'bookmarks.series_id')
    .selectAll('bookmarks')
    .select(['works.title as work_title', 'series.title as series_title'])
    .where('bookmarks.user_id', '=', userId)
    .orderBy('bookmarks.id')
    .execute();
  const bookmarks = [];
  for (const bookmark of bookmarkRows) {
    const tags = await db
      .selectFrom('bookmark_tags')
      .innerJoin('tags', 'tags.id', 'bookmark_tags.tag_id')
      .select('tags.name')
      .where('bookmark_tags.bookmark_id', '=', bookmark.id)
      .orderBy('bookmark_tags.position')
      .execute();
    bookmarks.push({ ...bookmark, tags: tags.map((tag) => tag.name) });
  }
  const kudos = await db
    .selectFrom('kudos')
    .innerJoin('works', 'works.id', 'kudos.work_id')
    .select(['kudos.work_id', 'works.title', 'kudos.created_at'])
    .where('kudos.user_id', '=', userId)
    .orderBy('kudos.id')
    .execute();
  const subscriptions = await db
    .selectFrom('subscriptions')
    .leftJoin('works', 'works.id', 'subscriptions.work_id')
    .leftJoin('series', 'series.id', 'subscriptions.series_id')
    .leftJoin('users as creators', 'creators.id', 'subscriptions.creator_id')
    .select([
      'subscriptions.id',
      'subscriptions.work_id',
      'works.title as work_title',
      'subscriptions.series_id',
      'series.title as series_title',
      'creators.username as creator',
      'subscriptions.created_at',
    ])
    .where('subscriptions.user_id', '=', userId)
    .orderBy('subscriptions.id')
    .execute();
  const history = await db
    .selectFrom('readings')
    .innerJoin('works', 'works.id', 'readings.work_id')
    .select([
      'readings.work_id',
      'works.title',
      'readings.chapter_id',
      'readings.visits',
      'readings.marked_for_later',
      'readings.last_read_at',
    ])
    .where('readings.user_id', '=', userId)
    .orderBy('readings.last_read_at', 'desc')
    .execute();
  const inbox = await db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  const relation = (table: 'mutes' | 'blocks') =>
    db
      .selectFrom(table)
      .innerJoin('users', 'users.id', `${table}.target_id`)
      .select(['users.username', `${table}.created_at`])
      .where(`${table}.user_id`, '=', userId)
      .orderBy(`${table}.created_at`)
      .execute();
  const icons = await db
    .selectFrom('pseud_icons')
    .innerJoin('pseuds', 'pseuds.id', 'pseud_icons.pseud_id')
    .select(['pseuds.name', 'pseud_icons.content'])
    .where('pseuds.user_id', '=', userId)
    .orderBy('pseuds.id')
    .execute();
  const invitations = db
    .selectFrom('creatorship_invitations')
    .innerJoin('works', 'works.id', 'creatorship_invitations.work_id')
    .innerJoin('pseuds', 'pseuds.id', 'creatorship_invitations.pseud_id')
    .orderBy('creatorship_invitations.id');
  const sent = await invitations
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select([
      'creatorship_invitations.work_id',
      'works.title as work_title',
      'pseuds.name as pseud',
      'users.username',
      'creatorship_invitations.created_at',
    ])
    .where('creatorship_invitations.invited_by', '=', userId)
    .execute();
  const received = await invitations
    .leftJoin('users as inviters', 'inviters.id', 'creatorship_invitations.invited_by')
    .select([
      'creatorship_invitations.work_id',
      'works.title as work_title',
      'pseuds.name as pseud',
      'inviters.username as invited_by',
      'creatorship_invitations.created_at',
    ])
    .where('pseuds.user_id', '=', userId)
    .execute();
  const tokens = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return [
    [
      'README.txt',
      'Everything this archive holds about your account, as JSON files: your account and preferences, ' +
        'pseuds (with their icons, in pseuds/), works (with their chapters and tags), co-creator ' +
        'invitations you sent and received and have not been answered, series, comments, bookmarks, ' +
        'kudos you gave, subscriptions, reading history, inbox, muted and blocked users, and API tokens (names and dates; ' +
        'the tokens themselves and your password are stored only as hashes, and are not included).\n',
    ],
    ['account.json', withoutSecrets(account, 'password_hash')],
    ['pseuds.json', pseuds],
    // Pseud names are letters, digits, spaces, '_' and '-', so each is a safe file name.
    ...icons.map((icon): [string, Buffer] => [`pseuds/${icon.name}.webp`, Buffer.from(icon.content)]),
    ['works.json', works],
    ['co_creator_invitations.json', { sent, received }],
    ['series.json', series],
    ['comments.json', comments],
    ['bookmarks.json', bookmarks],
    ['kudos.json', kudos],
    ['subscriptions.json', subscriptions],
    ['history.json', history],
    ['inbox.json', inbox],
    ['muted.json', await relation('mutes')],
    ['blocked.json', await relation('blocks')],
    ['api_tokens.json', tokens.map((token) => withoutSecrets(token, 'token_hash'))],
  ];
}

/** Makes the zip of a queued export, offers it for a few days and tells the member in their inbox. */
export async function buildDataExport(
  db: Kysely<Database>,
  exportId: number,
  site: ArchiveSite,
): Promise<void> {
  const row = await db
    .selectFrom('data_exports')
    .innerJoin('users', 'users.id', 'data_exports.user_id')
    .select(['data_exports.user_id', 'data_exports.status', 'users.username'])
    .where('data_exports.id', '=', exportId)
    .executeTakeFirst();
  // Replaced by a newer request, or the account is gone: nothing to make.
  if (row?.status !== 'queued') return;
  const finished = new Date();
  const content = await zipEntries(await gatherMemberData(db, row.user_id), finished);
  const expiresAt = new Date(finished.getTime() + DATA_EXPORT_LIFETIME_MS);
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('data_exports')
      .set({
        status: 'ready',
        content,
        byte_size: content.length,
        finished_at: finished.toISOString(),
        expires_at: expiresAt.toISOString(),
      })
      .where('id', '=', exportId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return;
    await notify(trx, {
      userId: row.user_id,
      kind: 'data_export',
      text: `Your data from ${site.name} is ready to download until ${expiresAt.toISOString().slice(0, 10)}.`,
      url: `${site.origin}${paths.dataExport(row.username)}`,
    });
    const expiry: DataExportJob = { expire: exportId };
    await enqueueJob(trx, DATA_EXPORT_JOB, expiry, expiresAt);
  });
}

/** Drops the bytes of an export whose time is up (the row stays, so the page can say it expired). */
export async function expireDataExport(db: Kysely<Database>, exportId: number): Promise<void> {
  await db
    .updateTable('data_exports')
    .set({ status: 'expired', content: null })
    .where('id', '=', exportId)
    .where('expires_at', '<=', new Date().toISOString())
    .execute();
}

/** After the last failed try, the member sees that it failed and may ask again. */
export async function failDataExport(db: Kysely<Database>, exportId: number): Promise<void> {
  await db
    .updateTable('data_exports')
    .set({ status: 'failed', content: null, finished_at: new Date().toISOString() })
    .where('id', '=', exportId)
    .where('status', '=', 'queued')
    .execute();
}

export function parseDataExportJob(payload: unknown): DataExportJob {
  const job = payload as Partial<{
    exportId: unknown;
    origin: unknown;
    archiveName: unknown;
    expire: unknown;
  }>;
  if (typeof job?.expire === 'number') return { expire: job.expire };
  if (
    typeof job?.exportId === 'number' &&
    typeof job.origin === 'string' &&
    typeof job.archiveName === 'string'
  )
    return { exportId: job.exportId, origin: job.origin, archiveName: job.archiveName };
  throw new Error('a data-export job needs {exportId, origin, archiveName} or {expire}');
}
