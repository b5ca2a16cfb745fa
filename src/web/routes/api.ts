import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseWorkQuery } from '../../search/queryParams.ts';
import { addChapter, deleteChapter, readChapters, updateChapter } from '../../services/chapters.ts';
import { AuthenticationError, ValidationError } from '../../services/errors.ts';
import { authenticate, createApiToken, registerUser } from '../../services/users.ts';
import { findWorks } from '../../services/workFinder.ts';
import { createWork, deleteWork, getWork, updateWork, workForEditing } from '../../services/works.ts';
import { chapterJson, facetsJson, workDetailJson, workJson } from '../apiViews.ts';
import { archiveSite, routeId, type WebDependencies } from '../context.ts';
import { openApiDocument } from '../openApi.ts';
import { limitedRoute } from '../rateLimits.ts';

type JsonObject = Record<string, unknown>;

export function jsonBody(request: FastifyRequest): JsonObject {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('Send a JSON object as the request body (Content-Type: application/json).');
  }
  return body as JsonObject;
}

export function requireToken(request: FastifyRequest) {
  if (!request.viewer) {
    throw new AuthenticationError(
      'This needs an API token: send Authorization: Bearer TOKEN (POST /api/v1/tokens makes one).',
    );
  }
  return request.viewer;
}

export function registerApiRoutes(app: FastifyInstance, { config, archive, search }: WebDependencies): void {
  const db = archive.db;
  const origin = (request: FastifyRequest) => archiveSite(config, request).origin;

  app.get('/api/v1/openapi.json', async (request) => openApiDocument(origin(request)));

  app.post(
    '/api/v1/users',
    limitedRoute(config, 'signup', config.rateLimits.signup),
    async (request, reply) => {
      const body = jsonBody(request);
      const user = await registerUser(db, body, {
        mode: config.registration,
        invitationCode: typeof body.invitation === 'string' ? body.invitation : undefined,
      });
      return reply.status(201).send({ id: user.id, username: user.username });
    },
  );

  app.post(
    '/api/v1/tokens',
    limitedRoute(config, 'login', config.rateLimits.login),
    async (request, reply) => {
      const body = jsonBody(request);
      const viewer = await authenticate(db, body.username ?? body.login, body.password);
      const token = await createApiToken(
        db,
        viewer.id,
        typeof body.name === 'string' ? body.name : 'API token',
      );
      return reply.status(201).send({ token });
    },
  );

  app.get('/api/v1/works', async (request) => {
    const params = request.query as Record<string, unknown>;
    const { query, problems } = parseWorkQuery(params);
    // Pages carry on without what they cannot use; a program is told, so it can fix its request. A client
    // still counting pages would otherwise be given the first page again and again.
    if (params.page !== undefined)
      problems.page = 'Pages are reached by cursor: send the next_cursor you got.';
    if (Object.keys(problems).length > 0) {
      throw new ValidationError('Some query parameters could not be used.', problems);
    }
    const found = await findWorks(db, search, request.viewer, query, {}, { snippets: false });
    return {
      works: found.works.map(({ work }) => workJson(work, origin(request))),
      next_cursor: found.nextCursor,
      total: found.total,
      facets: facetsJson(found.facets),
      unknown_tags: found.unknownTags,
    };
  });

  app.post('/api/v1/works', async (request, reply) => {
    const viewer = requireToken(request);
    const body = jsonBody(request);
    if (!Array.isArray(body.chapters)) {
      throw new ValidationError('Please fix the work details.', {
        chapters: 'Send chapters as a list of {title?, body, format?}.',
      });
    }
    const work = await createWork(db, viewer, body, body.chapters, {
      announceAt: archiveSite(config, request),
    });
    const detail = await getWork(db, viewer, work.id);
    return reply.status(201).send(workDetailJson(detail, origin(request)));
  });

  app.get('/api/v1/works/:id', async (request) =>
    workDetailJson(await getWork(db, request.viewer, routeId(request)), origin(request)),
  );

  app.patch('/api/v1/works/:id', async (request) => {
    const viewer = requireToken(request);
    const workId = routeId(request);
    const current = await workForEditing(db, viewer, workId);
    // PATCH changes what is sent and keeps the rest as it is.
    const merged = {
      title: current.title,
      summary: current.summary,
      notes: current.notes,
      end_notes: current.endNotes,
      rating: current.rating,
      warnings: current.warnings,
      categories: current.categories,
      fandoms: current.fandoms,
      relationships: current.relationships,
      characters: current.characters,
      freeforms: current.freeforms,
      language: current.language,
      expected_chapters: current.expectedChapters,
      complete: current.complete,
      restricted: current.restricted,
      comment_policy: current.commentPolicy,
      moderate_comments: current.moderateComments,
      draft: current.draft,
      ...jsonBody(request),
    };
    await updateWork(db, viewer, workId, merged, archiveSite(config, request));
    return workDetailJson(await getWork(db, viewer, workId), origin(request));
  });

  app.delete('/api/v1/works/:id', async (request, reply) => {
    await deleteWork(db, requireToken(request), routeId(request));
    return reply.status(204).send();
  });

  app.get('/api/v1/works/:id/chapters/:chapterId', async (request) => {
    const workId = routeId(request);
    const { chapters } = await readChapters(db, request.viewer, workId, routeId(request, 'chapterId'));
    return chapterJson(workId, chapters[0], origin(request));
  });

  app.post('/api/v1/works/:id/chapters', async (request, reply) => {
    const viewer = requireToken(request);
    const workId = routeId(request);
    const chapter = await addChapter(db, viewer, workId, jsonBody(request), archiveSite(config, request));
    const { chapters } = await readChapters(db, viewer, workId, chapter.id);
    return reply.status(201).send(chapterJson(workId, chapters[0], origin(request)));
  });

  app.patch('/api/v1/works/:id/chapters/:chapterId', async (request) => {
    const viewer = requireToken(request);
    const workId = routeId(request);
    const chapterId = routeId(request, 'chapterId');
    await workForEditing(db, viewer, workId);
    const [current] = (await readChapters(db, viewer, workId, chapterId)).chapters;
    const merged = {
      title: current.title,
      summary: current.summary,
      notes: current.notes,
      end_notes: current.endNotes,
      body: current.body,
      format: 'html',
      ...jsonBody(request),
    };
    await updateChapter(db, viewer, workId, chapterId, merged);
    const [updated] = (await readChapters(db, viewer, workId, chapterId)).chapters;
    return chapterJson(workId, updated, origin(request));
  });

  app.delete('/api/v1/works/:id/chapters/:chapterId', async (request, reply) => {
    await deleteChapter(db, requireToken(request), routeId(request), routeId(request, 'chapterId'));
    return reply.status(204).send();
  });
}
