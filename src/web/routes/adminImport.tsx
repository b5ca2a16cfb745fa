import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import {
  authorizeWebImport,
  type ImportFailure,
  type ImportFile,
  importAo3Files,
  unpackDownloads,
} from '../../services/imports.ts';
import { pageContext, type WebDependencies } from '../context.ts';
import { ImportPage } from '../views/ImportPage.tsx';
import { sendPage } from '../views/render.tsx';

function uploadedFiles(body: unknown): MultipartFile[] {
  const field = (body as Record<string, unknown> | undefined)?.files;
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.filter(
    (item): item is MultipartFile => typeof (item as MultipartFile)?.toBuffer === 'function',
  );
}

export function registerAdminImportRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  app.get(paths.adminImport(), async (request, reply) => {
    authorizeWebImport(request.viewer);
    return sendPage(reply, <ImportPage context={pageContext(request, reply, config)} />);
  });

  app.post(paths.adminImport(), async (request, reply) => {
    const importer = authorizeWebImport(request.viewer);
    const uploads = uploadedFiles(request.body);
    if (uploads.length === 0 || uploads.every((upload) => upload.filename === '')) {
      return sendPage(
        reply,
        <ImportPage
          context={pageContext(request, reply, config)}
          message="Choose at least one file to import."
        />,
        400,
      );
    }
    const files: ImportFile[] = [];
    const unreadable: ImportFailure[] = [];
    for (const upload of uploads) {
      const unpacked = await unpackDownloads({
        label: upload.filename,
        name: upload.filename,
        bytes: await upload.toBuffer(),
      });
      files.push(...unpacked.files);
      unreadable.push(...unpacked.unreadable);
    }
    const report = await importAo3Files(archive.db, importer, files);
    return sendPage(
      reply,
      <ImportPage
        context={pageContext(request, reply, config)}
        report={{ ...report, failed: [...unreadable, ...report.failed] }}
      />,
    );
  });
}
