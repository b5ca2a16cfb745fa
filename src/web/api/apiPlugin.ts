import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { apiTokenHolder } from '../../services/apiTokens.ts';
import { ForbiddenError, NotFoundError } from '../../services/errors.ts';
import type { WebDependencies } from '../context.ts';
import { sendJsonError } from '../errors.tsx';
import { type ApiApp, refusals, requireToken, tokenSecurity } from './apiContract.ts';
import { apiResources } from './apiResources.ts';

export const API_PREFIX = '/api/v1';

/** What a read-only token may send. */
const READING_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the OpenAPI document says of the API as a whole; the paths come from the routes themselves. */
const apiDescription = {
  openapi: '3.1.0',
  info: {
    title: 'Quire API',
    version: '1',
    description:
      'Everything a page of the archive can do, as JSON. Write calls take `Authorization: Bearer TOKEN` ' +
      '(POST /tokens makes one, as does the /tokens page). A read-only token is refused (403) on every call ' +
      'but GET. Refusals are `{"error": {"code", "message", "fields"?}}` with a 4xx status.',
  },
  servers: [{ url: API_PREFIX }],
  components: {
    securitySchemes: { token: { type: 'http' as const, scheme: 'bearer' } },
  },
};

/**
 * The JSON API as one encapsulated plugin under /api/v1: it answers to API tokens alone (a session
 * cookie there would let other sites act for the reader, so there is no CSRF to check either), and
 * every route declares its contract in zod, from which the OpenAPI document is generated.
 */
export async function registerApi(app: FastifyInstance, dependencies: WebDependencies): Promise<void> {
  await app.register(
    async (plain) => {
      const api = plain.withTypeProvider() as ApiApp;
      api.setValidatorCompiler(validatorCompiler);
      api.setSerializerCompiler(serializerCompiler);
      await api.register(fastifySwagger, {
        openapi: apiDescription,
        transform: (route) => {
          const described = jsonSchemaTransform(route);
          return { ...described, url: described.url.slice(API_PREFIX.length) || '/' };
        },
        transformObject: jsonSchemaTransformObject,
      });

      // A route without a declared answer would be served undocumented and unchecked: refuse to start.
      api.addHook('onRoute', (route) => {
        if (!route.schema?.response && !route.schema?.hide)
          throw new Error(`${route.method} ${route.url} must declare its answers (schema.response).`);
        // Any call but a read may meet a read-only token, which the onRequest hook below refuses.
        const response = route.schema?.response as Record<string, unknown> | undefined;
        if (response && ![route.method].flat().every((method) => READING_METHODS.has(method)))
          route.schema!.response = { ...refusals(403), ...response };
        // Declaring `security: tokenSecurity` both documents the token and demands it, before the body
        // is read, so a caller without one hears 401 rather than what is wrong with the body.
        if (route.schema?.security === tokenSecurity)
          route.onRequest = [
            ...[route.onRequest ?? []].flat(),
            async (request) => void requireToken(request),
          ];
      });
      api.setErrorHandler(sendJsonError);
      api.setNotFoundHandler((request, reply) =>
        sendJsonError(
          new NotFoundError('There is no API call at this address; /api/v1/openapi.json lists them all.'),
          request,
          reply,
        ),
      );
      api.addHook('onRequest', async (request) => {
        const token = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
        const holder = token ? await apiTokenHolder(dependencies.archive.db, token) : null;
        request.viewer = holder?.viewer ?? null;
        // The one place a token's scope is enforced, before any route sees the request.
        if (holder?.scope === 'read-only' && !READING_METHODS.has(request.method))
          throw new ForbiddenError(
            `This API token is read-only, so it can only read (GET). Make a read-write token at /tokens to ${request.method} here.`,
          );
      });

      api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger());
      for (const registerResource of apiResources) registerResource(api, dependencies);
    },
    { prefix: API_PREFIX },
  );
}
