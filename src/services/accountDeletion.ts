import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { isOrphanAccountKey } from '../domain/orphanAccount.ts';
import type { Viewer } from '../domain/permissions.ts';
import { MAIL_JOB, type MailMessage } from '../jobs/mail.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  ServiceError,
  ValidationError,
} from './errors.ts';
import { visitorKey } from './hits.ts';
import { orphanEverything, replaceNames } from './orphaning.ts';
import { authenticate } from './users.ts';

// Deleting an account, as on AO3: with the password, and with the writer's choice of orphaning their
// works or deleting them. Comments stay, credited to a deleted account; everything else that was the
// member's goes, and so does every trace of them the archive wrote elsewhere (their name in others'
// inbox items and queued mail, their reader key in hit counts). Counters move in the same transaction.

/** How comments, inbox items and mail name a member whose account is gone. */
export const DELETED_ACCOUNT_NAME = 'A deleted account';

const deletionSchema = z.object({
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200),
  works: z.enum(['orphan', 'delete'], { error: 'Choose whether to orphan or delete your works.' }),
  keep_pseud: z
    .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on', 'off'])])
    .transform((value) => value === true || value === '1' || value === 'true' || value === 'on')
    .optional(),
});

export interface AccountDeletion {
  password: string;
  works: 'orphan' | 'delete';
  keepPseud: boolean;
}

export function parseAccountDeletion(input: unknown): AccountDeletion {
  const parsed = deletionSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ValidationError('Please confirm with your password.', fieldErrorsFrom(parsed.error));
  return {
    password: parsed.data.password,
    works: parsed.data.works,
    keepPseud: parsed.data.keep_pseud ?? false,
  };
}

/** The works the user alone created; shared ones only lose the user's credit. */
async function soleWorks(trx: Transaction<Database>, userId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('work_creators')
    .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
    .select('work_creators.work_id')
    .groupBy('work_creators.work_id')
    .having((eb) =>
      eb.and([eb(eb.fn.min('pseuds.user_id'), '=', userId), eb(eb.fn.max('pseuds.user_id'), '=', userId)]),
    )
    .execute();
  return rows.map((row) => row.work_id);
}

async function deleteWorks(trx: Transaction<Database>, workIds: number[]): Promise<void> {
  if (workIds.length === 0) return;
  // Downloads built of them go too; chapters, comments, kudos and bookmarks of them by cascade.
  await trx
    .deleteFrom('download_cache')
    .where((eb) => eb.or(workIds.map((id) => eb('cache_key', 'like', `work:${id}:%`))))
    .execute();
  await trx.deleteFrom('works').where('id', 'in', workIds).execute();
}

