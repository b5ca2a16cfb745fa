import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { PREFERENCES, type PreferenceName, type Preferences } from '../domain/preferences.ts';
import { AuthenticationError, ForbiddenError } from './errors.ts';

const NAMES: PreferenceName[] = PREFERENCES.map((preference) => preference.name);

/** Only the account's owner sees or changes its preferences. */
function checkOwner(viewer: Viewer | null, userId: number): void {
  if (!viewer) throw new AuthenticationError('Log in to see your preferences.');
  if (viewer.id !== userId)
    throw new ForbiddenError('Only its owner can see or change an account’s preferences.');
}

export async function getPreferences(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
): Promise<Preferences> {
  checkOwner(viewer, userId);
  const row = await db.selectFrom('users').select(NAMES).where('id', '=', userId).executeTakeFirstOrThrow();
  return Object.fromEntries(NAMES.map((name) => [name, row[name] === 1])) as Preferences;
}

/** Sets every preference at once, as the preferences form sends them (an unticked box is off). */
export async function updatePreferences(
  db: Kysely<Database>,
  viewer: Viewer | null,
  userId: number,
  preferences: Preferences,
): Promise<void> {
  checkOwner(viewer, userId);
  await db
    .updateTable('users')
    .set(Object.fromEntries(NAMES.map((name) => [name, preferences[name] ? 1 : 0])))
    .where('id', '=', userId)
    .execute();
}
