import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2, { type HashOptions } from 'argon2';
import type { Kysely, Transaction } from 'kysely';
import { type PasswordHashing, type RegistrationMode, standardPasswordHashing } from '../config.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { accountKey, type SignUp, signUpSchema } from '../domain/accountRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { isOrphanAccountKey } from '../domain/orphanAccount.ts';
import type { Viewer } from '../domain/permissions.ts';
import { queueMail } from '../jobs/mail.ts';
import { AuthenticationError, ConflictError, ForbiddenError, ValidationError } from './errors.ts';
import type { ArchiveSite } from './workDocuments.ts';

const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60_000;

/** Tokens are random and shown once; only their hash is stored, so a leaked database leaks no logins. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

let hashing: HashOptions = { type: argon2.argon2id, ...standardPasswordHashing };
let unknownAccountHash: Promise<string> | undefined;

/** The cost of password hashes made from now on (config.passwordHashing); checking reads it from the hash. */
export function usePasswordHashing(cost: PasswordHashing): void {
  hashing = { type: argon2.argon2id, ...cost };
  unknownAccountHash = undefined;
}

export interface Registration {
  mode: RegistrationMode;
  invitationCode?: string;
  /** Accounts made by an administrator from the CLI skip the registration mode. */
  byAdministrator?: boolean;
  admin?: boolean;
  /** Where a sign-up came from; with it, the owner of an address someone tries to reuse is told by mail. */
  site?: ArchiveSite;
  /**
   * With it, the account waits for its address to be confirmed (it may log in but not post), and this
   * sends the link, in the transaction that makes the account.
   */
  awaitConfirmation?: (trx: Transaction<Database>, user: { id: number; email: string }) => Promise<void>;
}

/** Whether a name is some account's current name, or a former one still kept for its owner. */
async function usernameTaken(db: Kysely<Database>, key: string): Promise<boolean> {
  const held = await db
    .selectFrom('usernames')
    .select('user_id')
    .where('name_key', '=', key)
    .where((eb) =>
      eb.or([eb('reserved_until', 'is', null), eb('reserved_until', '>', new Date().toISOString())]),
    )
    .unionAll(db.selectFrom('users').select('id as user_id').where('username_key', '=', key))
    .executeTakeFirst();
  return held !== undefined;
}

/**
 * Claims a name for an account in `usernames`, whose key is the name: of two accounts claiming one name
 * at once (sign-ups, changes of username), the database lets one through. A former name whose four weeks
 * are over is given up first.
 */
export async function claimUsername(trx: Transaction<Database>, key: string, userId: number): Promise<void> {
  await trx
    .deleteFrom('usernames')
    .where('name_key', '=', key)
    .where((eb) => eb.or([eb('reserved_until', '<=', new Date().toISOString()), eb('user_id', '=', userId)]))
    .execute();
  await trx
    .insertInto('usernames')
    .values({ name_key: key, user_id: userId, reserved_until: null })
    .execute();
}

/** Tells an account's owner that someone tried to sign up with their address, and how to get back in. */
async function tellOwnerOfSignUpAttempt(db: Kysely<Database>, emailKey: string, site: ArchiveSite) {
  const owner = await db
    .selectFrom('users')
    .select(['username', 'email'])
    .where('email_key', '=', emailKey)
    .executeTakeFirst();
  if (!owner) return;
  await queueMail(db, {
    to: owner.email,
    subject: `Someone tried to sign up at ${site.name} with your address`,
    text:
      `Someone just tried to make a new account at ${site.name} with this email address, which already ` +
      `belongs to your account ${owner.username}. No new account was made.\n\n` +
      `If it was you, log in with your username or this address: ${site.origin}/users/login\n\n` +
      'If it was not you, there is nothing to do: your account is unchanged.\n',
  });
}