/** The member's comments stay, signed by nobody; items about them in others' inboxes stop naming them. */
async function unsignComments(trx: Transaction<Database>, userId: number, names: string[]): Promise<void> {
  const comments = (
    await trx.selectFrom('comments').select('id').where('user_id', '=', userId).execute()
  ).map((row) => row.id);
  if (comments.length === 0) return;
  const items = await trx
    .selectFrom('notifications')
    .select(['id', 'text'])
    .where('comment_id', 'in', comments)
    .execute();
  for (const item of items) {
    const text = replaceNames(item.text, names, DELETED_ACCOUNT_NAME);
    if (text !== item.text)
      await trx.updateTable('notifications').set({ text }).where('id', '=', item.id).execute();
  }
  await trx
    .updateTable('comments')
    .set({ user_id: null, pseud_id: null })
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Mail waiting in (or sent from) the queue: to the member, dropped; to others about the member (a
 * comment they left), re-worded so it no longer names them.
 */
async function forgetMail(trx: Transaction<Database>, email: string, names: string[]): Promise<void> {
  const mail = await trx.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', MAIL_JOB).execute();
  for (const job of mail) {
    const message = JSON.parse(job.payload) as MailMessage;
    if (accountKey(message.to) === accountKey(email)) {
      await trx.deleteFrom('jobs').where('id', '=', job.id).execute();
      continue;
    }
    const reworded: MailMessage = {
      ...message,
      subject: replaceNames(message.subject, names, DELETED_ACCOUNT_NAME),
      text: replaceNames(message.text, names, DELETED_ACCOUNT_NAME),
    };
    if (reworded.subject !== message.subject || reworded.text !== message.text)
      await trx
        .updateTable('jobs')
        .set({ payload: JSON.stringify(reworded) })
        .where('id', '=', job.id)
        .execute();
  }
}

/**
 * Deletes the viewer's account once their password is confirmed. `visitorSalt` is the salt of the hit
 * counters' reader keys, so the member's key leaves the daily hit log too.
 */
export async function deleteAccount(
  db: Kysely<Database>,
  viewer: Viewer | null,
  input: unknown,
  visitorSalt: string,
): Promise<void> {
  if (!viewer) throw new AuthenticationError('Log in to delete your account.');
  const request = parseAccountDeletion(input);
  try {
    const confirmed = await authenticate(db, viewer.username, request.password);
    if (confirmed.id !== viewer.id) throw new AuthenticationError();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    throw new ValidationError('Your account is unchanged: that password is not right.', {
      password: 'That is not your password.',
    });
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'is_admin'])
    .where('id', '=', viewer.id)
    .executeTakeFirstOrThrow();
  if (isOrphanAccountKey(accountKey(user.username)))
    throw new ForbiddenError('This account cannot be deleted.');
  if (user.is_admin === 1) {
    const admins = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_admin', '=', 1)
      .executeTakeFirstOrThrow();
    if (Number(admins.n) <= 1)
      throw new ConflictError(
        'You are the archive’s only administrator: make another account an administrator first (quire user admin LOGIN).',
      );
  }
  const pseudNames = (
    await db.selectFrom('pseuds').select('name').where('user_id', '=', user.id).execute()
  ).map((row) => row.name);
  const names = [...new Set([user.username, ...pseudNames])];

  await db.transaction().execute(async (trx) => {
    if (request.works === 'orphan') await orphanEverything(trx, user.id, request.keepPseud);
    // What is left is the user's drafts (or, when deleting, everything): gone, unless someone co-created it.
    await deleteWorks(trx, await soleWorks(trx, user.id));
    await trx
      .deleteFrom('work_creators')
      .where('pseud_id', 'in', (eb) => eb.selectFrom('pseuds').select('id').where('user_id', '=', user.id))
      .execute();

    // A public bookmark counted on its work; one bookmark per reader per work, so each takes one off.
    await trx
      .updateTable('works')
      .set((eb) => ({ bookmarks_count: eb('bookmarks_count', '-', 1) }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('bookmarks')
          .select('work_id')
          .where('user_id', '=', user.id)
          .where('private', '=', 0)
          .where('work_id', 'is not', null)
          .$narrowType<{ work_id: number }>(),
      )
      .execute();
    // Kudos stay counted, as a guest's: the work keeps its number, the list loses the name.
    await trx.updateTable('kudos').set({ user_id: null }).where('user_id', '=', user.id).execute();
    await unsignComments(trx, user.id, names);
    await trx
      .deleteFrom('work_hits')
      .where('visitor_key', '=', visitorKey(visitorSalt, { userId: user.id }))
      .execute();
    await forgetMail(trx, user.email, names);
    // Rate-limit windows keyed by the member's address or name.
    for (const key of [accountKey(user.email), accountKey(user.username)]) {
      const buckets = await trx
        .selectFrom('rate_limits')
        .select('bucket')
        // A rough match (LIKE's wildcards only widen it), narrowed to whole parts of the key below.
        .where('bucket', 'like', `%${key}%`)
        .execute();
      const theirs = buckets.filter((row) => row.bucket.toLowerCase().split(':').includes(key));
      if (theirs.length > 0)
        await trx
          .deleteFrom('rate_limits')
          .where(
            'bucket',
            'in',
            theirs.map((row) => row.bucket),
          )
          .execute();
    }
    // The rest goes with the account row: pseuds, series, sessions, tokens, bookmarks, subscriptions (theirs
    // and others' to them), history, inbox, mutes, blocks, uploads and data exports (ON DELETE CASCADE).
    await trx.deleteFrom('users').where('id', '=', user.id).execute();
  });
}
