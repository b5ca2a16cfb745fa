import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface RateLimitCount {
  /** Requests so far in the current window, this one included. */
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

/**
 * Counts one request in a fixed window. The count lives in the database so that a limit holds across
 * every app instance; one upsert keeps it exact when requests race.
 */
export async function countRequest(
  db: Kysely<Database>,
  bucket: string,
  windowMs: number,
): Promise<RateLimitCount> {
  const now = Date.now();
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket, window_ends_at: now + windowMs, hits: 1 })
    .onConflict((conflict) =>
      conflict.column('bucket').doUpdateSet({
        hits: sql`case when rate_limits.window_ends_at <= ${now} then 1 else rate_limits.hits + 1 end`,
        window_ends_at: sql`case when rate_limits.window_ends_at <= ${now} then ${now + windowMs} else rate_limits.window_ends_at end`,
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  // Now and then, forget windows that ended long ago so the table stays the size of current traffic.
  if (Math.random() < 0.01)
    await db
      .deleteFrom('rate_limits')
      .where('window_ends_at', '<', now - 24 * 60 * 60_000)
      .execute();
  return { current: Number(row.hits), ttl: Math.max(0, Number(row.window_ends_at) - now) };
}

export async function peekRequests(db: Kysely<Database>, bucket: string): Promise<RateLimitCount> {
  const now = Date.now();
  const row = await db
    .selectFrom('rate_limits')
    .select(['hits', 'window_ends_at'])
    .where('bucket', '=', bucket)
    .executeTakeFirst();
  if (!row || Number(row.window_ends_at) <= now) return { current: 0, ttl: 0 };
  return { current: Number(row.hits), ttl: Number(row.window_ends_at) - now };
}
