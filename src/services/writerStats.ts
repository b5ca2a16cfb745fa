import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { AuthenticationError, ForbiddenError } from './errors.ts';

// What a writer learns about how readers answer their posted works: per work, in total and day by day.
// Only the writer sees it; drafts have no readers yet and are left out.

export const STATS_COLUMNS = [
  'title',
  'hits',
  'kudos',
  'comment_threads',
  'bookmarks',
  'subscriptions',
  'word_count',
] as const;
export type StatsColumn = (typeof STATS_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

export const STATS_PERIODS = ['month', 'year', 'all'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

export interface StatsCounts {
  hits: number;
  kudos: number;
  /** Visible comments that start a thread; replies belong to their thread. */
  comment_threads: number;
  /** Public bookmarks: private ones are the reader's own business. */
  bookmarks: number;
  subscriptions: number;
  word_count: number;
}

export interface WorkStatsRow extends StatsCounts {
  id: number;
  title: string;
}

export interface WriterStats {
  works: WorkStatsRow[];
  totals: StatsCounts;
}

/** One day of reader activity across all of a writer's works. */
export interface DailyActivity {
  /** YYYY-MM-DD (UTC). */
  day: string;
  hits: number;
  kudos: number;
  comments: number;
  bookmarks: number;
}

const PERIOD_DAYS: Record<Exclude<StatsPeriod, 'all'>, number> = { month: 30, year: 365 };
const DAY_MS = 24 * 60 * 60_000;

function requireSelf(viewer: Viewer | null, userId: number): void {
  if (!viewer) throw new AuthenticationError('Log in to see the stats of your works.');
  if (viewer.id !== userId) throw new ForbiddenError('Only the writer can see the stats of their works.');
}

function postedWorkIds(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .innerJoin('works', 'works.id', 'work_creators.work_id')
    .select('work_creators.work_id')
    .where('pseuds.user_id', '=', userId)
    .where('works.draft', '=', 0);
}

function compareRows(column: StatsColumn, direction: SortDirection) {
  const sign = direction === 'asc' ? 1 : -1;
  return (a: WorkStatsRow, b: WorkStatsRow) => {
    const order = column === 'title' ? a.title.localeCompare(b.title) : a[column] - b[column];
    return sign * order || a.title.localeCompare(b.title) || a.id - b.id;
  };
}

/** The writer's posted works with their counts, sorted by one column, and the totals. */
export async function writerStats(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
  sort: { column: StatsColumn; direction: SortDirection } = { column: 'hits', direction: 'desc' },
): Promise<WriterStats> {
  requireSelf(viewer, userId);
  const rows = await db
    .selectFrom('works')
    .select((eb) => [
      'works.id',
      'works.title',
      'works.hits',
      'works.kudos_count',
      'works.word_count',
      eb
        .selectFrom('comments')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('comments.work_id', '=', 'works.id')
        .where('comments.parent_id', 'is', null)
        .where('comments.status', '=', 'visible')
        .as('comment_threads'),
      eb
        .selectFrom('bookmarks')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('bookmarks.work_id', '=', 'works.id')
        .where('bookmarks.private', '=', 0)
        .as('bookmarks'),
      eb
        .selectFrom('subscriptions')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('subscriptions.work_id', '=', 'works.id')
        .as('subscriptions'),
    ])
    .where('works.id', 'in', postedWorkIds(db, userId))
    .execute();
  const works: WorkStatsRow[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    hits: row.hits,
    kudos: row.kudos_count,
    comment_threads: Number(row.comment_threads ?? 0),
    bookmarks: Number(row.bookmarks ?? 0),
    subscriptions: Number(row.subscriptions ?? 0),
    word_count: row.word_count,
  }));
  works.sort(compareRows(sort.column, sort.direction));
  const totals: StatsCounts = {
    hits: 0,
    kudos: 0,
    comment_threads: 0,
    bookmarks: 0,
    subscriptions: 0,
    word_count: 0,
  };
  for (const work of works) {
    for (const key of Object.keys(totals) as (keyof StatsCounts)[]) totals[key] += work[key];
  }
  return { works, totals };
}

