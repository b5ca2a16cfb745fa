import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Built downloads, kept per revision in the database so that every app instance shares them and a
 * popular work is built once per change rather than once per reader.
 */
export async function cachedDownload(
  db: Kysely<Database>,
  cacheKey: string,
  revision: string,
  build: () => Promise<Buffer>,
): Promise<Buffer> {
  const cached = await db
    .selectFrom('download_cache')
    .select(['revision', 'content'])
    .where('cache_key', '=', cacheKey)
    .executeTakeFirst();
  if (cached && cached.revision === revision) return Buffer.from(cached.content);
  const content = await build();
  await db
    .insertInto('download_cache')
    .values({ cache_key: cacheKey, revision, content, created_at: new Date().toISOString() })
    .onConflict((conflict) =>
      conflict.column('cache_key').doUpdateSet({ revision, content, created_at: new Date().toISOString() }),
    )
    .execute();
  return content;
}
