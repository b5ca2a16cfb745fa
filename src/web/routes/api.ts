import type { FastifyRequest } from 'fastify';
import { AuthenticationError, ValidationError } from '../../services/errors.ts';

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
