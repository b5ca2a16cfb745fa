import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import { createWorkSearch } from '../search/archiveWorkSearch.ts';
import type { WorkSearch } from '../search/workSearch.ts';
import { unreadInboxCount } from '../services/inbox.ts';
import { cookieSecret } from '../services/settings.ts';
import { viewerForSession } from '../services/users.ts';
import { API_PREFIX, registerApi } from './api/apiPlugin.ts';
import { cookieFlags, csrfBinding, SESSION_COOKIE, type WebDependencies } from './context.ts';
import { handleError, handleNotFound } from './errors.tsx';
import { databaseRateLimitStore } from './rateLimits.ts';
import { registerAccountDeletionRoutes } from './routes/accountDeletion/accountDeletionPages.tsx';
import { registerAccountRoutes } from './routes/accounts/accountPages.tsx';
import { registerAccountRecoveryRoutes } from './routes/accounts/accountRecoveryPages.tsx';
import { registerAccountSettingsRoutes } from './routes/accounts/accountSettingsPages.tsx';
import { followRenamedUsers } from './routes/accounts/renamedUsers.ts';
import { registerStaffRoutes } from './routes/admin/staffPages.tsx';
import { registerAdminImportRoutes } from './routes/adminImport.tsx';
import { registerBookmarkRoutes } from './routes/bookmarks/bookmarkPages.tsx';
import { registerChapterRoutes } from './routes/chapters/chapterPages.tsx';
import { registerCommentRoutes } from './routes/comments/commentPages.tsx';
import { registerCreatorshipRoutes } from './routes/creatorships/creatorshipPages.tsx';
import { registerDataExportRoutes } from './routes/dataExports/dataExportPages.tsx';
import { registerDownloadRoutes } from './routes/downloads.tsx';
import { registerFeedRoutes } from './routes/feeds.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerInboxRoutes } from './routes/inbox/inboxPages.tsx';
import { registerKudosRoutes } from './routes/kudos/kudosPages.ts';
import { registerListingRoutes } from './routes/listings.tsx';
import { registerOrphanRoutes } from './routes/orphans/orphanPages.tsx';
import { registerPreferenceRoutes } from './routes/preferences.tsx';
import { registerProfileRoutes } from './routes/profiles/profilePages.tsx';
import { registerPseudRoutes } from './routes/pseuds/pseudPages.tsx';
import { registerReadingRoutes } from './routes/readings/readingPages.tsx';
import { registerReportRoutes } from './routes/reports/reportPages.tsx';
import { registerSeriesRoutes } from './routes/series.tsx';
import { registerStatsRoutes } from './routes/stats/statsPages.tsx';
import { registerSubscriptionRoutes } from './routes/subscriptions/subscriptionPages.tsx';
import { registerTagRoutes } from './routes/tags/tagPages.tsx';
import { registerTokenRoutes } from './routes/tokens/tokenPages.tsx';
import { registerUserRelationRoutes } from './routes/userRelations/userRelationPages.tsx';
import { registerWorkRoutes } from './routes/works/workPages.tsx';
import { parseFormBody, registerTextBoundary } from './textBoundary.ts';
import { registerUploads } from './uploads.ts';

/** Every resource's page routes, in the order they were added to the archive. */
const pageResources: ((pages: FastifyInstance, dependencies: WebDependencies) => void)[] = [
  registerAccountRoutes,
  registerListingRoutes,
  registerTagRoutes,
  registerWorkRoutes,
  registerChapterRoutes,
  registerFeedRoutes,
  registerDownloadRoutes,
  registerAdminImportRoutes,
  registerKudosRoutes,
  registerStatsRoutes,
  registerReadingRoutes,
  registerUserRelationRoutes,
  registerCommentRoutes,
  registerInboxRoutes,
  registerBookmarkRoutes,
  registerSeriesRoutes,
  registerSubscriptionRoutes,
  registerPreferenceRoutes,
  registerAccountRecoveryRoutes,
  registerAccountSettingsRoutes,
  registerTokenRoutes,
  registerProfileRoutes,
  registerPseudRoutes,
  registerOrphanRoutes,
  registerAccountDeletionRoutes,
  registerDataExportRoutes,
  registerCreatorshipRoutes,
  registerStaffRoutes,
  registerReportRoutes,
];

const assetsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

// A chapter may hold 500,000 characters; form encoding can triple multi-byte text, so leave room.
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * `search` may come from the caller, which can then warm it; otherwise the app makes its own.
 * `onRoute` hears of every route as it is registered (the authorisation matrix lists them this way).
 */
export async function buildApp({
  search,
  onRoute,
  ...given
}: Omit<WebDependencies, 'search'> & {
  search?: WorkSearch;
  onRoute?: (route: RouteOptions) => void;
}): Promise<FastifyInstance> {
  const dependencies: WebDependencies = { ...given, search: search ?? createWorkSearch(given.archive) };
  const { config, archive } = dependencies;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  if (onRoute) app.addHook('onRoute', onRoute);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Works may show images hosted elsewhere, as on AO3; scripts and styles stay our own.
        imgSrc: ["'self'", 'https:', 'http:', 'data:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  const secret = config.secret ?? (await cookieSecret(archive.db));
  await app.register(fastifyCookie, { secret });
  // Arrays from repeated fields (warnings, categories) arrive as arrays with Node's own parser.
  await app.register(fastifyFormbody, { parser: parseFormBody });
  // Upload forms (the admin import) arrive as multipart; their fields, CSRF token included, join the body.
  await registerUploads(app, config.imports.uploadFolder);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    getToken: (request) => {
      const field = (request.body as Record<string, unknown> | undefined)?._csrf;
      const token = typeof field === 'string' ? field : (field as { value?: unknown } | undefined)?.value;
      return typeof token === 'string'
        ? token
        : ((request.headers['x-csrf-token'] as string | undefined) ?? '');
    },
    getUserInfo: csrfBinding,
    // The binding is hashed with a key of its own, derived from the archive's secret.
    csrfOpts: { userInfo: true, hmacKey: createHmac('sha256', secret).update('quire csrf tokens').digest() },
    cookieOpts: { ...cookieFlags(config), signed: true },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(archive.db),
    errorResponseBuilder: (_request, context) => {
      const minutes = Math.max(1, Math.ceil(context.ttl / 60_000));
      return Object.assign(
        new Error(
          `Too many attempts from your connection. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
        ),
        { statusCode: 429, code: 'rate_limited' },
      );
    },
  });
  await app.register(fastifyStatic, { root: assetsDirectory, prefix: '/assets/', maxAge: '1h' });

  app.decorateRequest('viewer', null);
  app.decorateRequest('unreadCount', 0);
  const readSession = async (request: FastifyRequest) => {
    const session = request.cookies[SESSION_COOKIE];
    request.viewer = session ? await viewerForSession(archive.db, session) : null;
    // Every page's header shows the reader's unread inbox count.
    if (request.viewer) request.unreadCount = await unreadInboxCount(archive.db, request.viewer.id);
  };

  // Whatever a logged-in reader (session or API token) is answered is theirs alone: no shared cache keeps it.
  app.addHook('onSend', async (request, reply) => {
    if (request.viewer) reply.header('cache-control', 'private, no-store');
  });
  app.setErrorHandler((error, request, reply) => handleError(error, request, reply, config));
  registerTextBoundary(app);
  app.setNotFoundHandler({ preHandler: readSession }, (request, reply) =>
    handleNotFound(request, reply, config),
  );

  registerHealthRoutes(app, dependencies);
  // The pages: readers are known by their session cookie, and every form that changes something
  // carries a CSRF token, checked after the body is parsed since the token travels in the form.
  await app.register(async (pages) => {
    pages.addHook('onRoute', (route) => {
      if (route.url.startsWith(API_PREFIX))
        throw new Error(`${route.url} is an API route: register it in the API plugin (src/web/api/).`);
    });
    pages.addHook('onRequest', readSession);
    // After the text boundary (preValidation), so a login holding a NUL never reaches the database.
    pages.addHook('preHandler', followRenamedUsers(archive.db));
    pages.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
        return done();
      pages.csrfProtection(request, reply, done);
    });
    for (const registerPages of pageResources) registerPages(pages, dependencies);
  });
  await registerApi(app, dependencies);
  return app;
}