export async function registerUser(
  db: Kysely<Database>,
  input: unknown,
  registration: Registration,
): Promise<{ id: number; username: string }> {
  if (!registration.byAdministrator && registration.mode === 'closed') {
    throw new ForbiddenError('This archive is not accepting new accounts at the moment.');
  }
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('Please fix the account details.', fieldErrorsFrom(parsed.error));
  const account: SignUp = parsed.data;
  const passwordHash = await argon2.hash(account.password, hashing);
  const now = new Date().toISOString();

  return db
    .transaction()
    .execute(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select(['username_key', 'email_key'])
        .where((eb) =>
          eb.or([
            eb('username_key', '=', accountKey(account.username)),
            eb('email_key', '=', accountKey(account.email)),
          ]),
        )
        .execute();
      const fields: Record<string, string> = {};
      if (await usernameTaken(trx, accountKey(account.username))) fields.username = 'That username is taken.';
      if (taken.some((row) => row.email_key === accountKey(account.email)))
        fields.email = 'An account with that email already exists.';
      if (Object.keys(fields).length > 0) throw new ConflictError('That account already exists.', fields);

      let invitationId: number | undefined;
      if (!registration.byAdministrator && registration.mode === 'invite') {
        const code = registration.invitationCode?.trim() ?? '';
        const invitation = code
          ? await trx
              .selectFrom('invitations')
              .select('id')
              .where('code_hash', '=', hashSecret(code))
              .where('used_by', 'is', null)
              .executeTakeFirst()
          : undefined;
        if (!invitation) {
          throw new ValidationError('This archive needs an invitation to sign up.', {
            invitation: 'Enter a valid, unused invitation code.',
          });
        }
        invitationId = invitation.id;
      }

      const user = await trx
        .insertInto('users')
        .values({
          username: account.username,
          username_key: accountKey(account.username),
          email: account.email,
          email_key: accountKey(account.email),
          password_hash: passwordHash,
          is_admin: registration.admin ? 1 : 0,
          email_unconfirmed: registration.awaitConfirmation ? 1 : 0,
          created_at: now,
        })
        .returning(['id', 'username'])
        .executeTakeFirstOrThrow();
      await claimUsername(trx, accountKey(account.username), user.id);
      await trx
        .insertInto('pseuds')
        .values({
          user_id: user.id,
          name: account.username,
          name_key: accountKey(account.username),
          is_default: 1,
          created_at: now,
        })
        .execute();
      if (invitationId !== undefined) {
        await trx
          .updateTable('invitations')
          .set({ used_by: user.id, used_at: now })
          .where('id', '=', invitationId)
          .execute();
      }
      await registration.awaitConfirmation?.(trx, { id: user.id, email: account.email });
      return user;
    })
    .catch(async (error: unknown) => {
      // Someone took the name or address between the check and the insert: say which, as the check would.
      if (isUniqueViolation(error)) {
        const fields: Record<string, string> = {};
        if (await usernameTaken(db, accountKey(account.username)))
          fields.username = 'That username is taken.';
        const email = await db
          .selectFrom('users')
          .select('id')
          .where('email_key', '=', accountKey(account.email))
          .executeTakeFirst();
        if (email) fields.email = 'An account with that email already exists.';
        error = new ConflictError('That account already exists.', fields);
      }
      // Told after the failed transaction, so the mail is not rolled back with it.
      if (error instanceof ConflictError && error.fields.email && registration.site)
        await tellOwnerOfSignUpAttempt(db, accountKey(account.email), registration.site);
      throw error;
    });
}

/**
 * Accounts imported from eFiction arrive with its unsalted MD5 password hashes, stored with this prefix
 * until their owner's first successful log-in replaces them.
 */
export const LEGACY_MD5_PREFIX = 'legacy-md5:';

