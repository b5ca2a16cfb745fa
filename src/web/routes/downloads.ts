import type { FastifyInstance } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import { buildSeriesEpub, buildWorkEpub } from '../../formats/epub.ts';
import { buildWorkHtml } from '../../formats/htmlDownload.ts';
import { cachedDownload } from '../../services/downloadCache.ts';
import { NotFoundError } from '../../services/errors.ts';
import { seriesDocument, workDocument } from '../../services/workDocuments.ts';
import { archiveSite, routeId, type WebDependencies } from '../context.ts';

const EPUB_TYPE = 'application/epub+zip';

function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

export function registerDownloadRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  // The slug is for the reader's file name only; a stale slug still downloads the work.
  app.get('/downloads/:id/:file', async (request, reply) => {
    const workId = routeId(request);
    const format = (request.params as { file: string }).file.match(/\.(epub|html)$/)?.[1] as
      | 'epub'
      | 'html'
      | undefined;
    if (!format) throw new NotFoundError('Downloads come as .epub or .html.');
    // Reading the document checks that this reader may see the work (drafts, restricted works).
    const work = await workDocument(db, request.viewer, workId, archiveSite(config, request));
    const fileName = paths.download(work.id, work.title, format).split('/').pop()!;
    // Restricted works are not cached publicly; the cache key includes the origin because links are absolute.
    const cacheKey = `work:${work.id}:${format}:${work.archiveUrl}`;
    const content = await cachedDownload(db, cacheKey, work.revisedAt, async () =>
      format === 'epub' ? buildWorkEpub(work) : Buffer.from(buildWorkHtml(work), 'utf8'),
    );
    return reply
      .header('content-disposition', attachment(fileName))
      .header('cache-control', 'private, max-age=300')
      .type(format === 'epub' ? EPUB_TYPE : 'text/html; charset=utf-8')
      .send(content);
  });

  app.get('/downloads/series/:id/:file', async (request, reply) => {
    const series = await seriesDocument(db, request.viewer, routeId(request), archiveSite(config, request));
    if (series.works.length === 0) throw new NotFoundError('This series has no works you can read yet.');
    const revision = [series.updatedAt, ...series.works.map((work) => `${work.id}@${work.revisedAt}`)].join(
      ',',
    );
    // Which parts a reader sees depends on being logged in (restricted works), so that is part of the key.
    const cacheKey = `series:${series.id}:${request.viewer ? 'members' : 'guests'}:${series.archiveUrl}`;
    const content = await cachedDownload(db, cacheKey, revision.slice(0, 100), () => buildSeriesEpub(series));
    return reply
      .header(
        'content-disposition',
        attachment(paths.seriesDownload(series.id, series.title).split('/').pop()!),
      )
      .header('cache-control', 'private, max-age=300')
      .type(EPUB_TYPE)
      .send(content);
  });
}