/** The UTC day of a stored timestamp: an ISO string on SQLite, a timestamptz on PostgreSQL. */
function dayOf(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(`${first}T00:00:00Z`); time <= Date.parse(`${last}T00:00:00Z`); time += DAY_MS)
    days.push(new Date(time).toISOString().slice(0, 10));
  return days;
}

/**
 * Hits, kudos, comment threads and public bookmarks per day on the writer's posted works: over the
 * last 30 days, the last year, or since the first of them.
 */
export async function writerActivity(
  db: Kysely<Database>,
  dialect: DialectName,
  viewer: Viewer | null,
  userId: number,
  period: StatsPeriod = 'month',
): Promise<DailyActivity[]> {
  requireSelf(viewer, userId);
  const today = new Date().toISOString().slice(0, 10);
  const daysBefore = (days: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const since = period === 'all' ? null : daysBefore(PERIOD_DAYS[period]);
  const works = postedWorkIds(db, userId);
  const sinceMoment = since === null ? null : `${since}T00:00:00.000Z`;

  let hitsQuery = db
    .selectFrom('work_hits')
    .select((eb) => ['day', eb.fn.countAll<number>().as('n')])
    .where('work_id', 'in', works)
    .groupBy('day');
  if (since !== null) hitsQuery = hitsQuery.where('day', '>=', since);

  const kudosDay = dayOf(dialect, 'kudos.created_at');
  let kudosQuery = db
    .selectFrom('kudos')
    .select((eb) => [kudosDay.as('day'), eb.fn.countAll<number>().as('n')])
    .where('work_id', 'in', works)
    .groupBy(kudosDay);
  if (sinceMoment !== null) kudosQuery = kudosQuery.where('created_at', '>=', sinceMoment);

  const commentDay = dayOf(dialect, 'comments.created_at');
  let commentsQuery = db
    .selectFrom('comments')
    .select((eb) => [commentDay.as('day'), eb.fn.countAll<number>().as('n')])
    .where('work_id', 'in', works)
    .where('parent_id', 'is', null)
    .where('status', '=', 'visible')
    .groupBy(commentDay);
  if (sinceMoment !== null) commentsQuery = commentsQuery.where('created_at', '>=', sinceMoment);

  const bookmarkDay = dayOf(dialect, 'bookmarks.created_at');
  let bookmarksQuery = db
    .selectFrom('bookmarks')
    .select((eb) => [bookmarkDay.as('day'), eb.fn.countAll<number>().as('n')])
    .where('work_id', 'in', works)
    .where('private', '=', 0)
    .groupBy(bookmarkDay);
  if (sinceMoment !== null) bookmarksQuery = bookmarksQuery.where('created_at', '>=', sinceMoment);

  const [hits, kudos, comments, bookmarks] = await Promise.all([
    hitsQuery.execute(),
    kudosQuery.execute(),
    commentsQuery.execute(),
    bookmarksQuery.execute(),
  ]);
  const series = { hits, kudos, comments, bookmarks };
  const seen = Object.values(series)
    .flat()
    .map((row) => row.day)
    .filter((day) => day <= today)
    .sort();
  // Even a new writer's whole history spans a month, so that the chart has room to draw.
  const first = since ?? (seen[0] && seen[0] < daysBefore(30) ? seen[0] : daysBefore(30));
  const activity = new Map(
    daysFrom(first, today).map((day) => [day, { day, hits: 0, kudos: 0, comments: 0, bookmarks: 0 }]),
  );
  for (const [name, rows] of Object.entries(series) as [
    keyof typeof series,
    { day: string; n: number }[],
  ][]) {
    for (const row of rows) {
      const entry = activity.get(row.day);
      if (entry) entry[name] += Number(row.n);
    }
  }
  return [...activity.values()];
}
