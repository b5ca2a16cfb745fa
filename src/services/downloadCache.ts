import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DownloadBuildError } from './downloadBuilds.ts';

/**
 * Built downloads, kept in the database so that every app instance shares them and a popular work is
 * built once per change rather than once per reader. One row per download (`work:12:epub`): a new
 * revision replaces the old one. A build that failed is kept too, as an empty file, so that asking again
 * does not spend the CPU again until the failure is old or the work changes.
 */
export const downloadCacheLimits = {
  /** All cached files together; the oldest builds go first. */
  maxBytes: 256 * 1024 * 1024,
  /** A download nobody changed for this long is built afresh on its next request. */
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
  failureMemoryMs: 15 * 60 * 1000,
};

/** Builds running in this process, so that readers asking for the same download at once share one build. */
const building = new WeakMap<Kysely<Database>, Map<string, Promise<Buffer>>>();

export async function cachedDownload(
  db: Kysely<Database>,
  cacheKey: string,
  revision: string,
  build: () => Promise<Buffer>,
): Promise<Buffer> {
  const cached = await db
    .selectFrom('download_cache')
    .select(['revision', 'content', 'created_at'])
    .where('cache_key', '=', cacheKey)
    .executeTakeFirst();
  if (cached && cached.revision === revision) {
    if (cached.content.length > 0) return Buffer.from(cached.content);
    if (Date.parse(cached.created_at) > Date.now() - downloadCacheLimits.failureMemoryMs)
      throw new DownloadBuildError('This revision could not be built a short while ago.', true);
  }
  const running = building.get(db) ?? new Map<string, Promise<Buffer>>();
  building.set(db, running);
  const key = `${cacheKey}@${revision}`;
  let result = running.get(key);
  if (!result) {
    result = buildAndKeep(db, cacheKey, revision, build).finally(() => running.delete(key));
    running.set(key, result);
  }
  return result;
}

async function buildAndKeep(
  db: Kysely<Database>,
  cacheKey: string,
  revision: string,
  build: () => Promise<Buffer>,
): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await build();
  } catch (error) {
    if (error instanceof DownloadBuildError) await keep(db, cacheKey, revision, Buffer.alloc(0));
    throw error;
  }
  await keep(db, cacheKey, revision, content);
  await evictOld(db);
  return content;
}

async function keep(
  db: Kysely<Database>,
  cacheKey: string,
  revision: string,
  content: Buffer,
): Promise<void> {
  const created_at = new Date().toISOString();
  await db
    .insertInto('download_cache')
    .values({ cache_key: cacheKey, revision, content, created_at })
    .onConflict((conflict) => conflict.column('cache_key').doUpdateSet({ revision, content, created_at }))
    .execute();
}

/** Drops builds older than the age limit, then the oldest until the rest fit in the size limit. */
async function evictOld(db: Kysely<Database>): Promise<void> {
  const { maxAgeMs, maxBytes } = downloadCacheLimits;
  await db
    .deleteFrom('download_cache')
    .where('created_at', '<', new Date(Date.now() - maxAgeMs).toISOString())
    .execute();
  // length() of a blob (SQLite) or bytea (PostgreSQL) reads the stored size, not the bytes.
  const { total } = await db
    .selectFrom('download_cache')
    .select(sql<number>`coalesce(sum(length(content)), 0)`.as('total'))
    .executeTakeFirstOrThrow();
  let excess = Number(total) - maxBytes;
  if (excess <= 0) return;
  const oldestFirst = await db
    .selectFrom('download_cache')
    .select(['cache_key', sql<number>`length(content)`.as('size')])
    .orderBy('created_at')
    .execute();
  const evicted: string[] = [];
  for (const row of oldestFirst) {
    if (excess <= 0) break;
    evicted.push(row.cache_key);
    excess -= Number(row.size);
  }
  for (let start = 0; start < evicted.length; start += 500) {
    await db
      .deleteFrom('download_cache')
      .where('cache_key', 'in', evicted.slice(start, start + 500))
      .execute();
  }
}
