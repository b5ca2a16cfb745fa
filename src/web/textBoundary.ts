import qs from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasUnpairedSurrogate, normaliseText, normaliseTextsIn } from '../domain/textNormalisation.ts';
import { ValidationError } from '../services/errors.ts';

// Every request's text (path parameters, query string, form or JSON body, pages and API alike) is
// normalised once, before any route or contract sees it, so both databases store the same thing and a
// NUL never reaches PostgreSQL. Uploaded files are bytes and stay as sent: the importers normalise what
// they read from them.

// Passwords are never stored or shown, only compared as typed: normalising them would lock out whoever
// chose one with a control character or a decomposed letter before.
const VERBATIM_FIELDS = new Set(['password']);

function fieldText(text: string, field: string): string {
  if (hasUnpairedSurrogate(text)) {
    const message = `“${field || 'The request'}” holds text that is not valid Unicode (half of a surrogate pair, or bytes that are not UTF-8); type or paste it again.`;
    throw new ValidationError(message, { [field || 'base']: message });
  }
  return normaliseText(text);
}

function bodyText(text: string, field: string): string {
  return VERBATIM_FIELDS.has(field) ? text : fieldText(text, field);
}

export async function normaliseRequestText(request: FastifyRequest): Promise<void> {
  request.params = normaliseTextsIn(request.params, fieldText);
  request.query = normaliseTextsIn(request.query, fieldText);
  if (!request.isMultipart()) request.body = normaliseTextsIn(request.body, bodyText);
}

/** After the body is parsed and before any contract is checked, for every route and the not-found answer. */
export function registerTextBoundary(app: FastifyInstance): void {
  app.addHook('preValidation', normaliseRequestText);
}

/**
 * A form's percent-escapes, with bytes that are not UTF-8 kept as lone surrogates (U+DC80–U+DCFF, as
 * Python's surrogateescape does) rather than silently turned into U+FFFD, so the boundary can refuse them
 * and name the field.
 */
function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        const bytes = run.slice(1).split('%');
        return bytes.map((hex) => String.fromCharCode(0xdc00 + Number.parseInt(hex, 16))).join('');
      }
    });
  }
}

/** Form bodies, with repeated fields (checkbox groups) as arrays, as Node's own parser gives them. */
export function parseFormBody(body: string): qs.ParsedUrlQuery {
  return qs.parse(body, '&', '=', { decodeURIComponent: decodeFormComponent });
}
