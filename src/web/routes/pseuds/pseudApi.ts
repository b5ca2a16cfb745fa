import { ValidationError } from '../../../services/errors.ts';
import { ICON_LIMITS, removePseudIcon, setPseudIcon } from '../../../services/pseudIcons.ts';
import { createPseud, deletePseud, listPseuds, ownPseud, updatePseud } from '../../../services/pseuds.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  recordId,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { loginParams } from '../profiles/profileSchemas.ts';
import {
  ICON_UPLOAD_DESCRIPTION,
  newPseudBody,
  pseudChangeBody,
  pseudJson,
  pseudListSchema,
  pseudSchema,
} from './pseudSchemas.ts';

export function registerPseudApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/users/:login/pseuds',
    {
      schema: {
        summary: 'A user’s pseuds, the default first',
        params: loginParams,
        response: { 200: pseudListSchema, ...refusals(404) },
      },
    },
    async (request) => {
      const { pseuds } = await listPseuds(db, request.params.login);
      const origin = archiveSite(config, request).origin;
      return { pseuds: pseuds.map((pseud) => pseudJson(pseud, origin)) };
    },
  );

  api.post(
    '/pseuds',
    {
      schema: {
        summary: 'Add a pseud to your account',
        security: tokenSecurity,
        body: newPseudBody,
        response: { 201: pseudSchema, ...refusals(400, 401, 409) },
      },
    },
    async (request, reply) => {
      const pseud = await createPseud(db, requireToken(request), request.body);
      return reply.status(201).send(pseudJson(pseud, archiveSite(config, request).origin));
    },
  );

  api.patch(
    '/pseuds/:id',
    {
      schema: {
        summary: 'Rename or describe one of your pseuds, or make it your default (the fields sent change)',
        security: tokenSecurity,
        params: idParams,
        body: pseudChangeBody,
        response: { 200: pseudSchema, ...refusals(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const pseud = await updatePseud(db, requireToken(request), request.params.id, request.body);
      return pseudJson(pseud, archiveSite(config, request).origin);
    },
  );

  api.delete(
    '/pseuds/:id',
    {
      schema: {
        summary:
          'Delete one of your pseuds (not the default): its works, comments and bookmarks move to the default',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deletePseud(db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // The image arrives as the body itself: a parser of its own, in a scope of its own, with the icon's limit.
  api.register(async (scope) => {
    const icons = scope.withTypeProvider() as ApiApp;
    // Whatever type the client names (the bytes decide what the image is), JSON and forms included.
    icons.removeAllContentTypeParsers();
    icons.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: ICON_LIMITS.maxFileBytes },
      (_request, body, done) => done(null, body),
    );

    icons.put(
      '/pseuds/:id/icon',
      {
        schema: {
          summary: 'Set one of your pseuds’ icon',
          description: ICON_UPLOAD_DESCRIPTION,
          security: tokenSecurity,
          params: idParams,
          response: { 200: pseudSchema, ...refusals(400, 401, 403, 404) },
        },
        // Only the pseud's owner may send an image at all: anyone else is answered before it is read.
        onRequest: async (request) => {
          const id = recordId.safeParse((request.params as Record<string, unknown>).id);
          if (id.success) await ownPseud(db, request.viewer, id.data);
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body)) throw new ValidationError(ICON_UPLOAD_DESCRIPTION);
        const pseud = await setPseudIcon(db, requireToken(request), request.params.id, request.body);
        return pseudJson(pseud, archiveSite(config, request).origin);
      },
    );
  });

  api.delete(
    '/pseuds/:id/icon',
    {
      schema: {
        summary: 'Remove one of your pseuds’ icon',
        security: tokenSecurity,
        params: idParams,
        response: { 200: pseudSchema, ...refusals(401, 403, 404) },
      },
    },
    async (request) => {
      const pseud = await removePseudIcon(db, requireToken(request), request.params.id);
      return pseudJson(pseud, archiveSite(config, request).origin);
    },
  );
}
