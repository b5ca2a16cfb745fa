import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import type { Viewer } from '../domain/permissions.ts';
import { queueMail } from '../jobs/mail.ts';
import {
  type AccountMailLimit,
  accountMailAllowed,
  dropAccountTokens,
  issueAccountToken,
  useAccountToken,
} from './accountTokens.ts';
import { AuthenticationError, ConflictError, ForbiddenError, NotFoundError } from './errors.ts';
import { type Registration, registerUser } from './users.ts';
import type { ArchiveSite } from './workDocuments.ts';

// With QUIRE_CONFIRM_EMAIL on, a new account may log in, read and leave kudos at once, but posts works,
// chapters and comments only once the link in its welcome mail was followed. The same link page also
// completes a change of email address (accountChanges.ts), whose link goes to the new address.

/** The refusal an unconfirmed account meets when it tries to post; pages offer to send the mail again. */
export class UnconfirmedEmailError extends ForbiddenError {
  override readonly code = 'email_unconfirmed';
  constructor() {
    super(
      'Confirm your email address before you post works, chapters or comments: follow the link in the ' +
        'mail we sent when you signed up. No mail? Have it sent again at /users/confirmation/new (or ' +
        'POST /api/v1/account/confirmation).',
    );
  }
}

/** Too many mails about one account for now (the per-account limit, whoever asks). */
export class TooManyAccountMailsError extends Error {
  readonly statusCode = 429;
  readonly code = 'rate_limited';
  constructor() {
    super('We sent this account several mails in the last hour. Please wait an hour, then ask again.');
  }
}

export const CONFIRMATION_LINK_UNUSABLE =
  'This confirmation link does not work: it may have expired or been used already. Log in and send ' +
  'yourself a new one.';

/** The address of the page a confirmation link opens. */
export function confirmationLink(site: ArchiveSite, secret: string): string {
  return `${site.origin}/users/confirmation?confirmation_token=${secret}`;
}

/** Issues a confirmation link and queues the welcome mail that holds it (inside the caller's transaction). */
export async function mailConfirmationLink(
  db: Kysely<Database>,
  user: { id: number; email: string },
  site: ArchiveSite,
): Promise<void> {
  const secret = await issueAccountToken(db, user.id, 'email_confirmation');
  await queueMail(db, {
    to: user.email,
    subject: `Confirm your email address at ${site.name}`,
    text:
      `Welcome to ${site.name}! Someone (we hope you) made an account here with this address.\n\n` +
      `Follow this link to confirm it, and you can post works and comments (it works for 7 days):\n` +
      `${confirmationLink(site, secret)}\n\n` +
      'If you did not sign up, ignore this mail: the account cannot post until the link is followed.\n',
  });
}

/** Whether the viewer's account still waits for its address to be confirmed (guests never do). */
export async function awaitsConfirmation(db: Kysely<Database>, viewer: Viewer | null): Promise<boolean> {
  if (!viewer) return false;
  const user = await db
    .selectFrom('users')
    .select('email_unconfirmed')
    .where('id', '=', viewer.id)
    .executeTakeFirst();
  return user?.email_unconfirmed === 1;
}

/** Refuses to let an account post works or chapters until its address is confirmed. */
export async function requireConfirmedEmail(db: Kysely<Database>, viewer: Viewer | null): Promise<void> {
  if (await awaitsConfirmation(db, viewer)) throw new UnconfirmedEmailError();
}

/** Sends the welcome mail's link again to a logged-in account that is still waiting for it. */
export async function resendConfirmation(
  db: Kysely<Database>,
  viewer: Viewer | null,
  site: ArchiveSite,
  limit: AccountMailLimit,
): Promise<{ email: string }> {
  if (!viewer) throw new AuthenticationError('Log in to have your confirmation mail sent again.');
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'email_unconfirmed'])
    .where('id', '=', viewer.id)
    .executeTakeFirstOrThrow();
  if (user.email_unconfirmed !== 1) throw new ConflictError('Your email address is already confirmed.');
  if (!(await accountMailAllowed(db, user.id, limit))) throw new TooManyAccountMailsError();
  await db.transaction().execute((trx) => mailConfirmationLink(trx, user, site));
  return { email: user.email };
}

export type FollowedLink =
  | { outcome: 'confirmed'; username: string }
  | { outcome: 'email_changed'; username: string; email: string };

/**
 * Follows a link from a confirmation mail: a new account's address is confirmed, or an account moves to
 * the new address it asked for. The link is used up either way.
 */
export async function followConfirmationLink(db: Kysely<Database>, secret: unknown): Promise<FollowedLink> {
  const taken = new ConflictError(
    'That address belongs to another account now, so yours is unchanged. Choose another one.',
  );
  return db
    .transaction()
    .execute(async (trx): Promise<FollowedLink> => {
      const link = await useAccountToken(trx, ['email_confirmation', 'email_change'], secret);
      if (!link) throw new NotFoundError(CONFIRMATION_LINK_UNUSABLE);
      if (link.purpose === 'email_confirmation') {
        const user = await trx
          .updateTable('users')
          .set({ email_unconfirmed: 0 })
          .where('id', '=', link.user_id)
          .returning('username')
          .executeTakeFirstOrThrow();
        return { outcome: 'confirmed', username: user.username };
      }
      const email = link.new_email ?? '';
      const holder = await trx
        .selectFrom('users')
        .select('id')
        .where('email_key', '=', accountKey(email))
        .where('id', '!=', link.user_id)
        .executeTakeFirst();
      if (holder) throw taken;
      const user = await trx
        .updateTable('users')
        .set({ email, email_key: accountKey(email), email_unconfirmed: 0 })
        .where('id', '=', link.user_id)
        .returning('username')
        .executeTakeFirstOrThrow();
      // Links mailed to the old address must not open the account any more.
      await dropAccountTokens(trx, link.user_id, ['password_reset', 'email_confirmation', 'email_change']);
      return { outcome: 'email_changed', username: user.username, email };
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? taken : error;
    });
}

export type SignUpOutcome =
  | { status: 'active'; id: number; username: string }
  | { status: 'confirmation_sent' };

/**
 * A sign-up from the pages or the API. Without confirmation the account is made and active at once (and
 * a taken address is refused, naming it). With confirmation the answer is the same whether or not the
 * address is taken: a new account waits for its link, and the owner of a taken address is told by mail
 * instead. Usernames are public, so a taken one is still refused by name.
 */
export async function signUp(
  db: Kysely<Database>,
  input: unknown,
  registration: Registration & { site: ArchiveSite },
  confirmEmail: boolean,
): Promise<SignUpOutcome> {
  if (!confirmEmail) return { status: 'active', ...(await registerUser(db, input, registration)) };
  try {
    await registerUser(db, input, {
      ...registration,
      awaitConfirmation: (trx, user) => mailConfirmationLink(trx, user, registration.site),
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const { username } = error.fields;
    if (username) throw new ConflictError('That username is taken.', { username });
  }
  return { status: 'confirmation_sent' };
}
