import {
  clearHistory,
  forgetReading,
  listReadings,
  readingOf,
  setMarkedForLater,
} from '../../../services/readings.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import {
  historyPageJson,
  historyPageSchema,
  historyQuery,
  readingJson,
  readingSchema,
} from './readingSchemas.ts';

export function registerReadingApi(api: ApiApp, { archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/history',
    {
      schema: {
        summary: 'Your reading history, last read first (private to you)',
        security: tokenSecurity,
        querystring: historyQuery,
        response: { 200: historyPageSchema, ...refusals(401) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const listing = await listReadings(db, viewer, viewer.id, {
        toRead: request.query.show === 'to-read',
        page: request.query.page,
      });
      return historyPageJson(listing);
    },
  );

  api.delete(
    '/history',
    {
      schema: {
        summary: 'Clear your history, Marked for Later included',
        security: tokenSecurity,
        response: { 204: noContent, ...refusals(401) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      await clearHistory(db, viewer, viewer.id);
      return reply.status(204).send(null);
    },
  );

  api.delete(
    '/history/:id',
    {
      schema: {
        summary: 'Delete one work from your history',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 404) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      await forgetReading(db, viewer, viewer.id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/history/:id/mark-for-later',
    {
      schema: {
        summary: 'Mark a work for later (it joins your history even unread)',
        security: tokenSecurity,
        params: idParams,
        response: { 200: readingSchema, ...refusals(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const workId = request.params.id;
      await setMarkedForLater(db, viewer, workId, true);
      return readingJson(await readingOf(db, viewer, workId));
    },
  );

  api.delete(
    '/history/:id/mark-for-later',
    {
      schema: {
        summary: 'Mark a work as read: it leaves Marked for Later',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await setMarkedForLater(db, requireToken(request), request.params.id, false);
      return reply.status(204).send(null);
    },
  );
}
