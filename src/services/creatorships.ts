import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { isUniqueViolation } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { accountKey } from '../domain/accountRules.ts';
import { paths } from '../domain/archivePaths.ts';
import { isOrphanAccountKey } from '../domain/orphanAccount.ts';
import type { Viewer } from '../domain/permissions.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from './errors.ts';
import { notify } from './notifications.ts';
import type { ArchiveSite } from './workDocuments.ts';
import { refreshWorkIndexes } from './workIndexes.ts';
import { creatorUserIds, workForEditing } from './works.ts';

// Co-creators, as on AO3. A creator invites another member's pseud; the invitation waits in its own
// table (creatorship_invitations) until the invitee accepts, and only then does the pseud join
// work_creators, which is all that bylines, editing, stats, comment notifications and the "not on your
// own work" rules read. So an invitee who has not accepted is, everywhere, a reader like any other.

type Db = Kysely<Database> | Transaction<Database>;

/** Whom to invite: a pseud ("Name", or "Name (login)" where several members have one of that name) or a user. */
export type InviteeName = { pseud: string } | { user: string };

interface Invitee {
  pseudId: number;
  pseud: string;
  userId: number;
  username: string;
}

export interface CoCreator {
  pseud: string;
  username: string;
}

export interface PendingInvitation {
  id: number;
  workId: number;
  workTitle: string;
  pseud: string;
  username: string;
  /** Who sent it; null once their account is gone. */
  invitedBy: string | null;
  createdAt: string;
}

export interface WorkCreatorships {
  workId: number;
  title: string;
  creators: CoCreator[];
  /** Invitations nobody has answered yet. */
  pending: PendingInvitation[];
}

const inviteeSchema = z.union([
  z.object({ pseud: z.string().trim().min(1).max(100) }).strict(),
  z.object({ user: z.string().trim().min(1).max(100) }).strict(),
]);

/** Reads one invitee from the API: exactly one of pseud or user. */
export function parseInvitee(input: unknown): InviteeName {
  const parsed = inviteeSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ValidationError('Name whom to invite: send either "pseud" or "user", not both.', {
      pseud: 'Give a pseud ("Name" or "Name (login)") or a username in "user".',
    });
  return parsed.data;
}

/** The form's "Invite co-creators" field: names separated by commas, each a pseud or a username. */
export function parseInviteeList(text: string): InviteeName[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length > 10)
    throw new ValidationError('Invite at most 10 co-creators at once.', {
      co_creators: 'Invite at most 10 co-creators at once.',
    });
  return [...new Set(names)].map((pseud) => ({ pseud }));
}

/** The pseud a name means: a user's default pseud, or a pseud by name (narrowed by "(login)" if given). */
async function resolveInvitee(db: Db, name: InviteeName, field: string): Promise<Invitee> {
  const base = db
    .selectFrom('pseuds')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select(['pseuds.id as pseudId', 'pseuds.name as pseud', 'users.id as userId', 'users.username']);
  if ('user' in name) {
    const found = await base
      .where('users.username_key', '=', accountKey(name.user))
      .orderBy('pseuds.is_default', 'desc')
      .orderBy('pseuds.id')
      .executeTakeFirst();
    if (found) return found;
    throw new ValidationError(`There is no user called ${name.user} here.`, {
      [field]: `There is no user called ${name.user} here.`,
    });
  }
  const wanted = name.pseud;
  const notFound = () =>
    new ValidationError(`There is no pseud called ${wanted} here.`, {
      [field]: `There is no pseud or user called ${wanted} here.`,
    });
  const qualified = wanted.match(/^(.*\S)\s*\(([^()]+)\)$/);
  const pseudName = qualified ? qualified[1] : wanted;
  let query = base.where('pseuds.name_key', '=', accountKey(pseudName));
  if (qualified) query = query.where('users.username_key', '=', accountKey(qualified[2]));
  const found = await query.orderBy('pseuds.id').limit(2).execute();
  if (found.length === 1) return found[0];
  if (found.length > 1)
    throw new ValidationError(`Several members have a pseud called ${pseudName}.`, {
      [field]: `Several members have a pseud called ${pseudName}: write it as “${pseudName} (their username)”.`,
    });
  if (qualified) throw notFound();
  // Not a pseud's name: it may still be a username whose default pseud is called something else.
  try {
    return await resolveInvitee(db, { user: wanted }, field);
  } catch (error) {
    throw error instanceof ValidationError ? notFound() : error;
  }
}

