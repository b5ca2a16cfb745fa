import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ApiTokenScope, Database } from '../db/schema.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import type { Viewer } from '../domain/permissions.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { hashSecret, newSecret, viewerOf } from './users.ts';

// API tokens: shown once when made, stored only as a hash, each with its owner's name for it and a
// scope. Every API request looks its token up in the database, so a revocation holds on every app
// instance from the next request on; nothing caches a token.

export const API_TOKEN_SCOPES = ['read-only', 'read-write'] as const satisfies readonly ApiTokenScope[];

/** A token's last use is remembered to the minute: reads do not each become a write. */
const LAST_USE_PRECISION_MS = 60_000;

export const newApiTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .max(100, 'Keep the name to 100 characters.')
    .optional()
    .transform((name) => name || 'API token'),
  scope: z
    .enum(API_TOKEN_SCOPES, { error: 'Choose read-only or read-write.' })
    .optional()
    .transform((scope) => scope ?? 'read-write'),
});

export interface ApiTokenEntry {
  id: number;
  name: string;
  scope: ApiTokenScope;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface NewApiToken extends ApiTokenEntry {
  /** The token itself, shown this once: only its hash is kept. */
  secret: string;
}

export async function createApiToken(
  db: Kysely<Database>,
  userId: number,
  input: unknown,
): Promise<NewApiToken> {
  const parsed = newApiTokenSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ValidationError('Please fix the token’s details.', fieldErrorsFrom(parsed.error));
  const { name, scope } = parsed.data;
  const secret = newSecret('quire_');
  const createdAt = new Date().toISOString();
  const { id } = await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name,
      scope,
      token_hash: hashSecret(secret),
      created_at: createdAt,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, name, scope, createdAt, lastUsedAt: null, secret };
}

/** A user's tokens, newest first. */
export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenEntry[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scope', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  }));
}

/** Revokes one of the user's tokens; another user's token is as unknown to them as a missing one. */
export async function revokeApiToken(db: Kysely<Database>, userId: number, tokenId: number): Promise<string> {
  const revoked = await db
    .deleteFrom('api_tokens')
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .returning('name')
    .executeTakeFirst();
  if (!revoked)
    throw new NotFoundError('You have no API token with that id; it may have been revoked already.');
  return revoked.name;
}

export interface TokenHolder {
  viewer: Viewer;
  scope: ApiTokenScope;
}

/** Who sends a token, and what it lets them do; null for a token that is unknown or revoked. */
export async function apiTokenHolder(db: Kysely<Database>, secret: string): Promise<TokenHolder | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'users.id',
      'users.username',
      'users.is_admin',
      'users.is_wrangler',
      'users.is_moderator',
      'api_tokens.id as token_id',
      'api_tokens.scope',
      'api_tokens.last_used_at',
    ])
    .where('api_tokens.token_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  if (!row.last_used_at || Date.parse(row.last_used_at) <= now - LAST_USE_PRECISION_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', row.token_id)
      .execute();
  }
  return { viewer: viewerOf(row), scope: row.scope };
}
