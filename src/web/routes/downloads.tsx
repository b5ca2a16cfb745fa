import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import {
  DownloadBuildError,
  DownloadBuilds,
  DownloadsBusyError,
  downloadBuildLimits,
} from '../../services/downloadBuilds.ts';
import { cachedDownload, downloadCacheLimits } from '../../services/downloadCache.ts';
import { NotFoundError } from '../../services/errors.ts';
import { seriesDocument, workDocument } from '../../services/workDocuments.ts';
import { archiveSite, pageContext, routeId, type WebDependencies } from '../context.ts';
import { ErrorPage } from '../views/ErrorPage.tsx';
import { sendPage } from '../views/render.tsx';

const EPUB_TYPE = 'application/epub+zip';

function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

export function registerDownloadRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;
  const builds = new DownloadBuilds(downloadBuildLimits(config.downloads.buildTimeLimitMs));
  app.addHook('onClose', () => builds.close());

  /** The download, or the archive's page saying why it cannot have it now. */
  async function built(
    request: FastifyRequest,
    reply: FastifyReply,
    download: () => Promise<Buffer>,
  ): Promise<Buffer | FastifyReply> {
    try {
      return await download();
    } catch (error) {
      if (!(error instanceof DownloadBuildError || error instanceof DownloadsBusyError)) throw error;
      const busy = error instanceof DownloadsBusyError;
      if (!busy && !error.remembered)
        request.log.warn({ err: error, url: request.url }, 'download not built');
      const message = busy
        ? 'The archive is busy building other downloads. Please try again in a minute.'
        : 'This download could not be built: the work is too large or too complex to convert in time. You can still read it on the archive; the download will be tried again later, or as soon as the work changes.';
      const retryAfter = busy ? 60 : downloadCacheLimits.failureMemoryMs / 1000;
      reply.header('retry-after', String(retryAfter));
      return sendPage(
        reply,
        <ErrorPage context={pageContext(request, reply, config)} status={503} message={message} />,
        503,
      );
    }
  }

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
    const content = await built(request, reply, () =>
      cachedDownload(db, `work:${work.id}:${format}`, work.revisedAt, () =>
        builds.build({ kind: format === 'epub' ? 'work-epub' : 'work-html', work }),
      ),
    );
    if (!Buffer.isBuffer(content)) return content;
    return reply
      .header('content-disposition', attachment(fileName))
      .header('cache-control', 'private, max-age=300')
      .type(format === 'epub' ? EPUB_TYPE : 'text/html; charset=utf-8')
      .send(content);
  });

  app.get('/downloads/series/:id/:file', async (request, reply) => {
    const series = await seriesDocument(db, request.viewer, routeId(request), archiveSite(config, request));
    if (series.works.length === 0) throw new NotFoundError('This series has no works you can read yet.');
    // Every part's revision counts, however many parts there are: hashed to fit the revision column.
    const revision = createHash('sha256')
      .update([series.updatedAt, ...series.works.map((work) => `${work.id}@${work.revisedAt}`)].join(','))
      .digest('hex');
    // Which parts a reader sees depends on being logged in (restricted works), so that is part of the key.
    const cacheKey = `series:${series.id}:${request.viewer ? 'members' : 'guests'}:epub`;
    const content = await built(request, reply, () =>
      cachedDownload(db, cacheKey, revision, () => builds.build({ kind: 'series-epub', series })),
    );
    if (!Buffer.isBuffer(content)) return content;
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
