import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { currentUsername } from '../../../services/accountChanges.ts';

/**
 * For four weeks after a change of username, links to /users/OLD/… (bookmarked, in old mail, on other
 * sites) lead to the same page under the new name: one lookup by primary key, on the pages that name a
 * user only.
 */
export function followRenamedUsers(db: Kysely<Database>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const login = (request.params as { login?: unknown } | undefined)?.login;
    if (typeof login !== 'string' || !request.routeOptions.url?.startsWith('/users/:login')) return;
    const current = await currentUsername(db, login);
    if (!current) return;
    const [path, query] = request.url.split(/\?(.*)/s, 2);
    const moved = path.replace(/^\/users\/[^/]+/, `/users/${encodeURIComponent(current)}`);
    return reply.redirect(query === undefined ? moved : `${moved}?${query}`, 301);
  };
}
