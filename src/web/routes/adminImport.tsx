import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import {
  authorizeWebImport,
  listImportUploads,
  queueImportUpload,
  type UploadLimits,
} from '../../services/imports.ts';
import { pageContext, setNotice, type WebDependencies } from '../context.ts';
import { savedUploads, uploadRoute } from '../uploads.ts';
import { ImportPage } from '../views/ImportPage.tsx';
import { sendPage } from '../views/render.tsx';

/** How many files one upload may hold; each may be as large as QUIRE_IMPORT_MAX_FILE_MB. */
const FILES_PER_UPLOAD = 10;

export function registerAdminImportRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const limits: UploadLimits = { maxFileBytes: config.imports.maxFileBytes, maxFiles: FILES_PER_UPLOAD };

  app.get(paths.adminImport(), async (request, reply) => {
    const uploads = await listImportUploads(archive.db, request.viewer);
    return sendPage(
      reply,
      <ImportPage context={pageContext(request, reply, config)} limits={limits} uploads={uploads} />,
    );
  });

  app.post(
    paths.adminImport(),
    {
      config: uploadRoute(limits),
      // Only administrators may send files at all: anyone else is answered before the body is read.
      onRequest: async (request) => {
        authorizeWebImport(request.viewer);
      },
    },
    async (request, reply) => {
      const uploads = savedUploads(request);
      if (uploads.length === 0) {
        return sendPage(
          reply,
          <ImportPage
            context={pageContext(request, reply, config)}
            limits={limits}
            uploads={await listImportUploads(archive.db, request.viewer)}
            message="Choose at least one file to import."
          />,
          400,
        );
      }
      // One file in memory at a time, on its way into the queue; the job reads it from there.
      for (const upload of uploads) {
        await queueImportUpload(archive.db, request.viewer, {
          name: upload.fileName,
          bytes: await fs.readFile(upload.path),
        });
      }
      setNotice(
        reply,
        config,
        `Import queued: ${uploads.length === 1 ? 'one file' : `${uploads.length} files`}. What became of each is shown below once it has been read.`,
      );
      return reply.redirect(paths.adminImport(), 303);
    },
  );
}
