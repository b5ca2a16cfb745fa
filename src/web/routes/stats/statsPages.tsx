import type { FastifyInstance } from 'fastify';
import {
  STATS_COLUMNS,
  STATS_PERIODS,
  type StatsColumn,
  type StatsPeriod,
  writerActivity,
  writerStats,
} from '../../../services/writerStats.ts';
import { pageContext, routeUser, type WebDependencies } from '../../context.ts';
import { formText } from '../../formInput.ts';
import { sendPage } from '../../views/render.tsx';
import { StatsPage, type StatsView } from '../../views/StatsPage.tsx';

/** The table's order and the chart's period from the query; anything unknown falls back to the default. */
function statsViewFrom(query: unknown): StatsView {
  const sort = formText(query, 'sort');
  const column = (STATS_COLUMNS as readonly string[]).includes(sort) ? (sort as StatsColumn) : 'hits';
  const direction = formText(query, 'direction');
  const period = formText(query, 'period');
  return {
    column,
    direction: direction === 'asc' || direction === 'desc' ? direction : column === 'title' ? 'asc' : 'desc',
    period: (STATS_PERIODS as readonly string[]).includes(period) ? (period as StatsPeriod) : 'month',
  };
}

export function registerStatsRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/users/:login/stats', async (request, reply) => {
    const user = await routeUser(db, request);
    const view = statsViewFrom(request.query);
    const stats = await writerStats(db, request.viewer, user.id, view);
    const activity = await writerActivity(db, archive.dialect, request.viewer, user.id, view.period);
    return sendPage(
      reply,
      <StatsPage
        context={pageContext(request, reply, config)}
        username={user.username}
        stats={stats}
        activity={activity}
        view={view}
      />,
    );
  });
}
