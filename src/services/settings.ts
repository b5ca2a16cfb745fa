import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * The secret that signs cookies. Kept in the database so that every app instance of one archive signs
 * alike without extra configuration; QUIRE_SECRET overrides it.
 */
export async function cookieSecret(db: Kysely<Database>): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name: 'cookie_secret', value: randomBytes(32).toString('base64url') })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', 'cookie_secret')
    .executeTakeFirstOrThrow();
  return row.value;
}
