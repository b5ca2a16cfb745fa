import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { QuireConfig } from '../config.ts';
import type { ArchiveDatabase } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import type { WorkSearch } from '../search/workSearch.ts';
import { AuthenticationError, NotFoundError } from '../services/errors.ts';
import { findUserByLogin } from '../services/users.ts';
import type { ArchiveSite } from '../services/workDocuments.ts';
import type { PageContext } from './views/Layout.tsx';

export const SESSION_COOKIE = 'quire_session';
const NOTICE_COOKIE = 'quire_notice';

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
    /** Unread inbox items of the logged-in reader, for the header's inbox link. */
    unreadCount: number;
  }
}

/** What every route gets: the configuration, the archive's database and the one search over its works. */
export interface WebDependencies {
  config: QuireConfig;
  archive: ArchiveDatabase;
  search: WorkSearch;
}

/**
 * The flags of every cookie the pages set (session, CSRF, notice): one set, so none is weaker than the
 * session's. `'auto'` has @fastify/cookie mark them Secure on HTTPS requests (as a trusted proxy reports).
 */
export function cookieFlags(config: QuireConfig) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies === 'auto' ? 'auto' : config.secureCookies === 'on',
  } as const;
}

/**
 * What a CSRF token is bound to: the session cookie, so a token minted in one session, or as a guest,
 * is refused in any other. Guests have no session; their tokens are told apart by the CSRF cookie alone.
 */
export function csrfBinding(request: FastifyRequest): string {
  return request.cookies[SESSION_COOKIE] || 'guest';
}

/**
 * The archive's name and public origin, for absolute links in downloads, feeds, mail and the API. The
 * Host header is the client's to choose, and these links outlive the request (cached downloads, mail to
 * subscribers), so a Host is only used when QUIRE_ALLOWED_HOSTS lists it; an archive configured with
 * neither that nor QUIRE_BASE_URL links to itself on this machine.
 */
export function archiveSite(config: QuireConfig, request: FastifyRequest): ArchiveSite {
  const host = request.host.toLowerCase();
  const [firstAllowed] = config.allowedHosts;
  const origin =
    config.baseUrl ??
    (config.allowedHosts.includes(host)
      ? `${request.protocol}://${host}`
      : firstAllowed
        ? `${request.protocol}://${firstAllowed}`
        : `http://localhost:${config.port}`);
  return { name: config.archiveName, origin };
}

/** A one-time message for the next page, carried across the redirect that follows a form. */
export function setNotice(reply: FastifyReply, config: QuireConfig, message: string): void {
  reply.setCookie(NOTICE_COOKIE, message, { ...cookieFlags(config), signed: true, maxAge: 60 });
}

export function pageContext(request: FastifyRequest, reply: FastifyReply, config: QuireConfig): PageContext {
  let notice: string | undefined;
  const carried = request.cookies[NOTICE_COOKIE];
  if (carried) {
    const unsigned = request.unsignCookie(carried);
    if (unsigned.valid && unsigned.value) notice = unsigned.value;
    reply.clearCookie(NOTICE_COOKIE, { path: '/' });
  }
  return {
    viewer: request.viewer,
    csrfToken: reply.generateCsrf({ userInfo: csrfBinding(request) }),
    archiveName: config.archiveName,
    notice,
    unreadCount: request.unreadCount,
    registration: config.registration,
  };
}

export function requireViewer(request: FastifyRequest, message?: string): Viewer {
  if (!request.viewer) throw new AuthenticationError(message);
  return request.viewer;
}

/** Route ids are positive integers; anything else is a page that does not exist. */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,15}$/.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) && id <= 2_147_483_647 ? id : null;
}

/** The archive's 404 for an address that names nothing: a route, an id or an action that cannot exist. */
export function noSuchPage(): NotFoundError {
  return new NotFoundError('There is no page at this address. It may have moved or been deleted.');
}

/** A numeric id from the route, or the archive's 404 page. */
export function routeId(request: FastifyRequest, name = 'id'): number {
  const id = parseId((request.params as Record<string, string | undefined>)[name]);
  if (id === null) throw noSuchPage();
  return id;
}

export function parsePage(value: unknown): number {
  const page = typeof value === 'string' ? Number.parseInt(value, 10) : 1;
  return Number.isFinite(page) && page > 0 && page < 100_000 ? page : 1;
}

/** The user named by the route's :login, or the archive's 404 page. */
export async function routeUser(db: Kysely<Database>, request: FastifyRequest) {
  const user = await findUserByLogin(db, (request.params as { login?: string }).login ?? '');
  if (!user) throw new NotFoundError('There is no user with that name here.');
  return user;
}
