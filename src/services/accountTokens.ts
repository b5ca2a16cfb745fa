import type { ExpressionBuilder, Kysely } from 'kysely';
import type { AccountTokenPurpose, Database } from '../db/schema.ts';
import { LINK_LIFETIME_MS } from '../domain/accountRules.ts';
import { countRequest } from './rateLimits.ts';
import { hashSecret, newSecret } from './users.ts';

// The links mailed to a member (password reset, email confirmation, email change) carry a 32-byte random
// secret; the database keeps only its SHA-256, so a leaked database opens no account. A link works once:
// using it deletes it in the same statement that finds it, so two requests with one link cannot both win.

/** What newSecret() makes: 43 base64url characters. Anything else is no link of ours, unread. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Makes a link's secret for one account; an earlier link for the same purpose stops working. */
export async function issueAccountToken(
  db: Kysely<Database>,
  userId: number,
  purpose: AccountTokenPurpose,
  newEmail: string | null = null,
): Promise<string> {
  const secret = newSecret();
  const now = Date.now();
  await db
    .deleteFrom('account_tokens')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('purpose', '=', purpose), eb('expires_at', '<=', new Date(now).toISOString())]))
    .execute();
  await db
    .insertInto('account_tokens')
    .values({
      user_id: userId,
      purpose,
      token_hash: hashSecret(secret),
      new_email: newEmail,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + LINK_LIFETIME_MS[purpose]).toISOString(),
    })
    .execute();
  return secret;
}

export interface AccountTokenUse {
  user_id: number;
  purpose: AccountTokenPurpose;
  new_email: string | null;
}

/** A working link with this secret, for one of these purposes; null when the secret is no link of ours. */
function liveToken(purposes: readonly AccountTokenPurpose[], secret: unknown) {
  if (typeof secret !== 'string' || !SECRET_SHAPE.test(secret)) return null;
  const tokenHash = hashSecret(secret);
  return (eb: ExpressionBuilder<Database, 'account_tokens'>) =>
    eb.and([
      eb('token_hash', '=', tokenHash),
      eb('purpose', 'in', purposes),
      eb('expires_at', '>', new Date().toISOString()),
    ]);
}

/** Whose link this is, without using it (to show the form it opens); null when it does not work. */
export async function peekAccountToken(
  db: Kysely<Database>,
  purposes: readonly AccountTokenPurpose[],
  secret: unknown,
): Promise<AccountTokenUse | null> {
  const live = liveToken(purposes, secret);
  if (!live) return null;
  const row = await db
    .selectFrom('account_tokens')
    .select(['user_id', 'purpose', 'new_email'])
    .where(live)
    .executeTakeFirst();
  return row ?? null;
}

/** Uses a link: deleted as it is read, so it works once. Null for an unknown, used or expired one. */
export async function useAccountToken(
  db: Kysely<Database>,
  purposes: readonly AccountTokenPurpose[],
  secret: unknown,
): Promise<AccountTokenUse | null> {
  const live = liveToken(purposes, secret);
  if (!live) return null;
  const row = await db
    .deleteFrom('account_tokens')
    .where(live)
    .returning(['user_id', 'purpose', 'new_email'])
    .executeTakeFirst();
  return row ?? null;
}

/** Links of these kinds stop working: a new password ends resets, a new address ends links sent to the old. */
export async function dropAccountTokens(
  db: Kysely<Database>,
  userId: number,
  purposes: readonly AccountTokenPurpose[],
): Promise<void> {
  await db
    .deleteFrom('account_tokens')
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .execute();
}

/** A limit on mail about one account, or null when the archive runs without limits. */
export type AccountMailLimit = { max: number; windowMs: number } | null;

/**
 * Counts one mail about an account against its limit, whoever asks for it, so that nobody can flood a
 * member's mailbox from many addresses. False when the account has had its share for now.
 */
export async function accountMailAllowed(
  db: Kysely<Database>,
  userId: number,
  limit: AccountMailLimit,
): Promise<boolean> {
  if (!limit) return true;
  const count = await countRequest(db, `account-mail:${userId}`, limit.windowMs);
  return count.current <= limit.max;
}
