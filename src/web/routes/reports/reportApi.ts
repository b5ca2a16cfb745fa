import { reportTargetOf } from '../../../domain/reports.ts';
import { ValidationError } from '../../../services/errors.ts';
import { claimReport, listReports, resolveReport, submitReport } from '../../../services/reports.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';
import {
  reportBody,
  reportFiled,
  reportJson,
  reportListSchema,
  reportQuery,
  resolveBody,
} from './reportSchemas.ts';

export function registerReportApi(api: ApiApp, { config, archive }: WebDependencies): void {
  api.post(
    '/reports',
    {
      ...limitedRoute(config, 'report', config.rateLimits.reports),
      schema: {
        summary: 'Report a work, chapter, comment, bookmark or user to the moderators',
        description:
          'Give exactly one of work_id, chapter_id, comment_id, bookmark_id or user. Guests may report ' +
          'without a token but must give an email address. Reporting something that already has an open ' +
          'report adds to that report. Something the caller cannot see answers 404.',
        body: reportBody,
        response: { 201: reportFiled, ...refusals(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const target = reportTargetOf(request.body);
      if (typeof target === 'string') throw new ValidationError(target);
      return reply.status(201).send(await submitReport(archive.db, request.viewer, target, request.body));
    },
  );

  api.get(
    '/admin/reports',
    {
      schema: {
        summary: 'The report queue, newest first (administrators and moderators)',
        security: tokenSecurity,
        querystring: reportQuery,
        response: { 200: reportListSchema, ...refusals(400, 401, 403) },
      },
    },
    async (request) => ({
      reports: (await listReports(archive.db, requireToken(request), request.query)).map(reportJson),
    }),
  );

  api.post(
    '/admin/reports/:id/claim',
    {
      schema: {
        summary: 'Claim a report, so other moderators see who handles it; recorded in the audit log',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await claimReport(archive.db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/admin/reports/:id/resolve',
    {
      schema: {
        summary: 'Resolve a report with a note, mailed to its reporters; recorded in the audit log',
        security: tokenSecurity,
        params: idParams,
        body: resolveBody,
        response: { 204: noContent, ...refusals(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await resolveReport(
        archive.db,
        requireToken(request),
        request.params.id,
        request.body.note,
        archiveSite(config, request),
      );
      return reply.status(204).send(null);
    },
  );
}
