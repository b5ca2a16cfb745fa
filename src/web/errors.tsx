import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { QuireConfig } from '../config.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceError,
  ValidationError,
} from '../services/errors.ts';
import { noSuchPage, pageContext } from './context.ts';
import { ErrorPage } from './views/ErrorPage.tsx';
import { sendPage } from './views/render.tsx';

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_CSRF_INVALID_TOKEN:
    'This form has expired or did not come from this archive. Go back, reload the page and try again.',
  FST_CSRF_MISSING_SECRET:
    'This form has expired or did not come from this archive. Go back, reload the page and try again.',
  FST_ERR_CTP_BODY_TOO_LARGE:
    'What you sent is larger than the archive accepts (8 MB). A chapter can hold 500,000 characters.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send forms as application/x-www-form-urlencoded and API requests as JSON.',
  FST_REQ_FILE_TOO_LARGE: 'A file is larger than the 20 MB an upload may be.',
  FST_FILES_LIMIT: 'That is more files than one upload may hold (20).',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object.',
};

const CONTRACT_MESSAGES: Record<string, string> = {
  body: 'Please fix the fields named below.',
  querystring: 'Some query parameters could not be used.',
};

/**
 * A request that does not match its route's declared contract, in the shape of the service's own
 * refusals: one message per field. A path parameter that cannot be an id names nothing, so it is a 404.
 */
function contractError(
  error: FastifyError & { validation: { instancePath: string; message?: string }[] },
): ServiceError {
  const context = error.validationContext ?? 'body';
  if (context === 'params') return noSuchPage();
  const fields: Record<string, string> = {};
  for (const problem of error.validation) {
    // Named as a reader of the request would write it: chapters[0].body.
    const field = problem.instancePath
      .split('/')
      .filter(Boolean)
      .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
      .join('');
    if (field === '' && context === 'body')
      return new ValidationError('Send a JSON object as the request body (Content-Type: application/json).');
    fields[field || 'base'] ??= problem.message ?? 'This value cannot be used.';
  }
  return new ValidationError(CONTRACT_MESSAGES[context] ?? 'The request could not be used.', fields);
}

/** One mapping from whatever went wrong to what the reader is told. */
export function describeError(error: unknown): ErrorAnswer {
  if (hasZodFastifySchemaValidationErrors(error)) return describeError(contractError(error));
  if (error instanceof ServiceError) {
    const status =
      error instanceof ValidationError
        ? 400
        : error instanceof AuthenticationError
          ? 401
          : error instanceof ForbiddenError
            ? 403
            : error instanceof NotFoundError
              ? 404
              : error instanceof ConflictError
                ? 409
                : 400;
    const fields =
      error instanceof ValidationError || error instanceof ConflictError ? error.fields : undefined;
    return {
      status,
      code: error.code,
      message: error.message,
      ...(fields && Object.keys(fields).length > 0 ? { fields } : {}),
    };
  }
  const framework = error as FastifyError;
  const status = framework.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    if (
      framework.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (framework instanceof SyntaxError && status === 400)
    ) {
      return { status, code: 'invalid_json', message: 'The request body is not valid JSON.' };
    }
    const message = FRAMEWORK_MESSAGES[framework.code] ?? framework.message;
    const code =
      status === 429
        ? 'rate_limited'
        : status === 413
          ? 'too_large'
          : status === 403
            ? 'forbidden'
            : 'bad_request';
    return { status, code, message };
  }
  return {
    status: 500,
    code: 'internal',
    message: 'Something went wrong on our side. Nothing you sent was lost; please try again.',
  };
}

/** Health checks, and page scripts that ask for JSON first (`accept: application/json`). */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url === '/healthz' || /^application\/json\b/i.test(request.headers.accept ?? '');
}

/** What the reader is told, with the failures that are ours (not the request's) logged. */
function answerFor(error: unknown, request: FastifyRequest): ErrorAnswer {
  const answer = describeError(error);
  if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
  return answer;
}

/** A refusal as JSON: `{error: {code, message, fields?}}` with its 4xx status (the API's only error shape). */
export function sendJsonError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, ...body } = answerFor(error, request);
  return reply.status(status).send({ error: body });
}

export function handleError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  config: QuireConfig,
) {
  if (wantsJson(request)) return sendJsonError(error, request, reply);
  const answer = answerFor(error, request);
  return sendPage(
    reply,
    <ErrorPage
      context={pageContext(request, reply, config)}
      status={answer.status}
      message={answer.message}
      code={answer.code}
    />,
    answer.status,
  );
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply, config: QuireConfig) {
  return handleError(noSuchPage(), request, reply, config);
}
