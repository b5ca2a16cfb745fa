import { createApiToken, listApiTokens, revokeApiToken } from '../../../services/apiTokens.ts';
import { authenticate } from '../../../services/users.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { apiTokenJson, apiTokenListSchema, newApiTokenAnswer, newApiTokenBody } from './tokenSchemas.ts';

export function registerTokenApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/tokens',
    {
      schema: {
        summary: 'Your API tokens, newest first (never their secrets)',
        security: tokenSecurity,
        response: { 200: apiTokenListSchema, ...refusals(401) },
      },
    },
    async (request) => ({ tokens: (await listApiTokens(db, requireToken(request).id)).map(apiTokenJson) }),
  );

  api.post(
    '/tokens',
    {
      // Limited as logging in is, since without a token it is a password check.
      ...limitedRoute(config, 'login', config.rateLimits.login),
      schema: {
        summary: 'Make an API token, with a read-write token or a username and password',
        body: newApiTokenBody,
        response: { 201: newApiTokenAnswer, ...refusals(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { username, login, password, ...fields } = request.body;
      // A read-only token never gets this far: the API refuses it on every call but GET.
      const viewer = request.viewer ?? (await authenticate(db, username ?? login, password));
      const { secret, ...token } = await createApiToken(db, viewer.id, fields);
      return reply.status(201).send({ ...apiTokenJson(token), token: secret });
    },
  );

  api.delete(
    '/tokens/:id',
    {
      schema: {
        summary: 'Revoke one of your API tokens; it is refused from the next request on',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeApiToken(db, requireToken(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
