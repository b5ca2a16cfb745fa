import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { isUniqueViolation } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import {
  accountKey,
  emailChangeSchema,
  FORMER_USERNAME_KEPT_MS,
  passwordChangeSchema,
  USERNAME_CHANGE_INTERVAL_MS,
  usernameChangeSchema,
} from '../domain/accountRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import type { Viewer } from '../domain/permissions.ts';
import { queueMail } from '../jobs/mail.ts';
import {
  type AccountMailLimit,
  accountMailAllowed,
  dropAccountTokens,
  issueAccountToken,
} from './accountTokens.ts';
import { confirmationLink, TooManyAccountMailsError } from './emailConfirmation.ts';
import { AuthenticationError, ConflictError, ForbiddenError, ValidationError } from './errors.ts';
import { claimUsername, endSessions, hashPassword, passwordIsCurrent } from './users.ts';
import type { ArchiveSite } from './workDocuments.ts';
import { writeWorkSearchTexts } from './workSearchTexts.ts';

// A member changes their own password, email address or username, always giving their current password
// again, so a session left open on a shared computer is not enough to take the account over.

/** The account's owner, having given the right current password; the input parsed by `schema`. */
async function ownerWithPassword<Schema extends z.ZodType<{ current_password: string }>>(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
  schema: Schema,
  input: unknown,
): Promise<z.infer<Schema>> {
  if (!viewer) throw new AuthenticationError('Log in to change your account.');
  if (viewer.id !== userId) throw new ForbiddenError('Only its owner can change an account.');
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('Please fix the fields named below.', fieldErrorsFrom(parsed.error));
  if (!(await passwordIsCurrent(db, userId, parsed.data.current_password)))
    throw new ValidationError('Your current password is not right, so nothing was changed.', {
      current_password: 'This is not your current password.',
    });
  return parsed.data;
}

/**
 * A new password. Every other session of the account ends (`keepSession` is the one it was changed
 * from, if it was changed from a page); API tokens stay, and links to reset the password stop working.
 */
export async function changePassword(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
  input: unknown,
  keepSession?: string,
): Promise<void> {
  const { password } = await ownerWithPassword(db, viewer, userId, passwordChangeSchema, input);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    await endSessions(trx, userId, keepSession);
    await dropAccountTokens(trx, userId, ['password_reset']);
  });
}

/**
 * Asks to move the account to a new address: a link goes there, and the change happens only when it is
 * followed (emailConfirmation.ts). The old address is told at once, so an owner whose session was taken
 * hears of it. Whether the new address already has an account is not said here: its owner is told instead.
 */