function legacyMd5Matches(storedHash: string, password: string): boolean {
  const expected = Buffer.from(storedHash.slice(LEGACY_MD5_PREFIX.length).toLowerCase(), 'utf8');
  const actual = Buffer.from(createHash('md5').update(password).digest('hex'), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function viewerOf(user: {
  id: number;
  username: string;
  is_admin: number;
  is_wrangler: number;
  is_moderator: number;
}): Viewer {
  const isAdmin = user.is_admin === 1;
  return {
    id: user.id,
    username: user.username,
    isAdmin,
    isWrangler: isAdmin || user.is_wrangler === 1,
    isModerator: isAdmin || user.is_moderator === 1,
  };
}

export async function authenticate(db: Kysely<Database>, login: unknown, password: unknown): Promise<Viewer> {
  if (typeof login !== 'string' || typeof password !== 'string' || login.trim() === '' || password === '') {
    throw new ValidationError('Enter your username (or email) and password.', {
      login: 'Enter your username or email.',
    });
  }
  // Verifying against a real hash of the same cost when the account is unknown keeps the answer time the
  // same either way. Made on the first log-in, not at start, so the CLI and tests need not pay for it.
  unknownAccountHash ??= argon2.hash('no account has this password', hashing);
  const key = accountKey(login);
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'is_admin', 'is_wrangler', 'is_moderator', 'password_hash'])
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .executeTakeFirst();
  if (user && isOrphanAccountKey(accountKey(user.username)))
    throw new AuthenticationError(
      'Nobody can log in as orphan_account: it holds works their creators gave up.',
    );
  const valid = user?.password_hash.startsWith(LEGACY_MD5_PREFIX)
    ? legacyMd5Matches(user.password_hash, password)
    : await argon2.verify(user?.password_hash ?? (await unknownAccountHash), password);
  if (!user || !valid) throw new AuthenticationError('The username or password is incorrect.');
  if (user.password_hash.startsWith(LEGACY_MD5_PREFIX)) {
    // Checked once, then replaced: an imported account never keeps its old archive's weak hash.
    const upgraded = await argon2.hash(password, hashing);
    await db.updateTable('users').set({ password_hash: upgraded }).where('id', '=', user.id).execute();
  }
  return viewerOf(user);
}

/** A new password's hash, at the archive's cost. */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashing);
}

/** Whether this is the account's password, for the changes that ask for it again. */
export async function passwordIsCurrent(
  db: Kysely<Database>,
  userId: number,
  password: string,
): Promise<boolean> {
  const user = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return false;
  if (user.password_hash.startsWith(LEGACY_MD5_PREFIX)) return legacyMd5Matches(user.password_hash, password);
  // An account made without a usable password (imports, orphan_account) has no argon2 hash to match.
  return argon2.verify(user.password_hash, password).catch(() => false);
}

/** Logs an account out everywhere but, when given, the session it is being changed from. */
export async function endSessions(db: Kysely<Database>, userId: number, keep?: string): Promise<void> {
  let sessions = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) sessions = sessions.where('token_hash', '!=', hashSecret(keep));
  await sessions.execute();
}

export async function startSession(db: Kysely<Database>, userId: number): Promise<string> {
  const token = newSecret();
  const now = Date.now();
  // Logging in is a natural moment to forget this reader's sessions that have run out.
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('expires_at', '<', new Date(now).toISOString())
    .execute();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashSecret(token),
      user_id: userId,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + SESSION_LIFETIME_MS).toISOString(),
    })
    .execute();
  return token;
}

export async function viewerForSession(db: Kysely<Database>, token: string): Promise<Viewer | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.username',
      'users.is_admin',
      'users.is_wrangler',
      'users.is_moderator',
      'sessions.expires_at',
    ])
    .where('sessions.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row || row.expires_at < new Date().toISOString()) return null;
  return viewerOf(row);
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashSecret(token)).execute();
}

/** An invitation code for `invite` registration mode; shown once, stored hashed. */
export async function createInvitation(db: Kysely<Database>, createdBy: number | null): Promise<string> {
  const code = newSecret().slice(0, 20);
  await db
    .insertInto('invitations')
    .values({
      code_hash: hashSecret(code),
      created_by: createdBy,
      used_by: null,
      created_at: new Date().toISOString(),
      used_at: null,
    })
    .execute();
  return code;
}

export async function findUserByLogin(db: Kysely<Database>, login: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'created_at'])
    .where('username_key', '=', accountKey(login))
    .executeTakeFirst();
}
