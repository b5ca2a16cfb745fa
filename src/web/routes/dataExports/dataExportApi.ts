import { z } from 'zod';
import { dataExportState, downloadDataExport, requestDataExport } from '../../../services/dataExport.ts';
import { type ApiApp, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { dataExportFileName, dataExportJson, dataExportSchema } from './dataExportSchemas.ts';

export function registerDataExportApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.post(
    '/account/data_export',
    {
      schema: {
        summary: 'Ask for a zip of everything the archive holds about you',
        description:
          'It is gathered in the background; an inbox item (kind data_export) says when it is ready. Asking while one is being gathered, or within an hour of the last one made, changes nothing (the answer says where it stands).',
        security: tokenSecurity,
        response: { 202: dataExportSchema, ...refusals(401) },
      },
    },
    async (request, reply) => {
      const site = archiveSite(config, request);
      const state = await requestDataExport(db, requireToken(request), site);
      return reply.status(202).send(dataExportJson(state, site.origin));
    },
  );

  api.get(
    '/account/data_export',
    {
      schema: {
        summary: 'Where your data zip stands, with its link while it is offered',
        security: tokenSecurity,
        response: { 200: dataExportSchema, ...refusals(401) },
      },
    },
    async (request) =>
      dataExportJson(await dataExportState(db, requireToken(request)), archiveSite(config, request).origin),
  );

  api.get(
    '/account/data_export/download',
    {
      schema: {
        summary: 'Your data zip (application/zip), while it is offered',
        security: tokenSecurity,
        response: {
          200: z.unknown().meta({ description: 'The zip file' }),
          ...refusals(401, 404),
        },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const { content, readyAt } = await downloadDataExport(db, viewer);
      return reply
        .header(
          'content-disposition',
          `attachment; filename="${dataExportFileName(viewer.username, readyAt)}"`,
        )
        .type('application/zip')
        .send(content);
    },
  );
}