/**
 * Refuses an invitation that cannot be: to orphan_account, to a creator, twice, or across a block. A
 * block either way between the invitee and any creator of the work keeps them apart: the blocked member
 * could otherwise reach the blocker's work as its co-creator, and the blocker would have to share it.
 */
async function checkInvitee(
  db: Db,
  inviter: Viewer,
  workId: number,
  creatorIds: readonly number[],
  invitee: Invitee,
  field: string,
): Promise<void> {
  if (isOrphanAccountKey(accountKey(invitee.username)))
    throw new ValidationError('orphan_account cannot be invited to co-create a work.', {
      [field]: 'orphan_account cannot be invited.',
    });
  if (creatorIds.includes(invitee.userId)) {
    const message =
      invitee.userId === inviter.id
        ? 'You are already a creator of this work.'
        : `${invitee.username} is already a creator of this work.`;
    throw new ConflictError(message, { [field]: message });
  }
  const pending = await db
    .selectFrom('creatorship_invitations')
    .innerJoin('pseuds', 'pseuds.id', 'creatorship_invitations.pseud_id')
    .select('creatorship_invitations.id')
    .where('creatorship_invitations.work_id', '=', workId)
    .where('pseuds.user_id', '=', invitee.userId)
    .executeTakeFirst();
  if (pending) {
    const message = `${invitee.username} has already been invited to co-create this work.`;
    throw new ConflictError(message, { [field]: message });
  }
  const block = await db
    .selectFrom('blocks')
    .select(['user_id', 'target_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('user_id', '=', invitee.userId), eb('target_id', 'in', [...creatorIds])]),
        eb.and([eb('target_id', '=', invitee.userId), eb('user_id', 'in', [...creatorIds])]),
      ]),
    )
    .orderBy('user_id')
    .executeTakeFirst();
  if (block) {
    const message =
      block.user_id === inviter.id
        ? `You have blocked ${invitee.username}: unblock them first to invite them.`
        : block.target_id === inviter.id
          ? `You can't invite ${invitee.username}: they have blocked you.`
          : // A block with another creator is theirs to know of, not the inviter's.
            `You can't invite ${invitee.username} to co-create this work.`;
    throw new ValidationError(message, { [field]: message });
  }
}

