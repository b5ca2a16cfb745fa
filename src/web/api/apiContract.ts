import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Viewer } from '../../domain/permissions.ts';
import { AuthenticationError } from '../../services/errors.ts';

// The pieces every /api/v1 route declares its contract with. Routes describe params, query, body and
// answers as zod schemas; Fastify validates requests and answers with them and @fastify/swagger turns
// them into the OpenAPI document, so the contract is written once.

/** The API's encapsulated Fastify instance: request types come from each route's zod schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Every refusal: what went wrong in a sentence, a stable code, and the fields at fault. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .meta({ description: 'invalid_input, unauthenticated, forbidden, not_found, conflict, …' }),
      message: z.string(),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: 'One message per request field that could not be used' }),
    }),
  })
  .meta({ id: 'Error' });

type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 429;

/** The refusals a route can answer with, each in the one error shape. */
export function refusals<const Status extends RefusalStatus>(...statuses: Status[]) {
  return Object.fromEntries(statuses.map((status) => [status, apiErrorSchema])) as Record<
    Status,
    typeof apiErrorSchema
  >;
}

/** A row id in a path: a positive integer. Anything else names nothing, so it answers 404. */
export const recordId = z.coerce
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .meta({ description: 'A positive id' });

export const idParams = z.object({ id: recordId });

/** A 204 answer: nothing to say. */
export const noContent = z.null().meta({ description: 'Done; no body' });

/** Marks an operation as needing `Authorization: Bearer TOKEN`. */
export const tokenSecurity = [{ token: [] }];

export function requireToken(request: FastifyRequest): Viewer {
  if (!request.viewer) {
    throw new AuthenticationError(
      'This needs an API token: send Authorization: Bearer TOKEN (POST /api/v1/tokens makes one).',
    );
  }
  return request.viewer;
}

/**
 * A listing's page number, from 1. Anything that is not a page number shows the first page, as on the
 * pages, so a stale or hand-typed link never fails.
 */
export function pageParameter(description = 'The page to show, from 1 (anything else shows the first)') {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(99_999)
    .optional()
    .catch(undefined)
    .transform((page) => page ?? 1)
    .meta({ description });
}

/** The place of one page in a paged list, beside the page's items. */
export const pagePosition = { page: z.number().int(), pages: z.number().int() };

/** An ISO 8601 moment, as every timestamp in the API is written. */
export const isoTime = z.string().meta({ format: 'date-time' });
