import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { accountKey, loginSchema, passwordSchema } from '../domain/accountRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { queueMail } from '../jobs/mail.ts';
import {
  type AccountMailLimit,
  accountMailAllowed,
  dropAccountTokens,
  issueAccountToken,
  peekAccountToken,
  useAccountToken,
} from './accountTokens.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { endSessions, hashPassword } from './users.ts';
import type { ArchiveSite } from './workDocuments.ts';

// "Forgot password?": a link to choose a new password goes to the account's address. Whoever asks hears
// the same whether or not the account exists, so the form tells nobody who has an account here.

export const RESET_LINK_UNUSABLE =
  'This password reset link does not work: it may have expired (links work for 24 hours) or been used ' +
  'already. Ask for a new one from “Forgot password?” on the log-in page.';

/** The address of the page a reset link opens. */
export function passwordResetLink(site: ArchiveSite, secret: string): string {
  return `${site.origin}/users/password/edit?reset_password_token=${secret}`;
}

/**
 * Mails a reset link to the account with this username or email address, if there is one and it has not
 * had its share of mail for now. Answers nothing either way.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  login: unknown,
  site: ArchiveSite,
  limit: AccountMailLimit,
): Promise<void> {
  const parsed = z.object({ login: loginSchema }).safeParse({ login });
  if (!parsed.success)
    throw new ValidationError('Enter your username or email address.', fieldErrorsFrom(parsed.error));
  const key = accountKey(parsed.data.login);
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'email'])
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .executeTakeFirst();
  if (!user || !(await accountMailAllowed(db, user.id, limit))) return;
  const secret = await issueAccountToken(db, user.id, 'password_reset');
  await queueMail(db, {
    to: user.email,
    subject: `Reset your password at ${site.name}`,
    text:
      `Someone (we hope you) asked to reset the password of your account ${user.username} at ${site.name}.\n\n` +
      `Choose a new password here (the link works once, for 24 hours):\n${passwordResetLink(site, secret)}\n\n` +
      'If you did not ask, ignore this mail: your password stays as it is.\n',
  });
}

/** The username a reset link is for, to greet its holder on the form; NotFoundError when it does not work. */
export async function passwordResetHolder(db: Kysely<Database>, secret: unknown): Promise<string> {
  const link = await peekAccountToken(db, ['password_reset'], secret);
  const user = link
    ? await db.selectFrom('users').select('username').where('id', '=', link.user_id).executeTakeFirst()
    : undefined;
  if (!user) throw new NotFoundError(RESET_LINK_UNUSABLE);
  return user.username;
}

/**
 * Sets a new password through a reset link, which is used up. Every session of the account ends (the
 * caller may start a new one); API tokens stay. Following a link mailed to the address also proves the
 * address, so an account still waiting for confirmation is confirmed.
 */
export async function resetPassword(
  db: Kysely<Database>,
  secret: unknown,
  password: unknown,
): Promise<{ id: number; username: string }> {
  const parsed = z.object({ password: passwordSchema }).safeParse({ password });
  // Checked before the link is used, so a password too short does not cost the reader their link.
  if (!parsed.success)
    throw new ValidationError('Please choose another password.', fieldErrorsFrom(parsed.error));
  const passwordHash = await hashPassword(parsed.data.password);
  return db.transaction().execute(async (trx) => {
    const link = await useAccountToken(trx, ['password_reset'], secret);
    if (!link) throw new NotFoundError(RESET_LINK_UNUSABLE);
    const user = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, email_unconfirmed: 0 })
      .where('id', '=', link.user_id)
      .returning(['id', 'username'])
      .executeTakeFirstOrThrow();
    await endSessions(trx, user.id);
    await dropAccountTokens(trx, user.id, ['password_reset']);
    return user;
  });
}
