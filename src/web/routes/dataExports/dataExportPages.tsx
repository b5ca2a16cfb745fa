import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { paths } from '../../../domain/archivePaths.ts';
import { dataExportState, downloadDataExport, requestDataExport } from '../../../services/dataExport.ts';
import { ForbiddenError } from '../../../services/errors.ts';
import {
  archiveSite,
  pageContext,
  requireViewer,
  routeUser,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { DataExportPage } from '../../views/DataExportPage.tsx';
import { sendPage } from '../../views/render.tsx';
import { dataExportFileName } from './dataExportSchemas.ts';

// /users/LOGIN/data_export: the member's own data, theirs alone.

async function ownData(db: Kysely<Database>, request: FastifyRequest) {
  const viewer = requireViewer(request, 'Log in to download your data.');
  const user = await routeUser(db, request);
  if (user.id !== viewer.id) throw new ForbiddenError('Only its owner can download an account’s data.');
  return viewer;
}

export function registerDataExportRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/users/:login/data_export', async (request, reply) => {
    const viewer = await ownData(db, request);
    return sendPage(
      reply,
      <DataExportPage
        context={pageContext(request, reply, config)}
        username={viewer.username}
        state={await dataExportState(db, viewer)}
      />,
    );
  });

  app.post('/users/:login/data_export', async (request, reply) => {
    const viewer = await ownData(db, request);
    const state = await requestDataExport(db, viewer, archiveSite(config, request));
    setNotice(
      reply,
      config,
      state.status === 'ready'
        ? 'Your data from the last hour is still ready below; a new zip can be made an hour after the last one.'
        : 'Your data is being gathered. A link will be in your inbox when it is ready.',
    );
    return reply.redirect(paths.dataExport(viewer.username), 303);
  });

  app.get('/users/:login/data_export/download', async (request, reply) => {
    const viewer = await ownData(db, request);
    const { content, readyAt } = await downloadDataExport(db, viewer);
    return reply
      .header('content-disposition', `attachment; filename="${dataExportFileName(viewer.username, readyAt)}"`)
      .type('application/zip')
      .send(content);
  });
}
