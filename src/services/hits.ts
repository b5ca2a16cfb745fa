import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { WorkSummary } from './workViews.ts';

/** Who is looking at a work, as far as counting goes: a salted hash, never the address itself. */
export interface Visitor {
  userId: number | null;
  /** The salted hash that tells this visitor apart (see visitorKey). */
  key: string;
  /** Not a reader: search engines, link previews, uptime checks (and HEAD requests, which read nothing). */
  bot: boolean;
}

const BOT_AGENT = /bot|crawl|spider|slurp|preview|fetch|monitor/i;

/**
 * The part of a client address that names one guest. An IPv6 client is usually given a whole /64 and
 * may take a new address from it for every request, so it is its first 64 bits; an IPv4 address (also
 * one written IPv4-mapped, `::ffff:192.0.2.1`) is itself.
 */
export function guestAddress(ip: string): string {
  const address = ip.replace(/%.*$/, '').toLowerCase();
  if (!isIPv6(address)) return address;
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return mapped[1];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const [head, tail] = address.split('::');
  // A trailing dotted IPv4 part stands for two groups.
  const width = (part: string[]) => part.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array(8 - width(groups(head)) - width(groups(tail))).fill('0');
  const expanded = [...groups(head), ...zeros, ...groups(tail)];
  return `${expanded
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The one way a visitor becomes a key for work_hits.visitor_key and kudos.guest_key: a member by their
 * account, a guest by address (see guestAddress), so one guest gets one kudos per work (as on AO3) and
 * one hit per work a day however many browsers it claims to be; the User-Agent is only for telling
 * bots. Salted with the archive's secret so that a leaked table gives away neither addresses nor who
 * read what.
 */
export function visitorKey(salt: string, who: { userId: number } | { ip: string }): string {
  const identity = 'userId' in who ? `user:${who.userId}` : `guest:${guestAddress(who.ip)}`;
  return createHash('sha256').update(salt).update('\0').update(identity).digest('hex');
}

export function describeVisitor(salt: string, userId: number | null, ip: string, userAgent: string): Visitor {
  return {
    userId,
    key: visitorKey(salt, userId === null ? { ip } : { userId }),
    bot: BOT_AGENT.test(userAgent),
  };
}

/**
 * Counts a reader's visit to a posted work once per day. The work comes from getWork, so the visitor
 * may read it; drafts, the creators' own visits and bots are not hits.
 */
export async function recordHit(
  db: Kysely<Database>,
  work: Pick<WorkSummary, 'id' | 'draft' | 'creators'>,
  visitor: Visitor,
): Promise<boolean> {
  if (work.draft || visitor.bot) return false;
  if (visitor.userId !== null && work.creators.some((creator) => creator.userId === visitor.userId))
    return false;
  const day = new Date().toISOString().slice(0, 10);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('work_hits')
      .values({ work_id: work.id, visitor_key: visitor.key, day })
      .onConflict((conflict) => conflict.columns(['work_id', 'visitor_key', 'day']).doNothing())
      .returning('work_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await trx
      .updateTable('works')
      .set((eb) => ({ hits: eb('hits', '+', 1) }))
      .where('id', '=', work.id)
      .execute();
    return true;
  });
}
