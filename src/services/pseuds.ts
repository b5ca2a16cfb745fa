import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { htmlToPlainText, toWorkHtml } from '../domain/htmlPolicy.ts';
import type { Viewer } from '../domain/permissions.ts';
import {
  type NewPseud,
  newPseudSchema,
  PSEUD_LIMITS,
  type PseudChange,
  pseudChangeSchema,
  pseudKey,
  pseudNameSchema,
} from '../domain/pseudRules.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from './errors.ts';
import { findUserByLogin } from './users.ts';
import { writeWorkSearchTexts } from './workSearchTexts.ts';
import { defaultPseud } from './works.ts';

// The names an account writes under (AO3's pseuds). Every account has one default pseud, made with the
// account; its owner may add more, rename and describe them, give them icons, choose which is the
// default, and delete any but the default: what was credited to a deleted pseud moves to the default.

export interface Pseud {
  id: number;
  name: string;
  isDefault: boolean;
  /** Sanitised HTML; empty when the owner wrote none. */
  description: string;
  iconAltText: string;
  /** The version of the icon's URL; null while the pseud has none. */
  iconHash: string | null;
  username: string;
  userId: number;
}

type Reader = Kysely<Database> | Transaction<Database>;

function pseudQuery(db: Reader) {
  return db
    .selectFrom('pseuds')
    .innerJoin('users', 'users.id', 'pseuds.user_id')
    .select([
      'pseuds.id',
      'pseuds.name',
      'pseuds.is_default',
      'pseuds.description',
      'pseuds.icon_alt_text',
      'pseuds.icon_hash',
      'users.username',
      'users.id as userId',
    ]);
}

function pseudOf(row: {
  id: number;
  name: string;
  is_default: number;
  description: string;
  icon_alt_text: string;
  icon_hash: string | null;
  username: string;
  userId: number;
}): Pseud {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default === 1,
    description: row.description,
    iconAltText: row.icon_alt_text,
    iconHash: row.icon_hash,
    username: row.username,
    userId: row.userId,
  };
}

const noSuchUser = () => new NotFoundError('There is no user with that name here.');
const noSuchPseud = () => new NotFoundError('There is no pseud with that name here.');

/** A user's pseuds, the default first. */
export async function listPseuds(
  db: Kysely<Database>,
  login: string,
): Promise<{ username: string; pseuds: Pseud[] }> {
  const user = await findUserByLogin(db, login);
  if (!user) throw noSuchUser();
  const rows = await pseudQuery(db)
    .where('pseuds.user_id', '=', user.id)
    .orderBy('pseuds.is_default', 'desc')
    .orderBy('pseuds.name_key')
    .execute();
  return { username: user.username, pseuds: rows.map(pseudOf) };
}

/** The names a member may credit their writing to, for the select on the work, comment and bookmark forms. */
export async function pseudChoices(db: Reader, viewer: Viewer | null): Promise<string[]> {
  if (!viewer) return [];
  const rows = await db
    .selectFrom('pseuds')
    .select('name')
    .where('user_id', '=', viewer.id)
    .orderBy('is_default', 'desc')
    .orderBy('name_key')
    .execute();
  return rows.map((row) => row.name);
}

export async function findPseud(db: Kysely<Database>, login: string, name: string): Promise<Pseud> {
  const user = await findUserByLogin(db, login);
  if (!user) throw noSuchUser();
  const row = await pseudQuery(db)
    .where('pseuds.user_id', '=', user.id)
    .where('pseuds.name_key', '=', pseudKey(name))
    .executeTakeFirst();
  if (!row) throw noSuchPseud();
  return pseudOf(row);
}

export async function pseudById(db: Reader, id: number): Promise<Pseud> {
  const row = await pseudQuery(db).where('pseuds.id', '=', id).executeTakeFirst();
  if (!row) throw noSuchPseud();
  return pseudOf(row);
}

/** Only a pseud's owner changes it; anyone else is refused as they would be at any of the owner's pages. */
export async function ownPseud(db: Reader, viewer: Viewer | null, id: number): Promise<Pseud> {
  if (!viewer) throw new AuthenticationError('Log in to change your pseuds.');
  const pseud = await pseudById(db, id);
  if (pseud.userId !== viewer.id) throw new ForbiddenError('You can only change your own pseuds.');
  return pseud;
}