export async function requestEmailChange(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
  input: unknown,
  site: ArchiveSite,
  limit: AccountMailLimit,
): Promise<{ email: string }> {
  const { email } = await ownerWithPassword(db, viewer, userId, emailChangeSchema, input);
  const user = await db
    .selectFrom('users')
    .select(['username', 'email', 'email_key'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.email_key === accountKey(email))
    throw new ValidationError('That is already your address.', { email: 'Enter a different address.' });
  if (!(await accountMailAllowed(db, userId, limit))) throw new TooManyAccountMailsError();
  const holder = await db
    .selectFrom('users')
    .select('username')
    .where('email_key', '=', accountKey(email))
    .executeTakeFirst();
  await db.transaction().execute(async (trx) => {
    if (holder) {
      await queueMail(trx, {
        to: email,
        subject: `Someone asked to move an account at ${site.name} to your address`,
        text:
          `Someone asked to move another account at ${site.name} to this email address, which already ` +
          `belongs to your account ${holder.username}. Nothing was changed.\n`,
      });
    } else {
      const secret = await issueAccountToken(trx, userId, 'email_change', email);
      await queueMail(trx, {
        to: email,
        subject: `Confirm your new email address at ${site.name}`,
        text:
          `The account ${user.username} at ${site.name} asked to use this address from now on.\n\n` +
          `Follow this link to confirm it (it works once, for 24 hours):\n${confirmationLink(site, secret)}\n\n` +
          'If you did not ask for this, ignore this mail: nothing changes.\n',
      });
    }
    await queueMail(trx, {
      to: user.email,
      subject: `Your email address at ${site.name} is being changed`,
      text:
        `Someone logged in as ${user.username} at ${site.name} asked to change the account's email address ` +
        `to ${email}. It changes when the link sent there is followed.\n\n` +
        `If this was not you, change your password now: ${site.origin}/users/password/new\n`,
    });
  });
  return { email };
}

/** When an account may next change its username (null: now). */
function nextUsernameChange(changedAt: string | null, now: number): Date | null {
  if (!changedAt) return null;
  const next = new Date(changedAt).getTime() + USERNAME_CHANGE_INTERVAL_MS;
  return next > now ? new Date(next) : null;
}

/**
 * A new username, at most once a week. The old one keeps leading to the account for four weeks (see
 * currentUsername) and nobody else may take it meanwhile; the pseud named after the old login is renamed
 * with it, as on AO3. Both names are claimed in `usernames`, so a sign-up for either at the same moment
 * loses to this change or wins outright, never both.
 */
export async function changeUsername(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
  input: unknown,
): Promise<{ username: string }> {
  const { username } = await ownerWithPassword(db, viewer, userId, usernameChangeSchema, input);
  const now = Date.now();
  const taken = new ConflictError('That username is taken.', { username: 'That username is taken.' });
  return db
    .transaction()
    .execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select(['username', 'username_key', 'username_changed_at'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      if (user.username === username)
        throw new ValidationError('That is already your username.', {
          username: 'Enter a different username.',
        });
      const next = nextUsernameChange(user.username_changed_at, now);
      if (next)
        throw new ValidationError('Your username can change once a week, so it was not changed.', {
          username: `You changed your username recently; you can change it again after ${next.toUTCString()}.`,
        });
      const oldKey = user.username_key;
      const newKey = accountKey(username);
      // The users row first, then the claim, in the order a sign-up takes them: the other order let a
      // sign-up racing for the same name deadlock with this change on PostgreSQL (a 500 for one of them).
      await trx
        .updateTable('users')
        .set({ username, username_key: newKey, username_changed_at: new Date(now).toISOString() })
        .where('id', '=', userId)
        .execute();
      if (newKey !== oldKey) {
        await claimUsername(trx, newKey, userId);
        const reservedUntil = new Date(now + FORMER_USERNAME_KEPT_MS).toISOString();
        await trx
          .insertInto('usernames')
          .values({ name_key: oldKey, user_id: userId, reserved_until: reservedUntil })
          .onConflict((conflict) =>
            conflict.column('name_key').doUpdateSet({ reserved_until: reservedUntil }),
          )
          .execute();
      }
      const pseud = await trx
        .updateTable('pseuds')
        .set({ name: username, name_key: newKey })
        .where('user_id', '=', userId)
        .where('name_key', '=', oldKey)
        .returning('id')
        .executeTakeFirst();
      if (pseud) {
        // Bylines in search and downloads follow the pseud's new name.
        const works = await trx
          .selectFrom('work_creators')
          .select('work_id')
          .where('pseud_id', '=', pseud.id)
          .execute();
        const workIds = works.map((work) => work.work_id);
        if (workIds.length > 0) {
          await trx
            .updateTable('works')
            .set({ revised_at: new Date(now).toISOString() })
            .where('id', 'in', workIds)
            .execute();
          await writeWorkSearchTexts(trx, workIds);
        }
      }
      return { username };
    })
    .catch((error: unknown) => {
      // Another account claimed the name between this change's start and its end.
      throw isUniqueViolation(error) ? taken : error;
    });
}

/**
 * The current username of the account that had this one before, while its four weeks last: old links to
 * /users/OLD/… lead there. Null for a name nobody gave up (or whose weeks are over).
 */
export async function currentUsername(db: Kysely<Database>, formerLogin: string): Promise<string | null> {
  const row = await db
    .selectFrom('usernames')
    .innerJoin('users', 'users.id', 'usernames.user_id')
    .select('users.username')
    .where('usernames.name_key', '=', accountKey(formerLogin))
    .where('usernames.reserved_until', '>', new Date().toISOString())
    .executeTakeFirst();
  return row?.username ?? null;
}
