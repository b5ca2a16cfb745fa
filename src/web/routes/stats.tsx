import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../services/errors.ts';
import { findUserByLogin } from '../../services/users.ts';
import {
  STATS_COLUMNS,
  STATS_PERIODS,
  type StatsColumn,
  type StatsPeriod,
  writerActivity,
  writerStats,
} from '../../services/writerStats.ts';
import { pageContext, type WebDependencies } from '../context.ts';
import { formText } from '../formInput.ts';
import { sendPage } from '../views/render.tsx';
import { StatsPage, type StatsView } from '../views/StatsPage.tsx';
import { requireToken } from './api.ts';

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
    const user = await findUserByLogin(db, (request.params as { login: string }).login);
    if (!user) throw new NotFoundError('There is no user with that name here.');
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

  app.get('/api/v1/stats', async (request) => {
    const viewer = requireToken(request);
    const { totals, works } = await writerStats(db, viewer, viewer.id);
    return { totals, works };
  });
}