/**
 * The pseud a member credits a work, comment or bookmark to: the one they named, or their default when
 * they named none. Naming a pseud that is not theirs is refused, never quietly replaced. Call it in the
 * transaction that writes the credit.
 */
export async function creditedPseud(
  db: Reader,
  viewer: Viewer | null,
  choice: unknown,
): Promise<{ id: number; name: string }> {
  if (!viewer) throw new AuthenticationError('Log in to write under one of your pseuds.');
  if (choice === undefined || choice === null || choice === '') return defaultPseud(db, viewer.id);
  const parsed = pseudNameSchema.safeParse(choice);
  // Read by writing it unchanged: in the caller's transaction the row stays held until commit, so the
  // pseud cannot be deleted between this and the insert that credits it (which would fail its key).
  const pseud = parsed.success
    ? await db
        .updateTable('pseuds')
        .set((eb) => ({ name: eb.ref('name') }))
        .where('user_id', '=', viewer.id)
        .where('name_key', '=', pseudKey(parsed.data))
        .returning(['id', 'name'])
        .executeTakeFirst()
    : undefined;
  if (!pseud) {
    throw new ValidationError('Choose one of your own pseuds.', {
      pseud: 'You have no pseud by that name: choose one of your own.',
    });
  }
  return pseud;
}

/** The pseud named beside a form's or request's other fields (`pseud`); absent means the default. */
export function pseudChoiceOf(input: unknown): unknown {
  return input !== null && typeof input === 'object' ? (input as { pseud?: unknown }).pseud : undefined;
}

function descriptionHtml(text: string): string {
  const html = text ? toWorkHtml(text, 'html') : '';
  if (htmlToPlainText(html).length > PSEUD_LIMITS.description) {
    throw new ValidationError('Please fix the pseud.', {
      description: `Descriptions can be at most ${PSEUD_LIMITS.description} characters of text.`,
    });
  }
  return html;
}

function nameTaken(): ConflictError {
  return new ConflictError('You already have a pseud by that name.', {
    name: 'You already have a pseud by that name (names differ by more than case).',
  });
}

async function ensureNameFree(db: Reader, userId: number, name: string, except?: number): Promise<void> {
  let query = db
    .selectFrom('pseuds')
    .select('id')
    .where('user_id', '=', userId)
    .where('name_key', '=', pseudKey(name));
  if (except !== undefined) query = query.where('id', '<>', except);
  if (await query.executeTakeFirst()) throw nameTaken();
}

