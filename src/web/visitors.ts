import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { QuireConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { describeVisitor, type Visitor } from '../services/hits.ts';
import { cookieSecret } from '../services/settings.ts';

// The salt is the secret that signs cookies; it never changes while the archive runs, so read it once.
const salts = new WeakMap<Kysely<Database>, Promise<string>>();

export function visitorSalt(config: QuireConfig, db: Kysely<Database>): Promise<string> {
  let salt = salts.get(db);
  if (!salt) {
    salt = config.secret ? Promise.resolve(config.secret) : cookieSecret(db);
    salt.catch(() => salts.delete(db));
    salts.set(db, salt);
  }
  return salt;
}

/** The request's reader, for hits and guest kudos. */
export async function visitorOf(
  request: FastifyRequest,
  config: QuireConfig,
  db: Kysely<Database>,
): Promise<Visitor> {
  const visitor = describeVisitor(
    await visitorSalt(config, db),
    request.viewer?.id ?? null,
    request.ip,
    request.headers['user-agent'] ?? '',
  );
  // A HEAD request (link checkers, previews) fetches no text, so nobody read anything.
  return request.method === 'HEAD' ? { ...visitor, bot: true } : visitor;
}
