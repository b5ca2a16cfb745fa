import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

// Sustained writes through the JSON API (new works, kudos, comments, chapters), each one recorded once
// the archive acknowledged it with a 2xx, for the tests that back up or kill an archive while it is
// being written to and then ask which writes survived.

/** One API request; the answer's body is null when it was not JSON. */
export type SendRequest = (
  url: string,
  payload: object,
  token?: string,
) => Promise<{ status: number; body: Record<string, unknown> | null }>;

/** Requests through app.inject, without a port. */
export function injectRequests(app: FastifyInstance): SendRequest {
  return async (url, payload, token) => {
    const response = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.statusCode, body: parseJson(response.body) };
  };
}

/** Requests to a server listening at origin. */
export function httpRequests(origin: string): SendRequest {
  return async (url, payload, token) => {
    const response = await fetch(`${origin}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: parseJson(await response.text()) };
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export type Write =
  | { kind: 'work'; id: number }
  | { kind: 'chapter'; id: number }
  | { kind: 'comment'; id: number }
  | { kind: 'kudos'; workId: number; username: string };

/** A write and where it fell on the load's clock: when it was sent, and when it was acknowledged. */
export interface AcknowledgedWrite {
  write: Write;
  sent: number;
  acknowledged: number;
}

interface Account {
  username: string;
  token: string;
}

const PASSWORD = 'long enough password';

/**
 * A writer and a few readers who keep posting: each round is a new work, kudos on it from every
 * reader, a comment, and a second chapter. The clock ticks on every request and every mark, so a test
 * can tell which writes were acknowledged before something began and which were sent after it ended.
 */
export class WriteLoad {
  readonly acknowledged: AcknowledgedWrite[] = [];
  /** Requests that got no answer (the server died under them): nothing is known about them. */
  unanswered = 0;
  private ticks = 0;
  private stopping = false;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  private constructor(
    private send: SendRequest,
    private readonly writer: Account,
    private readonly readers: Account[],
  ) {}

  static async signUp(send: SendRequest, prefix: string, readerCount = 3): Promise<WriteLoad> {
    const account = async (username: string): Promise<Account> => {
      const created = await send('/api/v1/users', {
        username,
        email: `${username}@example.org`,
        password: PASSWORD,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const issued = await send('/api/v1/tokens', { username, password: PASSWORD });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      return { username, token: String(issued.body?.token) };
    };
    const writer = await account(`${prefix}_writer`);
    const readers: Account[] = [];
    for (let index = 0; index < readerCount; index += 1)
      readers.push(await account(`${prefix}_reader${index}`));
    return new WriteLoad(send, writer, readers);
  }

  /** The clock now; later writes are sent after it, earlier acknowledgements came before it. */
  mark(): number {
    this.ticks += 1;
    return this.ticks;
  }

  /** Sends the next requests elsewhere (the same archive, restarted on another port). */
  redirect(send: SendRequest): void {
    this.send = send;
  }

  /** Resolves once `count` writes in all have been acknowledged. */
  whenAcknowledged(count: number): Promise<void> {
    if (this.acknowledged.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Keeps writing from `lanes` loops at once until stop() is called. */
  async run(lanes = 1): Promise<void> {
    this.stopping = false;
    await Promise.all(Array.from({ length: lanes }, (_, lane) => this.lane(lane)));
  }

  stop(): void {
    this.stopping = true;
  }

  private async lane(lane: number): Promise<void> {
    for (let round = 0; !this.stopping; round += 1) {
      const work = await this.post(
        '/api/v1/works',
        {
          title: `Tide ${lane}.${round}`,
          rating: 'General Audiences',
          warnings: ['No Archive Warnings Apply'],
          fandoms: ['Original Work'],
          chapters: [{ body: `<p>Lane ${lane}, round ${round}: the first tide comes in.</p>` }],
        },
        this.writer,
        (body) => ({ kind: 'work', id: Number(body.id) }),
      );
      if (work?.kind !== 'work') continue;
      for (const reader of this.readers) {
        if (this.stopping) return;
        await this.post(`/api/v1/works/${work.id}/kudos`, {}, reader, () => ({
          kind: 'kudos',
          workId: work.id,
          username: reader.username,
        }));
      }
      if (this.stopping) return;
      const commenter = this.readers[round % this.readers.length];
      await this.post(
        `/api/v1/works/${work.id}/comments`,
        { body: `<p>Round ${round} of lane ${lane} was lovely.</p>` },
        commenter,
        (body) => ({ kind: 'comment', id: Number(body.id) }),
      );
      if (this.stopping) return;
      await this.post(
        `/api/v1/works/${work.id}/chapters`,
        { body: `<p>Lane ${lane}, round ${round}: the tide goes out again.</p>` },
        this.writer,
        (body) => ({ kind: 'chapter', id: Number(body.id) }),
      );
    }
  }

  private async post(
    url: string,
    payload: object,
    account: Account,
    written: (body: Record<string, unknown>) => Write,
  ): Promise<Write | null> {
    const sent = this.mark();
    let answer: Awaited<ReturnType<SendRequest>>;
    try {
      answer = await this.send(url, payload, account.token);
    } catch {
      // No answer means the archive is gone (the crash test killed it): every lane stops.
      this.unanswered += 1;
      this.stopping = true;
      return null;
    }
    assert.ok(
      answer.status >= 200 && answer.status < 300,
      `${url}: ${answer.status} ${JSON.stringify(answer.body)}`,
    );
    const write = written(answer.body ?? {});
    this.acknowledged.push({ write, sent, acknowledged: this.mark() });
    for (const waiter of this.waiters.filter((entry) => entry.count <= this.acknowledged.length))
      waiter.resolve();
    this.waiters = this.waiters.filter((entry) => entry.count > this.acknowledged.length);
    return write;
  }
}

/** Whether the archive holds the write. */
export async function holds(db: Kysely<Database>, write: Write): Promise<boolean> {
  switch (write.kind) {
    case 'work':
      return (
        (await db.selectFrom('works').select('id').where('id', '=', write.id).executeTakeFirst()) !==
        undefined
      );
    case 'chapter':
      return (
        (await db.selectFrom('chapters').select('id').where('id', '=', write.id).executeTakeFirst()) !==
        undefined
      );
    case 'comment':
      return (
        (await db.selectFrom('comments').select('id').where('id', '=', write.id).executeTakeFirst()) !==
        undefined
      );
    case 'kudos':
      return (
        (await db
          .selectFrom('kudos')
          .innerJoin('users', 'users.id', 'kudos.user_id')
          .select('kudos.id')
          .where('kudos.work_id', '=', write.workId)
          .where('users.username', '=', write.username)
          .executeTakeFirst()) !== undefined
      );
  }
}

/** Works whose counters disagree with the rows they count: what a torn copy or a half-kept transaction shows. */
export async function worksWithWrongCounters(db: Kysely<Database>): Promise<unknown[]> {
  const { rows } = await sql`select w.id from works w
    where w.kudos_count <> (select count(*) from kudos k where k.work_id = w.id)
       or w.comments_count <> (select count(*) from comments c where c.work_id = w.id and c.status = 'visible')
       or w.chapter_count <> (select count(*) from chapters c where c.work_id = w.id)
       or w.word_count <> (select coalesce(sum(c.word_count), 0) from chapters c where c.work_id = w.id)`.execute(
    db,
  );
  return rows;
}