async function insertInvitation(
  trx: Transaction<Database>,
  inviter: Viewer,
  work: { id: number; title: string },
  invitee: Invitee,
  site: ArchiveSite,
): Promise<number> {
  const created = await trx
    .insertInto('creatorship_invitations')
    .values({
      work_id: work.id,
      pseud_id: invitee.pseudId,
      invited_by: inviter.id,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await notify(trx, {
    userId: invitee.userId,
    kind: 'creatorship_invitation',
    workId: work.id,
    text: `You are invited to be a co-creator of “${work.title}” as ${invitee.pseud}. Accept or decline it on your Co-Creator Requests page.`,
    url: `${site.origin}${paths.userCreatorships(invitee.username)}`,
  });
  return created.id;
}

/** Resolves and checks every name first, so that one bad name invites nobody. */
async function planInvitations(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  names: InviteeName[],
  field: string,
): Promise<{ work: { id: number; title: string }; inviter: Viewer; invitees: Invitee[] }> {
  const work = await workForEditing(db, viewer, workId);
  const inviter = viewer as Viewer;
  const creatorIds = await creatorUserIds(db, workId);
  const invitees: Invitee[] = [];
  for (const name of names) {
    const invitee = await resolveInvitee(db, name, field);
    if (invitees.some((other) => other.userId === invitee.userId))
      throw new ValidationError(`${invitee.username} is named twice.`, {
        [field]: `${invitee.username} is named twice: invite each member once.`,
      });
    await checkInvitee(db, inviter, workId, creatorIds, invitee, field);
    invitees.push(invitee);
  }
  return { work, inviter, invitees };
}

async function inviteAll(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  names: InviteeName[],
  site: ArchiveSite,
  field: string,
): Promise<PendingInvitation[]> {
  const { work, inviter, invitees } = await planInvitations(db, viewer, workId, names, field);
  try {
    const ids = await db.transaction().execute(async (trx) => {
      const created: number[] = [];
      for (const invitee of invitees) created.push(await insertInvitation(trx, inviter, work, invitee, site));
      return created;
    });
    return (await pendingInvitations(db, { ids })).sort((a, b) => a.id - b.id);
  } catch (error) {
    // Two creators inviting the same pseud at once: the unique key lets one through.
    if (isUniqueViolation(error))
      throw new ConflictError('That pseud has already been invited to co-create this work.');
    throw error;
  }
}

/**
 * Checks the work form's "Invite co-creators" names without inviting anyone, so that the form can refuse
 * a bad name before it saves the rest of the work.
 */
export async function checkCoCreators(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  names: InviteeName[],
): Promise<void> {
  if (names.length > 0) await planInvitations(db, viewer, workId, names, 'co_creators');
}

/** The API's invitation of one pseud or user. */
export async function inviteCoCreator(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  name: InviteeName,
  site: ArchiveSite,
): Promise<PendingInvitation> {
  const [invitation] = await inviteAll(db, viewer, workId, [name], site, 'pseud' in name ? 'pseud' : 'user');
  return invitation;
}

/** The work form's "Invite co-creators" field. */
export async function inviteCoCreators(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  names: InviteeName[],
  site: ArchiveSite,
): Promise<PendingInvitation[]> {
  if (names.length === 0) return [];
  return inviteAll(db, viewer, workId, names, site, 'co_creators');
}

async function pendingInvitations(
  db: Db,
  filter: { ids?: number[]; workId?: number; userId?: number },
): Promise<PendingInvitation[]> {
  let query = db
    .selectFrom('creatorship_invitations')
    .innerJoin('works', 'works.id', 'creatorship_invitations.work_id')
    .innerJoin('pseuds', 'pseuds.id', 'creatorship_invitations.pseud_id')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .leftJoin('users as inviters', 'inviters.id', 'creatorship_invitations.invited_by')
    .select([
      'creatorship_invitations.id',
      'creatorship_invitations.work_id as workId',
      'works.title as workTitle',
      'pseuds.name as pseud',
      'users.username',
      'inviters.username as invitedBy',
      'creatorship_invitations.created_at as createdAt',
    ]);
  if (filter.ids) query = query.where('creatorship_invitations.id', 'in', filter.ids);
  if (filter.workId !== undefined) query = query.where('creatorship_invitations.work_id', '=', filter.workId);
  if (filter.userId !== undefined) query = query.where('pseuds.user_id', '=', filter.userId);
  return query
    .orderBy('creatorship_invitations.created_at', 'desc')
    .orderBy('creatorship_invitations.id', 'desc')
    .execute();
}

/** A work's creators and the invitations still waiting, for its creators. */
export async function workCreatorships(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
): Promise<WorkCreatorships> {
  const work = await workForEditing(db, viewer, workId);
  return {
    workId: work.id,
    title: work.title,
    creators: work.creators.map(({ pseud, username }) => ({ pseud, username })),
    pending: await pendingInvitations(db, { workId }),
  };
}

/** Any creator of the work may take back an invitation nobody has answered; the invitee's inbox item goes too. */
export async function withdrawInvitation(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  invitationId: number,
): Promise<void> {
  await workForEditing(db, viewer, workId);
  await db.transaction().execute(async (trx) => {
    const withdrawn = await trx
      .deleteFrom('creatorship_invitations')
      .where('id', '=', invitationId)
      .where('work_id', '=', workId)
      .returning('pseud_id')
      .executeTakeFirst();
    if (!withdrawn)
      throw new NotFoundError('That invitation does not exist: it may have been answered already.');
    await trx
      .deleteFrom('notifications')
      .where('kind', '=', 'creatorship_invitation')
      .where('work_id', '=', workId)
      .where('user_id', 'in', (eb) =>
        eb.selectFrom('pseuds').select('user_id').where('id', '=', withdrawn.pseud_id),
      )
      .execute();
  });
}

function requireMember(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AuthenticationError('Log in to see your co-creator requests.');
  return viewer;
}

/** The invitations to the member's pseuds, newest first: theirs alone to see. */
export async function listInvitations(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
): Promise<PendingInvitation[]> {
  const member = requireMember(viewer);
  if (member.id !== userId)
    throw new ForbiddenError("Only its owner can see an account's co-creator requests.");
  return pendingInvitations(db, { userId });
}

/**
 * A new byline: downloads are built again and search finds the work under its new creators. Writing
 * the work's row first also locks it on PostgreSQL, so two creators leaving at once take turns.
 */
async function bylineChanging(trx: Transaction<Database>, workId: number): Promise<void> {
  await trx
    .updateTable('works')
    .set({ revised_at: new Date().toISOString() })
    .where('id', '=', workId)
    .execute();
}

/**
 * The invitee accepts (their pseud joins the byline) or declines; either way the invitation is gone.
 * Someone else's invitation does not exist for the viewer.
 */
export async function answerInvitation(
  db: Kysely<Database>,
  viewer: Viewer | null,
  invitationId: number,
  accept: boolean,
): Promise<{ workId: number; title: string }> {
  const member = requireMember(viewer);
  const [invitation] = await pendingInvitations(db, { ids: [invitationId], userId: member.id });
  if (!invitation) throw new NotFoundError('That invitation does not exist (or is not yours).');
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .deleteFrom('creatorship_invitations')
      .where('id', '=', invitationId)
      .returning(['work_id', 'pseud_id'])
      .executeTakeFirst();
    // Answered (or withdrawn) a moment ago, by another request.
    if (!taken)
      throw new NotFoundError('That invitation does not exist any more: it was answered or withdrawn.');
    if (!accept) return { workId: taken.work_id, title: invitation.workTitle };
    const creatorIds = await creatorUserIds(trx, taken.work_id);
    const blocked = await trx
      .selectFrom('blocks')
      .select('user_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('user_id', '=', member.id), eb('target_id', 'in', creatorIds)]),
          eb.and([eb('target_id', '=', member.id), eb('user_id', 'in', creatorIds)]),
        ]),
      )
      .executeTakeFirst();
    if (creatorIds.length === 0 || blocked)
      throw new ForbiddenError(
        "This invitation can't be accepted any more: one of you and a creator of the work has blocked the other.",
      );
    const last = await trx
      .selectFrom('work_creators')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('work_id', '=', taken.work_id)
      .executeTakeFirst();
    await trx
      .insertInto('work_creators')
      .values({
        work_id: taken.work_id,
        pseud_id: taken.pseud_id,
        position: Number(last?.position ?? -1) + 1,
      })
      .onConflict((conflict) => conflict.columns(['work_id', 'pseud_id']).doNothing())
      .execute();
    await bylineChanging(trx, taken.work_id);
    await refreshWorkIndexes(trx, [taken.work_id]);
    return { workId: taken.work_id, title: invitation.workTitle };
  });
}

export const LAST_CREATOR_MESSAGE =
  'You are the only creator of this work, so you cannot leave it. Orphan it or delete it instead.';

/**
 * Takes the member's pseuds off a work they co-created. The last creator cannot leave: a work must have
 * someone who can change it, or be orphaned on purpose.
 */
export async function leaveWork(db: Kysely<Database>, viewer: Viewer | null, workId: number): Promise<void> {
  await workForEditing(db, viewer, workId);
  const member = viewer as Viewer;
  await db.transaction().execute(async (trx) => {
    await bylineChanging(trx, workId);
    await trx
      .deleteFrom('work_creators')
      .where('work_id', '=', workId)
      .where('pseud_id', 'in', (eb) => eb.selectFrom('pseuds').select('id').where('user_id', '=', member.id))
      .execute();
    // Counted after leaving, in the same transaction: throwing puts the member back.
    if ((await creatorUserIds(trx, workId)).length === 0) throw new ConflictError(LAST_CREATOR_MESSAGE);
    await refreshWorkIndexes(trx, [workId]);
  });
}