export async function createPseud(
  db: Kysely<Database>,
  viewer: Viewer | null,
  input: unknown,
): Promise<Pseud> {
  if (!viewer) throw new AuthenticationError('Log in to add a pseud.');
  const parsed = newPseudSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Please fix the pseud.', fieldErrorsFrom(parsed.error));
  const fields: NewPseud = parsed.data;
  const description = descriptionHtml(fields.description);
  await ensureNameFree(db, viewer.id, fields.name);
  try {
    const created = await db
      .insertInto('pseuds')
      .values({
        user_id: viewer.id,
        name: fields.name,
        name_key: pseudKey(fields.name),
        is_default: 0,
        description,
        icon_alt_text: fields.icon_alt_text,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return pseudById(db, created.id);
  } catch (error) {
    // Two requests for the same name at once: the unique key lets one through.
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
}

/** Changes what was sent: the name, description, icon alt text, or which pseud is the default. */
export async function updatePseud(
  db: Kysely<Database>,
  viewer: Viewer | null,
  id: number,
  input: unknown,
): Promise<Pseud> {
  const pseud = await ownPseud(db, viewer, id);
  const parsed = pseudChangeSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Please fix the pseud.', fieldErrorsFrom(parsed.error));
  const change: PseudChange = parsed.data;
  if (change.default === false && pseud.isDefault) {
    throw new ValidationError('Please fix the pseud.', {
      default: 'An account always has a default pseud: make another pseud the default instead.',
    });
  }
  const description = change.description === undefined ? undefined : descriptionHtml(change.description);
  if (change.name !== undefined) await ensureNameFree(db, pseud.userId, change.name, pseud.id);
  try {
    await db.transaction().execute(async (trx) => {
      const fields = {
        ...(change.name !== undefined ? { name: change.name, name_key: pseudKey(change.name) } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(change.icon_alt_text !== undefined ? { icon_alt_text: change.icon_alt_text } : {}),
      };
      if (Object.keys(fields).length > 0)
        await trx.updateTable('pseuds').set(fields).where('id', '=', pseud.id).execute();
      if (change.default && !pseud.isDefault) {
        // This pseud first: its row stays locked until commit, so a deletion of it either went first (and
        // nothing changes here) or waits and then finds it the default; the account never loses its default.
        const made = await trx
          .updateTable('pseuds')
          .set({ is_default: 1 })
          .where('id', '=', pseud.id)
          .executeTakeFirst();
        if (Number(made.numUpdatedRows) === 0) throw noSuchPseud();
        await trx
          .updateTable('pseuds')
          .set({ is_default: 0 })
          .where('user_id', '=', pseud.userId)
          .where('id', '<>', pseud.id)
          .execute();
      }
      if (change.name !== undefined && change.name !== pseud.name)
        await bylinesChanged(trx, await creditedWorkIds(trx, pseud.id));
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
  return pseudById(db, pseud.id);
}

async function creditedWorkIds(db: Reader, pseudId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('work_creators')
    .select('work_id')
    .where('pseud_id', '=', pseudId)
    .execute();
  return rows.map((row) => row.work_id);
}

/**
 * These works read a new byline: search reads it again, and downloads are built again (a new revision is
 * their cache key).
 */
async function bylinesChanged(trx: Transaction<Database>, workIds: number[]): Promise<void> {
  if (workIds.length === 0) return;
  await trx
    .updateTable('works')
    .set({ revised_at: new Date().toISOString() })
    .where('id', 'in', workIds)
    .execute();
  await writeWorkSearchTexts(trx, workIds);
}

const defaultUndeletable = () =>
  new ValidationError('You cannot delete your default pseud: make another pseud the default first.');

/**
 * Deletes a pseud that is not the default; its works, comments, bookmarks and pending co-creator
 * invitations move to the default pseud.
 */
export async function deletePseud(db: Kysely<Database>, viewer: Viewer | null, id: number): Promise<Pseud> {
  const pseud = await ownPseud(db, viewer, id);
  if (pseud.isDefault) throw defaultUndeletable();
  await db.transaction().execute(async (trx) => {
    // Held until commit, and only while it is not the default: a change making it the default at the same
    // moment either went first (and this refuses) or waits for this deletion.
    const held = await trx
      .updateTable('pseuds')
      .set((eb) => ({ is_default: eb.ref('is_default') }))
      .where('id', '=', pseud.id)
      .where('is_default', '=', 0)
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) === 0) throw defaultUndeletable();
    const target = await defaultPseud(trx, pseud.userId);
    const workIds = await creditedWorkIds(trx, pseud.id);
    // A work credited to both pseuds keeps one credit, the default's.
    if (workIds.length > 0) {
      const both = await trx
        .selectFrom('work_creators')
        .select('work_id')
        .where('pseud_id', '=', target.id)
        .where('work_id', 'in', workIds)
        .execute();
      if (both.length > 0) {
        await trx
          .deleteFrom('work_creators')
          .where('pseud_id', '=', pseud.id)
          .where(
            'work_id',
            'in',
            both.map((row) => row.work_id),
          )
          .execute();
      }
    }
    await trx
      .updateTable('work_creators')
      .set({ pseud_id: target.id })
      .where('pseud_id', '=', pseud.id)
      .execute();
    await trx.updateTable('comments').set({ pseud_id: target.id }).where('pseud_id', '=', pseud.id).execute();
    await trx
      .updateTable('bookmarks')
      .set({ pseud_id: target.id })
      .where('pseud_id', '=', pseud.id)
      .execute();
    // Pending co-creator invitations move too; where the default pseud is already invited to that work,
    // the deleted pseud's one is the duplicate and goes.
    await trx
      .deleteFrom('creatorship_invitations')
      .where('pseud_id', '=', pseud.id)
      .where('work_id', 'in', (eb) =>
        eb.selectFrom('creatorship_invitations').select('work_id').where('pseud_id', '=', target.id),
      )
      .execute();
    await trx
      .updateTable('creatorship_invitations')
      .set({ pseud_id: target.id })
      .where('pseud_id', '=', pseud.id)
      .execute();
    await bylinesChanged(trx, workIds);
    await trx.deleteFrom('pseuds').where('id', '=', pseud.id).execute();
  });
  return pseud;
}
