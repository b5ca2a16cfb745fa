import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { paths } from '../../src/domain/archivePaths.ts';
import { changeRole } from '../../src/services/staffRoles.ts';
import { registerUser } from '../../src/services/users.ts';
import {
  MATRIX_TAG,
  mayRead,
  type Outcome,
  type Place,
  PRIVATE_TEXTS,
  ROLES,
  ROUTE_ACCESS,
  type Role,
  type RouteAccess,
  STATES_OF,
  type State,
  type Subject,
  WORK_STATES,
  type WorkState,
} from '../fixtures/routeAccess.ts';
import { MEMBER_PASSWORD, member } from '../support/members.ts';
import { ReaderSession } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

/** One role as the matrix drives it: a page session with its CSRF token, and an API token. */
interface Actor {
  role: Role;
  /** Whom the role logs in as; a guest's log-in forms use the bystander's account. */
  username: string;
  token: string | null;
  page: ReaderSession;
}

/**
 * A work of the creator's in one state, with what hangs off it. Its title, summary, chapters and
 * comment carry a marker, `<state>-secret-<n>`, that no role who may not read the work should ever get.
 */
interface StagedWork {
  workId: number;
  firstChapterId: number;
  chapterId: number;
  seriesId: number;
  commentId: number;
  bookmarkId: number;
}

/** What a row's requests are about: a work in one state, and the creator's inbox item and subscription. */
interface Fixture {
  work: StagedWork;
  inboxItemId: number;
  subscriptionId: number;
  apiTokenId: number;
}

interface Answer {
  status: number;
  body: string;
}

const API = '/api/v1';
const AO3_ONE_SHOT = new URL('../fixtures/ao3/one-shot.html', import.meta.url);
const MATRIX_TAG_SLUG = paths.tag(MATRIX_TAG).split('/').pop()!;

/** What every work posted through the API needs besides a title and chapters. */
const WORK_BASICS = {
  rating: 'General Audiences',
  warnings: ['No Archive Warnings Apply'],
  fandoms: ['Original Work'],
};

/** How the creator posts a work of each state; a deleted one is posted, then deleted (stageWork). */
const POSTED_AS: Record<WorkState, { draft: boolean; restricted: boolean }> = {
  posted: { draft: false, restricted: false },
  draft: { draft: true, restricted: false },
  restricted: { draft: false, restricted: true },
  deleted: { draft: false, restricted: false },
};

function outcomeOf(status: number): Outcome | 'error' {
  if (status >= 200 && status < 400) return 'allowed';
  if (status === 401 || status === 403 || status === 404) return 'refused';
  if (status === 400 || status === 409) return 'ruledOut';
  return 'error';
}

