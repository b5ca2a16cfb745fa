import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paths, tagNameFromSlug, tagSlug } from '../../domain/archivePaths.ts';
import { buildWorksAtomFeed } from '../../formats/atom.ts';
import {
  ATOM_TYPE,
  buildAcquisitionFeed,
  buildNavigationFeed,
  buildOpenSearchDescription,
  OPDS_ACQUISITION_TYPE,
  OPDS_NAVIGATION_TYPE,
  OPENSEARCH_TYPE,
} from '../../formats/opds.ts';
import { NotFoundError } from '../../services/errors.ts';
import { findTag, listFandoms } from '../../services/tags.ts';
import { findUserByLogin } from '../../services/users.ts';
import { workDocumentOf } from '../../services/workDocuments.ts';
import { listWorks, WORKS_PER_PAGE, type WorkListing, type WorkListingScope } from '../../services/works.ts';
import { archiveSite, parsePage, type WebDependencies } from '../context.ts';
import { formText } from '../formInput.ts';

function sendXml(reply: FastifyReply, type: string, xml: string) {
  return reply.type(`${type};charset=utf-8`).header('cache-control', 'public, max-age=300').send(xml);
}

export function registerFeedRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;
  const origin = (request: FastifyRequest) => archiveSite(config, request).origin;
  const newest = (listing: WorkListing) => listing.works[0]?.updatedAt ?? new Date().toISOString();

  app.get<{ Params: { tag: string } }>('/tags/:tag/feed.atom', async (request, reply) => {
    const tag = await findTag(db, tagNameFromSlug(request.params.tag));
    if (!tag) throw new NotFoundError('There is no tag with that name in the archive.');
    // A synonym's feed is its canonical tag's feed, so subscribers follow the wrangled tag.
    if (tag.mergerName) return reply.redirect(paths.tagFeed(tag.mergerName), 301);
    // Feeds are public: what a guest may see, whoever asks.
    const listing = await listWorks(db, null, { tagId: tag.id }, 1);
    const site = archiveSite(config, request);
    return sendXml(
      reply,
      ATOM_TYPE,
      buildWorksAtomFeed({
        id: `${site.origin}${paths.tagFeed(tag.name)}`,
        title: `${tag.name} works on ${site.name}`,
        selfUrl: `${site.origin}${paths.tagFeed(tag.name)}`,
        alternateUrl: `${site.origin}${paths.tagWorks(tag.name)}`,
        updated: newest(listing),
        works: listing.works.map((work) => workDocumentOf(work, site)),
        author: { name: site.name, uri: site.origin },
      }),
    );
  });

  app.get<{ Params: { login: string } }>('/users/:login/works/feed.atom', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new NotFoundError('There is no user with that name here.');
    const listing = await listWorks(db, null, { userId: user.id }, 1);
    const site = archiveSite(config, request);
    return sendXml(
      reply,
      ATOM_TYPE,
      buildWorksAtomFeed({
        id: `${site.origin}${paths.userFeed(user.username)}`,
        title: `Works by ${user.username} on ${site.name}`,
        selfUrl: `${site.origin}${paths.userFeed(user.username)}`,
        alternateUrl: `${site.origin}${paths.userWorks(user.username)}`,
        updated: newest(listing),
        works: listing.works.map((work) => workDocumentOf(work, site)),
        author: { name: user.username, uri: `${site.origin}${paths.userWorks(user.username)}` },
      }),
    );
  });

  // OPDS 1.2: a catalog e-reader apps browse directly. Guests' view of the archive, like the feeds.
  const catalog = (request: FastifyRequest) => {
    const base = `${origin(request)}/opds`;
    return { base, start: base, search: `${base}/opensearch.xml` };
  };

  app.get('/opds', async (request, reply) => {
    const { base, start, search } = catalog(request);
    const site = archiveSite(config, request);
    const recent = await listWorks(db, null, {}, 1);
    return sendXml(
      reply,
      OPDS_NAVIGATION_TYPE,
      buildNavigationFeed({
        id: base,
        title: site.name,
        selfUrl: base,
        startUrl: start,
        searchUrl: search,
        updated: newest(recent),
        author: { name: site.name, uri: site.origin },
        entries: [
          {
            id: `${base}/recent`,
            title: 'Recently updated',
            url: `${base}/recent`,
            kind: 'acquisition',
            rel: 'http://opds-spec.org/sort/new',
            content: 'The newest chapters and works.',
            count: recent.total,
          },
          {
            id: `${base}/popular`,
            title: 'Most kudos',
            url: `${base}/popular`,
            kind: 'acquisition',
            rel: 'http://opds-spec.org/sort/popular',
            content: 'The works readers loved most.',
            count: recent.total,
          },
          {
            id: `${base}/fandoms`,
            title: 'Fandoms',
            url: `${base}/fandoms`,
            kind: 'navigation',
            content: 'Browse works by fandom.',
          },
        ],
      }),
    );
  });

  app.get('/opds/fandoms', async (request, reply) => {
    const { base, start, search } = catalog(request);
    const site = archiveSite(config, request);
    const page = parsePage(formText(request.query, 'page'));
    const { fandoms, total } = await listFandoms(db, null, page, WORKS_PER_PAGE);
    const pages = Math.max(1, Math.ceil(total / WORKS_PER_PAGE));
    return sendXml(
      reply,
      OPDS_NAVIGATION_TYPE,
      buildNavigationFeed({
        id: `${base}/fandoms`,
        title: 'Fandoms',
        selfUrl: `${base}/fandoms${page > 1 ? `?page=${page}` : ''}`,
        startUrl: start,
        searchUrl: search,
        updated: new Date().toISOString(),
        author: { name: site.name, uri: site.origin },
        ...(page < pages ? { next: `${base}/fandoms?page=${page + 1}` } : {}),
        ...(page > 1 ? { previous: `${base}/fandoms?page=${page - 1}` } : {}),
        entries: fandoms.map((fandom) => ({
          id: `${base}/tags/${tagSlug(fandom.name)}`,
          title: fandom.name,
          url: `${base}/tags/${tagSlug(fandom.name)}`,
          kind: 'acquisition' as const,
          count: fandom.works,
        })),
      }),
    );
  });

  async function acquisition(
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    path: string,
    scope: WorkListingScope,
    extraQuery = '',
  ) {
    const { base, start, search } = catalog(request);
    const site = archiveSite(config, request);
    const page = parsePage(formText(request.query, 'page'));
    const listing = await listWorks(db, null, scope, page);
    const pageUrl = (target: number) => `${base}${path}?${extraQuery}${extraQuery ? '&' : ''}page=${target}`;
    return sendXml(
      reply,
      OPDS_ACQUISITION_TYPE,
      buildAcquisitionFeed({
        id: `${base}${path}${extraQuery ? `?${extraQuery}` : ''}`,
        title,
        selfUrl: pageUrl(listing.page),
        startUrl: start,
        searchUrl: search,
        updated: newest(listing),
        author: { name: site.name, uri: site.origin },
        works: listing.works.map((work) => workDocumentOf(work, site)),
        epubUrl: (work) => `${site.origin}${paths.download(work.id, work.title, 'epub')}`,
        first: pageUrl(1),
        ...(listing.page < listing.pages ? { next: pageUrl(listing.page + 1) } : {}),
        ...(listing.page > 1 ? { previous: pageUrl(listing.page - 1) } : {}),
        totalResults: listing.total,
        itemsPerPage: WORKS_PER_PAGE,
        startIndex: (listing.page - 1) * WORKS_PER_PAGE + 1,
      }),
    );
  }

  app.get('/opds/recent', (request, reply) => acquisition(request, reply, 'Recently updated', '/recent', {}));
  app.get('/opds/popular', (request, reply) =>
    acquisition(request, reply, 'Most kudos', '/popular', { sort: 'kudos' }),
  );

  app.get<{ Params: { tag: string } }>('/opds/tags/:tag', async (request, reply) => {
    const tag = await findTag(db, tagNameFromSlug(request.params.tag));
    if (!tag) throw new NotFoundError('There is no tag with that name in the archive.');
    return acquisition(request, reply, tag.name, `/tags/${tagSlug(tag.name)}`, { tagId: tag.id });
  });

  app.get('/opds/search', (request, reply) => {
    const terms = formText(request.query, 'q').trim().slice(0, 200);
    return acquisition(
      request,
      reply,
      `Search: ${terms}`,
      '/search',
      { titleContains: terms },
      `q=${encodeURIComponent(terms)}`,
    );
  });

  app.get('/opds/opensearch.xml', async (request, reply) => {
    const site = archiveSite(config, request);
    return sendXml(
      reply,
      OPENSEARCH_TYPE,
      buildOpenSearchDescription({
        shortName: site.name,
        description: `Search the works of ${site.name}`,
        searchTemplate: `${site.origin}/opds/search?q={searchTerms}`,
      }),
    );
  });
}
