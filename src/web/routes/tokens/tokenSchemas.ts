import { z } from 'zod';
import { API_TOKEN_SCOPES, type ApiTokenEntry } from '../../../services/apiTokens.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shapes of API tokens in API v1. A token's secret appears in one answer only: the one that
// made it.

const scopeSchema = z.enum(API_TOKEN_SCOPES).meta({
  description: 'read-only: GET calls only (anything else is refused with 403); read-write: everything',
});

export const apiTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string().meta({ description: 'What the token is for, as its owner named it' }),
    scope: scopeSchema,
    created_at: isoTime,
    last_used_at: isoTime.nullable().meta({ description: 'To the minute; null if never used' }),
  })
  .meta({ id: 'ApiToken' });

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) });

export const newApiTokenAnswer = apiTokenSchema.extend({
  token: z
    .string()
    .meta({ description: 'The secret to send as `Authorization: Bearer …`; shown only this once' }),
});

export const newApiTokenBody = z
  .object({
    name: z.string().max(100).optional().meta({ description: 'What the token is for, shown at /tokens' }),
    scope: z.enum(API_TOKEN_SCOPES).optional().meta({ description: 'read-only or read-write (the default)' }),
    username: z.string().optional().meta({ description: 'Without a token: the username or email address' }),
    login: z.string().optional().meta({ description: 'Another name for username' }),
    password: z.string().optional().meta({ description: 'Without a token: the account’s password' }),
  })
  .meta({
    description:
      'Either send a read-write token (`Authorization: Bearer …`) to make another token for its account, ' +
      'or log in with a username (or email) and password',
  });

export function apiTokenJson(token: ApiTokenEntry): z.infer<typeof apiTokenSchema> {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope,
    created_at: token.createdAt,
    last_used_at: token.lastUsedAt,
  };
}
