import { paths } from '../../domain/archivePaths.ts';
import {
  type DailyActivity,
  type SortDirection,
  STATS_COLUMNS,
  type StatsColumn,
  type StatsPeriod,
  type WriterStats,
} from '../../services/writerStats.ts';
import { Layout, type PageContext } from './Layout.tsx';
import { StatsChart } from './StatsChart.tsx';
import { formatCount } from './WorkParts.tsx';

const COLUMN_LABELS: Record<StatsColumn, string> = {
  title: 'Work',
  hits: 'Hits',
  kudos: 'Kudos',
  comment_threads: 'Comment threads',
  bookmarks: 'Bookmarks',
  subscriptions: 'Subscriptions',
  word_count: 'Words',
};

const PERIOD_LABELS: Record<StatsPeriod, string> = {
  month: 'Last 30 days',
  year: 'Last year',
  all: 'All time',
};

export interface StatsView {
  column: StatsColumn;
  direction: SortDirection;
  period: StatsPeriod;
}

function statsHref(username: string, view: StatsView): string {
  const query = new URLSearchParams();
  if (view.column !== 'hits' || view.direction !== 'desc') {
    query.set('sort', view.column);
    query.set('direction', view.direction);
  }
  if (view.period !== 'month') query.set('period', view.period);
  const search = query.toString();
  return search ? `${paths.userStats(username)}?${search}` : paths.userStats(username);
}

function SortHeader({ username, view, column }: { username: string; view: StatsView; column: StatsColumn }) {
  const current = view.column === column;
  // A second click on the sorted column turns the order round; a new column starts at its natural end.
  const direction: SortDirection = current
    ? view.direction === 'asc'
      ? 'desc'
      : 'asc'
    : column === 'title'
      ? 'asc'
      : 'desc';
  return (
    <th
      scope="col"
      class={column === 'title' ? undefined : 'number'}
      aria-sort={current ? (view.direction === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <a href={statsHref(username, { ...view, column, direction })}>
        {COLUMN_LABELS[column]}
        {current ? (view.direction === 'asc' ? ' ↑' : ' ↓') : ''}
      </a>
    </th>
  );
}

const COUNT_COLUMNS = STATS_COLUMNS.filter(
  (column): column is Exclude<StatsColumn, 'title'> => column !== 'title',
);

export function StatsPage({
  context,
  username,
  stats,
  activity,
  view,
}: {
  context: PageContext;
  username: string;
  stats: WriterStats;
  activity: DailyActivity[];
  view: StatsView;
}) {
  return (
    <Layout context={context} title={`Stats for ${username}`}>
      <h1 class="page-title">Stats for {username}</h1>
      <p>
        How readers answered your posted works. <a href={paths.userWorks(username)}>Back to your works</a>
      </p>
      <section class="stats-activity" aria-labelledby="stats-activity-heading">
        <h2 class="heading" id="stats-activity-heading">
          Activity per day
        </h2>
        <nav class="stats-periods" aria-label="Period">
          <ul>
            {(Object.keys(PERIOD_LABELS) as StatsPeriod[]).map((period) => (
              <li key={period}>
                {period === view.period ? (
                  <span aria-current="page">{PERIOD_LABELS[period]}</span>
                ) : (
                  <a href={statsHref(username, { ...view, period })}>{PERIOD_LABELS[period]}</a>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <StatsChart
          days={activity}
          caption={`Reader activity per day: ${PERIOD_LABELS[view.period].toLowerCase()}`}
        />
      </section>
      <section aria-labelledby="stats-works-heading">
        <h2 class="heading" id="stats-works-heading">
          Works
        </h2>
        {stats.works.length === 0 ? (
          <p class="empty">You have not posted any works yet; drafts have no readers.</p>
        ) : (
          <div class="stats-table-wrap">
            <table class="stats-table">
              <thead>
                <tr>
                  <SortHeader username={username} view={view} column="title" />
                  {COUNT_COLUMNS.map((column) => (
                    <SortHeader key={column} username={username} view={view} column={column} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.works.map((work) => (
                  <tr key={work.id}>
                    <th scope="row">
                      <a href={paths.work(work.id)}>{work.title}</a>
                    </th>
                    {COUNT_COLUMNS.map((column) => (
                      <td key={column} class="number">
                        {formatCount(work[column])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  {COUNT_COLUMNS.map((column) => (
                    <td key={column} class="number">
                      {formatCount(stats.totals[column])}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