/** An answer's first words, enough for a failure message to tell a validation message from a refusal. */
function gist(body: string): string {
  return body
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

describe(`authorisation matrix (${testDialect})`, () => {
  const registered = new Set<string>();
  let archive: TestArchive;
  const actors = {} as Record<Role, Actor>;
  let bystander: Awaited<ReturnType<typeof member>>;
  const staged = {} as Record<WorkState, StagedWork>;
  let inboxItemId: number;
  let subscriptionId: number;
  let apiTokenId: number;
  let creatorPseudId: number;
  let bystanderWorkId: number;
  let serial = 0;
  let cellsAsserted = 0;

  async function api(actor: Actor | null, method: string, url: string, payload?: object): Promise<Answer> {
    const response = await archive.app.inject({
      method: method as 'GET',
      url: `${API}${url}`,
      headers: actor?.token ? { authorization: `Bearer ${actor.token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.body };
  }

  /** api(), insisting that it worked: for building fixtures. */
  async function made(actor: Actor, method: string, url: string, payload?: object) {
    const answer = await api(actor, method, url, payload);
    assert.ok(answer.status < 300, `${method} ${url} as ${actor.role}: ${answer.status} ${answer.body}`);
    return answer.body ? JSON.parse(answer.body) : null;
  }

  async function stageWork(state: WorkState, extras: { comment: boolean; bookmark: boolean }) {
    const creator = actors.creator;
    const marker = `${state}-secret-${++serial}`;
    const work = await made(creator, 'POST', '/works', {
      title: `Matrix ${marker}`,
      summary: `The summary of ${marker}`,
      ...WORK_BASICS,
      freeforms: [MATRIX_TAG],
      ...POSTED_AS[state],
      series_title: `Matrix series ${serial}`,
      chapters: [
        { title: 'First', body: `<p>The first chapter of ${marker}.</p>` },
        { title: 'Second', body: `<p>The second chapter of ${marker}.</p>` },
      ],
    });
    const series = await archive.archive.db
      .selectFrom('series_works')
      .select('series_id')
      .where('work_id', '=', work.id)
      .executeTakeFirstOrThrow();
    // Nobody can comment on or bookmark a draft (STATES_OF leaves those cells out).
    const reader = actors.otherUser;
    const comment =
      extras.comment && state !== 'draft'
        ? await made(reader, 'POST', `/works/${work.id}/comments`, { body: `A comment on ${marker}.` })
        : { id: 0 };
    const bookmark =
      extras.bookmark && state !== 'draft'
        ? await made(reader, 'POST', '/bookmarks', { work_id: work.id, notes: 'Mine.' })
        : { id: 0 };
    if (state === 'deleted') {
      // SQLite hands the highest id out again once it is deleted (see the todo below): another work
      // made after this one keeps the deleted ids from being given to the next fixture.
      const keeper = await made(creator, 'POST', '/works', {
        title: `Keeper ${serial}`,
        ...WORK_BASICS,
        chapters: [{ body: '<p>Kept.</p>' }],
      });
      await made(reader, 'POST', `/works/${keeper.id}/comments`, { body: 'Kept.' });
      await made(reader, 'POST', '/bookmarks', { work_id: keeper.id });
      await made(creator, 'DELETE', `/works/${work.id}`);
    }
    return {
      workId: work.id,
      firstChapterId: work.chapters[0].id,
      chapterId: work.chapters[1].id,
      seriesId: series.series_id,
      commentId: comment.id,
      bookmarkId: bookmark.id,
    } satisfies StagedWork;
  }

  /** A new comment by another reader on the creator's work lands in the creator's inbox. */
  async function stageInboxItem(): Promise<number> {
    await made(actors.otherUser, 'POST', `/works/${staged.posted.workId}/comments`, {
      body: 'A reader writes to the creator.',
    });
    const inbox = await made(actors.creator, 'GET', '/inbox');
    return inbox.items[0].id;
  }

  /** The creator's subscription to a new work of the bystander's. */
  async function stageSubscription(): Promise<number> {
    const work = await bystander.api.postWork({ title: `Bystander's work ${++serial}` });
    return (await made(actors.creator, 'POST', '/subscriptions', { work_id: work.id })).id;
  }

  /** A spare API token of the creator's. */
  async function stageApiToken(): Promise<number> {
    return (await made(actors.creator, 'POST', '/tokens', { name: `Spare ${++serial}` })).id;
  }

  async function asActor(role: Role, username: string, token: string | null): Promise<Actor> {
    const page = new ReaderSession(archive.app);
    if (token) assert.equal((await page.logIn(username, MEMBER_PASSWORD)).status, 303);
    else await page.get(paths.logIn());
    return { role, username, token, page };
  }

  before(async () => {
    archive = await startTestArchive({
      onRoute: (route) => {
        for (const method of [route.method].flat()) registered.add(`${method} ${route.url}`);
      },
    });
    bystander = await member(archive, 'bystander');
    bystanderWorkId = (await bystander.api.postWork({ title: "The bystander's work" })).id;
    for (const role of ROLES) {
      if (role === 'guest') {
        actors.guest = await asActor('guest', bystander.username, null);
        continue;
      }
      const username = role.toLowerCase();
      if (role !== 'admin') {
        const { api: writer, page } = await member(archive, username);
        if (role === 'wrangler' || role === 'moderator')
          await changeRole(archive.archive, 'command line', { login: username, role, granted: true });
        actors[role] = { role, username, token: writer.token, page };
        continue;
      }
      await registerUser(
        archive.archive.db,
        { username, email: `${username}@example.org`, password: MEMBER_PASSWORD },
        { mode: 'open', byAdministrator: true, admin: true },
      );
      const issued = await archive.app.inject({
        method: 'POST',
        url: `${API}/tokens`,
        payload: { username, password: MEMBER_PASSWORD },
      });
      actors.admin = await asActor(role, username, issued.json().token);
    }
    for (const state of WORK_STATES)
      staged[state] = await stageWork(state, { comment: true, bookmark: true });
    await made(actors.wrangler, 'POST', '/bookmarks', {
      work_id: staged.posted.workId,
      notes: 'My private-bookmark-note.',
      private: true,
    });
    const hidden = await made(actors.otherUser, 'POST', `/works/${staged.posted.workId}/comments`, {
      body: 'The hidden-comment-text.',
    });
    await made(actors.creator, 'PATCH', `/comments/${hidden.id}`, { status: 'hidden' });
    inboxItemId = await stageInboxItem();
    subscriptionId = await stageSubscription();
    apiTokenId = await stageApiToken();
    const [creatorPseud] = (await made(actors.creator, 'GET', `/users/${actors.creator.username}/pseuds`))
      .pseuds;
    creatorPseudId = creatorPseud.id;
  });
  after(async () => archive.close());

  function placeFor(actor: Actor, { work, ...ids }: Fixture) {
    return {
      ...work,
      ...ids,
      login: actors.creator.username,
      creatorPseudId,
      bystanderWorkId,
      bystander: bystander.username,
      username: actor.username,
      unique: `${testDialect}${++serial}`,
    } satisfies Place;
  }

  function urlOf(pattern: string, subject: Subject, place: Place, row: RouteAccess): string {
    const ids: Record<Subject, number> = {
      work: place.workId,
      chapter: place.workId,
      series: place.seriesId,
      comment: place.commentId,
      bookmark: place.bookmarkId,
      inboxItem: place.inboxItemId,
      subscription: place.subscriptionId,
      apiToken: place.apiTokenId,
      user: place.workId,
      none: place.workId,
    };
    const values: Record<string, string | number> = {
      id: ids[subject],
      chapterId: place.chapterId,
      workId: place.workId,
      login: place.login,
      tag: MATRIX_TAG_SLUG,
      ...row.params?.(place),
    };
    const path = pattern.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
      const value = values[name ?? whole];
      assert.ok(value !== undefined, `${pattern}: nothing fills ${whole}`);
      return String(value);
    });
    const query = typeof row.query === 'function' ? row.query(place) : row.query;
    return query ? `${path}?${query}` : path;
  }

  /** A multipart upload of one AO3 download, as the import form sends it. */
  async function importUpload(session: ReaderSession, url: string): Promise<Answer> {
    const csrf = (await session.get(paths.logIn())).body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    const boundary = 'matrixboundary';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="one-shot.html"\r\n` +
          'Content-Type: text/html\r\n\r\n',
      ),
      fs.readFileSync(AO3_ONE_SHOT),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await archive.app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: session.cookieHeader(),
      },
    });
    return { status: response.statusCode, body: response.body };
  }

  async function send(actor: Actor, method: string, url: string, row: RouteAccess, place: Place) {
    const body = row.body?.(place);
    if (url.startsWith(API)) return api(actor, method, url.slice(API.length), body);
    // Log-in, log-out and sign-up change the session they are sent in, so they get one of their own.
    const session = row.ownSession
      ? (await asActor(actor.role, actor.username, actor.token)).page
      : actor.page;
    if (method === 'GET') return session.get(url);
    if (url === paths.adminImport()) return importUpload(session, url);
    const fields = Object.fromEntries(
      Object.entries(body ?? {}).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.map(String) : String(value),
      ]),
    );
    return session.post(url, fields);
  }

  /** Every marker of a work this role may not read, and every private text not theirs, in the answer. */
  function leaks(role: Role, answer: Answer): string[] {
    const works = WORK_STATES.filter((state) => !mayRead(role, state)).flatMap(
      (state) => answer.body.match(new RegExp(`${state}-secret-\\d+`, 'g')) ?? [],
    );
    const texts = Object.entries(PRIVATE_TEXTS).flatMap(([text, maySee]) =>
      !maySee(role) && answer.body.includes(text) ? [text] : [],
    );
    return [...works, ...texts];
  }

  for (const [route, row] of Object.entries(ROUTE_ACCESS)) {
    const [method, pattern] = route.split(' ');
    it(`${route}: ${ROLES.join(', ')} × ${STATES_OF[row.subject].join(', ')}`, async () => {
      const wrong: string[] = [];
      const freshWorks: number[] = [];
      /** A fixture of the row's subject made for this row alone. */
      async function fresh(state: State): Promise<Fixture> {
        const work =
          state === 'any'
            ? staged.posted
            : await stageWork(state, {
                comment: row.subject === 'comment',
                bookmark: row.subject === 'bookmark',
              });
        if (work !== staged.posted) freshWorks.push(work.workId);
        return {
          work,
          inboxItemId: row.subject === 'inboxItem' ? await stageInboxItem() : inboxItemId,
          subscriptionId: row.subject === 'subscription' ? await stageSubscription() : subscriptionId,
          apiTokenId: row.subject === 'apiToken' ? await stageApiToken() : apiTokenId,
        };
      }

      for (const state of STATES_OF[row.subject]) {
        const expected = Object.fromEntries(ROLES.map((role) => [role, row.who(role, state)])) as Record<
          Role,
          Outcome
        >;
        // A change someone may make gets fixtures of its own, so that no other row finds them changed; a
        // deletion leaves nothing for the next role, so each role that may delete gets its own.
        const changes =
          method !== 'GET' &&
          row.subject !== 'user' &&
          row.subject !== 'none' &&
          ROLES.some((role) => expected[role] === 'allowed');
        const deletes = method === 'DELETE' || pattern.endsWith('/delete');
        const base: Fixture = {
          work: state === 'any' ? staged.posted : staged[state],
          inboxItemId,
          subscriptionId,
          apiTokenId,
        };
        const shared = changes ? await fresh(state) : base;
        for (const role of ROLES) {
          const actor = actors[role];
          const fixture = changes && deletes && expected[role] === 'allowed' ? await fresh(state) : shared;
          const place = placeFor(actor, fixture);
          if (row.afterReading && actor.token)
            await made(actor, 'POST', `/history/${place.bystanderWorkId}/mark-for-later`);
          const url = urlOf(pattern, row.subject, place, row);
          const answer = await send(actor, method, url, row, place);
          const got = outcomeOf(answer.status);
          cellsAsserted += 1;
          const cell = `${role} × ${state}: ${method} ${url}`;
          if (got !== expected[role])
            wrong.push(`${cell} should be ${expected[role]}, was ${answer.status} ${gist(answer.body)}`);
          const shown = leaks(role, answer);
          if (shown.length > 0) wrong.push(`${cell} (${answer.status}) shows ${shown.join(', ')}`);
        }
      }
      // Fresh works are gone again so their text (a draft posted, a restriction lifted) cannot show elsewhere.
      for (const workId of freshWorks) await api(actors.creator, 'DELETE', `/works/${workId}`);
      assert.deepEqual(wrong, [], `${route}:\n${wrong.join('\n')}`);
    });
  }

  it("never gives a deleted work's address to another work", async () => {
    const chapters = [{ body: '<p>Soon gone.</p>' }];
    const gone = await made(actors.creator, 'POST', '/works', {
      ...WORK_BASICS,
      title: 'Soon gone',
      chapters,
    });
    await made(actors.creator, 'DELETE', `/works/${gone.id}`);
    const next = await made(actors.creator, 'POST', '/works', { ...WORK_BASICS, title: 'Next', chapters });
    assert.notEqual(next.id, gone.id, `/works/${gone.id} was deleted, and now opens another work`);
  });

  it('has one row for every route the app serves, and none for a route it does not', (context) => {
    // Fastify answers HEAD with the GET route's handler: the GET row covers both.
    const routes = [...registered].filter(
      (route) => !(route.startsWith('HEAD ') && registered.has(route.replace(/^HEAD /, 'GET '))),
    );
    const missing = routes.filter((route) => !(route in ROUTE_ACCESS));
    const stale = Object.keys(ROUTE_ACCESS).filter((route) => !registered.has(route));
    assert.deepEqual(
      { missing, stale },
      { missing: [], stale: [] },
      `Routes without a row in test/fixtures/routeAccess.ts: ${missing.join(', ') || 'none'}; ` +
        `rows for routes the app no longer has: ${stale.join(', ') || 'none'}`,
    );
    context.diagnostic(
      `${routes.length} routes × ${ROLES.length} roles over their subjects' states: ${cellsAsserted} cells asserted`,
    );
  });
});
