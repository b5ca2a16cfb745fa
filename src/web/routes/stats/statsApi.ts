import { writerStats } from '../../../services/writerStats.ts';
import { type ApiApp, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import { writerStatsJson, writerStatsSchema } from './statsSchemas.ts';

export function registerStatsApi(api: ApiApp, { archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/stats',
    {
      schema: {
        summary: 'Hits, kudos, comment threads, bookmarks, subscriptions and words of your posted works',
        security: tokenSecurity,
        response: { 200: writerStatsSchema, ...refusals(401) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      return writerStatsJson(await writerStats(db, viewer, viewer.id));
    },
  );
}
