import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabase } from '../../src/db/database.ts';
import type { Viewer } from '../../src/domain/permissions.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { enqueueJob, runDueJobs } from '../../src/jobs/queue.ts';
import { REINDEX_JOB } from '../../src/jobs/reindexJob.ts';
import { createWorkSearch } from '../../src/search/archiveWorkSearch.ts';
import { parseWorkQuery } from '../../src/search/queryParams.ts';
import type {
  TextQuery,
  WorkQuery,
  WorkSearch,
  WorkSearchScope,
  WorkSort,
} from '../../src/search/workSearch.ts';
import { rebuildFilterTags } from '../../src/services/filterTags.ts';
import { leaveKudos } from '../../src/services/kudos.ts';
import { addUserRelation } from '../../src/services/muting.ts';
import { pruneSearchChanges, reindexAllWorks } from '../../src/services/reindexing.ts';
import { createWork, deleteWork, updateWork } from '../../src/services/works.ts';
import { member } from '../support/members.ts';
import { quire } from '../support/quireCommand.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// The search engine itself, through the services that write works: every filter, sort and cursor, full
// text, facets, who may see what, and the index staying exact while works change, on both databases.

interface Spec {
  title: string;
  fandoms: string[];
  rating?: string;
  warnings?: string[];
  characters?: string[];
  freeforms?: string[];
  body?: string;
  summary?: string;
  language?: string;
  complete?: boolean;
  restricted?: boolean;
  draft?: boolean;
}

interface Facts {
  words?: number;
  kudos?: number;
  hits?: number;
  comments?: number;
  bookmarks?: number;
  posted?: string;
  updated?: string;
}

/** The query of a listing with no parameters, changed as a test asks. */
function workQuery(overrides: Partial<WorkQuery> = {}): WorkQuery {
  return { ...parseWorkQuery({}).query, ...overrides };
}

const word = (text: string) => ({ kind: 'word' as const, word: text });
const phrase = (...words: string[]) => ({ kind: 'phrase' as const, words });

describe(`work search (${testDialect})`, () => {
  let archive: TestArchive;
  let search: WorkSearch;
  let quill: Viewer;
  let inkwell: Viewer;
  let reader: Viewer;
  const titles = new Map<number, string>();
  const ids = new Map<string, number>();

  async function post(writer: Viewer, spec: Spec, facts: Facts = {}): Promise<number> {
    const { id } = await createWork(
      archive.archive.db,
      writer,
      {
        title: spec.title,
        rating: spec.rating ?? 'General Audiences',
        warnings: spec.warnings ?? ['No Archive Warnings Apply'],
        fandoms: spec.fandoms,
        characters: spec.characters ?? [],
        freeforms: spec.freeforms ?? [],
        summary: spec.summary ?? '',
        language: spec.language ?? 'en',
        complete: spec.complete ?? false,
        restricted: spec.restricted ?? false,
        draft: spec.draft ?? false,
      },
      [{ body: `<p>${spec.body ?? 'Quiet words.'}</p>` }],
    );
    const changes = {
      ...(facts.words !== undefined ? { word_count: facts.words } : {}),
      ...(facts.kudos !== undefined ? { kudos_count: facts.kudos } : {}),
      ...(facts.hits !== undefined ? { hits: facts.hits } : {}),
      ...(facts.comments !== undefined ? { comments_count: facts.comments } : {}),
      ...(facts.bookmarks !== undefined ? { bookmarks_count: facts.bookmarks } : {}),
      ...(facts.posted !== undefined ? { published_at: facts.posted } : {}),
      ...(facts.updated !== undefined ? { updated_at: facts.updated } : {}),
    };
    if (Object.keys(changes).length > 0)
      await archive.archive.db.updateTable('works').set(changes).where('id', '=', id).execute();
    titles.set(id, spec.title);
    ids.set(spec.title, id);
    return id;
  }

  async function find(
    overrides: Partial<WorkQuery>,
    options: { viewer?: Viewer | null; scope?: WorkSearchScope; limit?: number; using?: WorkSearch } = {},
  ) {
    return (options.using ?? search).findWorks({
      viewer: options.viewer === undefined ? reader : options.viewer,
      query: workQuery(overrides),
      scope: options.scope ?? {},
      limit: options.limit ?? 50,
    });
  }

  async function titlesOf(
    overrides: Partial<WorkQuery>,
    options: { viewer?: Viewer | null; scope?: WorkSearchScope; using?: WorkSearch } = {},
  ): Promise<string[]> {
    const page = await find(overrides, options);
    return page.workIds.map((id) => titles.get(id) ?? `#${id}`);
  }

  /** Every page of a listing, `limit` at a time, following the cursors. */
  async function allPages(overrides: Partial<WorkQuery>, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const result = await find({ ...overrides, cursor }, { limit });
      seen.push(...result.workIds.map((id) => titles.get(id) ?? `#${id}`));
      cursor = result.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('the cursors never ended');
  }

  const sorted = (names: string[]) => [...names].sort();

  before(async () => {
    archive = await startTestArchive();
    const asViewer = (m: { id: number; username: string }): Viewer => ({
      id: m.id,
      username: m.username,
      isAdmin: false,
    });
    quill = asViewer(await member(archive, 'quill'));
    inkwell = asViewer(await member(archive, 'inkwell'));
    reader = asViewer(await member(archive, 'reader'));
    search = createWorkSearch(archive.archive);

    // Every work of this corpus carries "The Keeper", so listings under it see exactly these five.
    const keeper = ['The Keeper'];
    await post(
      quill,
      {
        title: 'Winter Harbour',
        fandoms: ['Tidewater'],
        rating: 'Teen And Up Audiences',
        characters: keeper,
        freeforms: ['Slow Burn', 'Lighthouses'],
        complete: true,
        body: 'The lamp turned all night, and Mara counted every sweep of the beam.',
      },
      {
        words: 1200,
        kudos: 50,
        hits: 900,
        comments: 7,
        bookmarks: 3,
        posted: '2024-01-10T09:00:00.000Z',
        updated: '2024-03-01T09:00:00.000Z',
      },
    );
    await post(
      quill,
      {
        title: 'Fog Signal',
        fandoms: ['Tidewater'],
        characters: keeper,
        freeforms: ['Lighthouses'],
        body: 'Fog rolled in over the harbour and the horn sounded twice.',
      },
      {
        words: 300,
        kudos: 10,
        hits: 2000,
        comments: 1,
        bookmarks: 9,
        posted: '2023-06-01T09:00:00.000Z',
        updated: '2024-05-01T09:00:00.000Z',
      },
    );
    await post(
      inkwell,
      {
        title: 'Salt Roads',
        fandoms: ['Tidewater', 'Starfall'],
        rating: 'Mature',
        warnings: ['Major Character Death'],
        characters: keeper,
        freeforms: ['Slow Burn'],
        language: 'fr',
        complete: true,
        body: 'The salt roads led south past the lamp house.',
      },
      {
        words: 50_000,
        kudos: 99,
        hits: 100,
        comments: 20,
        bookmarks: 0,
        posted: '2022-02-02T09:00:00.000Z',
        updated: '2022-02-02T09:00:00.000Z',
      },
    );
    await post(
      inkwell,
      {
        title: 'Starlit Archive',
        fandoms: ['Starfall'],
        rating: 'Explicit',
        warnings: ['Graphic Depictions Of Violence'],
        characters: keeper,
        freeforms: ['Found Family'],
        complete: true,
        body: 'Stars fell over the archive while the librarian slept.',
      },
      {
        words: 8000,
        kudos: 5,
        hits: 50,
        comments: 0,
        bookmarks: 1,
        posted: '2024-02-02T09:00:00.000Z',
        updated: '2024-02-03T23:59:00.000Z',
      },
    );
    await post(
      inkwell,
      {
        title: 'Quiet Orbit',
        fandoms: ['Starfall'],
        characters: keeper,
        freeforms: ['Found Family', 'Slow Burn'],
        restricted: true,
        body: 'Nothing moved in the quiet orbit.',
      },
      {
        words: 20_000,
        kudos: 0,
        hits: 10,
        comments: 0,
        bookmarks: 0,
        posted: '2023-01-01T09:00:00.000Z',
        updated: '2023-01-01T09:00:00.000Z',
      },
    );
    await post(quill, { title: 'Draft Notes', fandoms: ['Tidewater'], characters: keeper, draft: true });
  });
  after(async () => archive.close());

  const keeper = { includeTags: ['The Keeper'] };

  it('sorts by every order, ties by newest work first', async () => {
    const expected: Record<WorkSort, string[]> = {
      updated: ['Fog Signal', 'Winter Harbour', 'Starlit Archive', 'Quiet Orbit', 'Salt Roads'],
      relevance: ['Fog Signal', 'Winter Harbour', 'Starlit Archive', 'Quiet Orbit', 'Salt Roads'],
      posted: ['Starlit Archive', 'Winter Harbour', 'Fog Signal', 'Quiet Orbit', 'Salt Roads'],
      kudos: ['Salt Roads', 'Winter Harbour', 'Fog Signal', 'Starlit Archive', 'Quiet Orbit'],
      hits: ['Fog Signal', 'Winter Harbour', 'Salt Roads', 'Starlit Archive', 'Quiet Orbit'],
      comments: ['Salt Roads', 'Winter Harbour', 'Fog Signal', 'Quiet Orbit', 'Starlit Archive'],
      bookmarks: ['Fog Signal', 'Winter Harbour', 'Starlit Archive', 'Quiet Orbit', 'Salt Roads'],
      words: ['Salt Roads', 'Quiet Orbit', 'Starlit Archive', 'Winter Harbour', 'Fog Signal'],
      title: ['Fog Signal', 'Quiet Orbit', 'Salt Roads', 'Starlit Archive', 'Winter Harbour'],
      creator: ['Quiet Orbit', 'Starlit Archive', 'Salt Roads', 'Fog Signal', 'Winter Harbour'],
    };
    for (const [sort, order] of Object.entries(expected) as Array<[WorkSort, string[]]>) {
      assert.deepEqual(await titlesOf({ ...keeper, sort }), order, sort);
      // Two at a time, the cursors walk the same order with nothing lost or repeated.
      assert.deepEqual(await allPages({ ...keeper, sort }, 2), order, `${sort} in pages`);
    }
  });

  it('filters by rating, completion, crossovers, ranges, dates and language', async () => {
    const cases: Array<[Partial<WorkQuery>, string[]]> = [
      [{ ratings: ['Mature', 'Explicit'] }, ['Salt Roads', 'Starlit Archive']],
      [{ ratings: ['Slow Burn'] }, []],
      [{ completion: 'complete' }, ['Salt Roads', 'Starlit Archive', 'Winter Harbour']],
      [{ completion: 'incomplete' }, ['Fog Signal', 'Quiet Orbit']],
      [{ crossovers: 'only' }, ['Salt Roads']],
      [{ crossovers: 'exclude' }, ['Fog Signal', 'Quiet Orbit', 'Starlit Archive', 'Winter Harbour']],
      [{ words: { min: 1000, max: 10_000 } }, ['Starlit Archive', 'Winter Harbour']],
      [{ kudos: { min: 10 } }, ['Fog Signal', 'Salt Roads', 'Winter Harbour']],
      [{ hits: { max: 100 } }, ['Quiet Orbit', 'Salt Roads', 'Starlit Archive']],
      [{ comments: { min: 7, max: 7 } }, ['Winter Harbour']],
      [{ bookmarks: { min: 3 } }, ['Fog Signal', 'Winter Harbour']],
      [{ updated: { from: '2024-02-03', to: '2024-03-01' } }, ['Starlit Archive', 'Winter Harbour']],
      [{ posted: { to: '2023-06-01' } }, ['Fog Signal', 'Quiet Orbit', 'Salt Roads']],
      [{ language: 'fr' }, ['Salt Roads']],
      [{ language: 'de' }, []],
      [{ words: { min: 10_000, max: 100 } }, []],
      [{ includeTags: ['The Keeper', 'tidewater'] }, ['Fog Signal', 'Salt Roads', 'Winter Harbour']],
      [{ excludeTags: ['Slow Burn', 'No Such Tag'] }, ['Fog Signal', 'Starlit Archive']],
      [{ includeTags: ['The Keeper', 'Slow Burn'], excludeTags: ['Starfall'] }, ['Winter Harbour']],
    ];
    for (const [filters, expected] of cases) {
      const page = await find({ ...keeper, ...filters });
      assert.deepEqual(
        sorted(page.workIds.map((id) => titles.get(id) ?? '')),
        expected,
        JSON.stringify(filters),
      );
      assert.equal(page.total, expected.length, JSON.stringify(filters));
    }
  });

  it('starts from a tag or a creator, and names the included tags that do not exist', async () => {
    const starfall = await archive.archive.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'Starfall')
      .executeTakeFirstOrThrow();
    assert.deepEqual(sorted(await titlesOf({}, { scope: { tagId: starfall.id } })), [
      'Quiet Orbit',
      'Salt Roads',
      'Starlit Archive',
    ]);
    assert.deepEqual(sorted(await titlesOf({}, { scope: { creatorUserId: quill.id } })), [
      'Fog Signal',
      'Winter Harbour',
    ]);
    const unknown = await find({ includeTags: ['Tidewater', 'Nowhere Land'] });
    assert.deepEqual(unknown.unknownTags, ['Nowhere Land']);
    assert.deepEqual(unknown.workIds, []);
    assert.equal(unknown.total, 0);
  });

  it('shows drafts to their creator on their own page only, and restricted works to members only', async () => {
    const own = { creatorUserId: quill.id, includeDraftsOf: quill.id };
    assert.ok((await titlesOf({}, { viewer: quill, scope: own })).includes('Draft Notes'));
    assert.ok(!(await titlesOf({}, { viewer: reader, scope: own })).includes('Draft Notes'));
    assert.ok(!(await titlesOf(keeper, { viewer: quill })).includes('Draft Notes'));
    assert.ok(!(await titlesOf({}, { viewer: null, scope: own })).includes('Draft Notes'));

    assert.ok(!(await titlesOf(keeper, { viewer: null })).includes('Quiet Orbit'));
    assert.ok((await titlesOf(keeper, { viewer: reader })).includes('Quiet Orbit'));
    const guestFacets = await find({ includeTags: ['Starfall'] }, { viewer: null });
    assert.deepEqual(
      guestFacets.facets.freeform.map((facet) => [facet.name, facet.count]),
      [
        ['Found Family', 1],
        ['Slow Burn', 1],
      ],
    );
  });

  it("hides muted users' works from the muting reader, except on the muted user's own page", async () => {
    const muter: Viewer = { ...(await member(archive, 'muter')), isAdmin: false };
    assert.ok((await titlesOf(keeper, { viewer: muter })).includes('Salt Roads'));
    await addUserRelation(archive.archive.db, muter, 'mute', 'inkwell');
    assert.deepEqual(sorted(await titlesOf(keeper, { viewer: muter })), ['Fog Signal', 'Winter Harbour']);
    assert.deepEqual(sorted(await titlesOf({}, { viewer: muter, scope: { creatorUserId: inkwell.id } })), [
      'Quiet Orbit',
      'Salt Roads',
      'Starlit Archive',
    ]);
    assert.ok((await titlesOf(keeper, { viewer: reader })).includes('Salt Roads'));
  });

  it('counts the top tags of the whole result, leaving out synonyms and the tags already chosen', async () => {
    const page = await find({ includeTags: ['Tidewater'] }, { viewer: null, limit: 1 });
    assert.equal(page.workIds.length, 1);
    assert.equal(page.total, 3);
    const pairs = (type: keyof typeof page.facets) =>
      page.facets[type].map((facet) => [facet.name, facet.count]);
    assert.deepEqual(pairs('freeform'), [
      ['Lighthouses', 2],
      ['Slow Burn', 2],
    ]);
    assert.deepEqual(pairs('fandom'), [['Starfall', 1]]);
    assert.deepEqual(pairs('character'), [['The Keeper', 3]]);
    assert.deepEqual(pairs('rating'), [
      ['General Audiences', 1],
      ['Mature', 1],
      ['Teen And Up Audiences', 1],
    ]);

    // The same counts whether the result is a small part of the archive or nearly all of it.
    const everything = await find({}, { viewer: null, limit: 1 });
    const tidewater = everything.facets.fandom.find((facet) => facet.name === 'Tidewater');
    assert.equal(tidewater?.count, page.total);
    const slowBurn = everything.facets.freeform.find((facet) => facet.name === 'Slow Burn');
    assert.equal(slowBurn?.count, (await find({ includeTags: ['Slow Burn'] }, { viewer: null })).total);
  });

  it('finds works under synonyms and meta tags, and counts a synonym under its canonical tag', async () => {
    const db = archive.archive.db;
    const burning = await post(inkwell, {
      title: 'Burning Slowly',
      fandoms: ['Gleam'],
      freeforms: ['slowburn fic', 'Coffee Shop AU'],
    });
    const tag = (name: string) =>
      db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const slowBurn = await tag('Slow Burn');
    const synonym = await tag('slowburn fic');
    const coffee = await tag('Coffee Shop AU');
    await post(quill, { title: 'Meta Holder', fandoms: ['Elsewhere'], freeforms: ['Alternate Universe'] });
    const meta = await tag('Alternate Universe');
    assert.ok(!(await titlesOf({ includeTags: ['Slow Burn'] })).includes('Burning Slowly'));

    await db.updateTable('tags').set({ merger_id: slowBurn.id }).where('id', '=', synonym.id).execute();
    await db
      .updateTable('tags')
      .set({ canonical: 1 })
      .where('id', 'in', [slowBurn.id, coffee.id, meta.id])
      .execute();
    await db
      .insertInto('tag_parents')
      .values({ parent_id: meta.id, child_id: coffee.id, kind: 'meta' })
      .execute();
    await rebuildFilterTags(db, [burning]);

    assert.ok((await titlesOf({ includeTags: ['Slow Burn'] })).includes('Burning Slowly'));
    assert.deepEqual(
      await titlesOf({ includeTags: ['SLOWBURN FIC'] }),
      await titlesOf({ includeTags: ['Slow Burn'] }),
    );
    assert.deepEqual(sorted(await titlesOf({ includeTags: ['Alternate Universe'] })), [
      'Burning Slowly',
      'Meta Holder',
    ]);
    const gleam = await find({ includeTags: ['Gleam'] });
    assert.deepEqual(
      gleam.facets.freeform.map((facet) => [facet.name, facet.count]),
      [
        ['Alternate Universe', 1],
        ['Coffee Shop AU', 1],
        ['Slow Burn', 1],
      ],
    );
  });

  it('matches words, phrases, exclusions and alternatives, best matches first', async () => {
    const text = (must: TextQuery['must'], mustNot: TextQuery['mustNot'] = []): Partial<WorkQuery> => ({
      ...keeper,
      text: { must, mustNot },
      sort: 'relevance',
    });
    const cases: Array<[Partial<WorkQuery>, string[]]> = [
      [text([{ anyOf: [word('lamp')] }]), ['Salt Roads', 'Winter Harbour']],
      [text([{ anyOf: [phrase('lamp', 'turned')] }]), ['Winter Harbour']],
      [text([{ anyOf: [phrase('turned', 'lamp')] }]), []],
      [text([{ anyOf: [word('lamp')] }], [{ anyOf: [word('salt')] }]), ['Winter Harbour']],
      [text([{ anyOf: [word('fog'), word('stars')] }]), ['Fog Signal', 'Starlit Archive']],
      [text([{ anyOf: [word('lamp')] }, { anyOf: [word('night')] }]), ['Winter Harbour']],
      [text([], [{ anyOf: [word('lamp')] }]), ['Fog Signal', 'Quiet Orbit', 'Starlit Archive']],
      // Words are quoted for the engine: its own syntax in a reader's words matches literally or not at all.
      [text([{ anyOf: [word('title:lamp')] }]), []],
      [text([{ anyOf: [word('"lamp')] }]), ['Salt Roads', 'Winter Harbour']],
      [text([{ anyOf: [word('lamp*')] }]), ['Salt Roads', 'Winter Harbour']],
      [text([{ anyOf: [word("lamp'), ('x")] }]), []],
    ];
    for (const [query, expected] of cases) {
      const page = await find(query);
      assert.deepEqual(
        sorted(page.workIds.map((id) => titles.get(id) ?? '')),
        expected,
        JSON.stringify(query.text),
      );
    }
    // A title match outranks a body match.
    assert.deepEqual(await titlesOf(text([{ anyOf: [word('harbour')] }])), ['Winter Harbour', 'Fog Signal']);
    const paged = await allPages(text([{ anyOf: [word('the')] }]), 1);
    assert.equal(new Set(paged).size, paged.length);
    assert.deepEqual(sorted(paged), sorted(await titlesOf(text([{ anyOf: [word('the')] }]))));
  });

  it('keeps pages stable when a work is added between them', async () => {
    const fandom = { includeTags: ['Paging Fandom'], sort: 'kudos' as const };
    for (let index = 1; index <= 5; index++)
      await post(quill, { title: `Paging ${index}`, fandoms: ['Paging Fandom'] }, { kudos: index % 2 });
    const first = await find(fandom, { limit: 2 });
    assert.deepEqual(
      first.workIds.map((id) => titles.get(id)),
      ['Paging 5', 'Paging 3'],
    );
    await post(quill, { title: 'Paging Late', fandoms: ['Paging Fandom'] }, { kudos: 7 });
    const second = await find({ ...fandom, cursor: first.nextCursor }, { limit: 2 });
    assert.deepEqual(
      second.workIds.map((id) => titles.get(id)),
      ['Paging 1', 'Paging 4'],
    );
    const third = await find({ ...fandom, cursor: second.nextCursor }, { limit: 2 });
    assert.deepEqual(
      third.workIds.map((id) => titles.get(id)),
      ['Paging 2'],
    );
    assert.equal(third.nextCursor, null);
    assert.equal(third.total, 6);
    // Titles sharing their first letters still page in order.
    assert.deepEqual(await allPages({ includeTags: ['Paging Fandom'], sort: 'title' }, 2), [
      'Paging 1',
      'Paging 2',
      'Paging 3',
      'Paging 4',
      'Paging 5',
      'Paging Late',
    ]);
    // A cursor from another sort, or not one of ours, starts from the beginning.
    const foreign = await find({ ...fandom, cursor: 'not-a-cursor' }, { limit: 2 });
    assert.deepEqual(
      foreign.workIds.map((id) => titles.get(id)),
      ['Paging Late', 'Paging 5'],
    );
  });

  it('stays exact through edits, deletions and kudos without a rebuild', async () => {
    const db = archive.archive.db;
    const id = await post(quill, { title: 'Changing Tides', fandoms: ['Mutable'], freeforms: ['Before'] });
    assert.deepEqual(await titlesOf({ includeTags: ['Before'] }), ['Changing Tides']);
    await updateWork(db, quill, id, {
      title: 'Changed Tides',
      rating: 'General Audiences',
      warnings: ['No Archive Warnings Apply'],
      fandoms: ['Mutable'],
      freeforms: ['After'],
      language: 'en',
    });
    titles.set(id, 'Changed Tides');
    assert.deepEqual(await titlesOf({ includeTags: ['Before'] }), []);
    assert.deepEqual(await titlesOf({ includeTags: ['After'] }), ['Changed Tides']);
    assert.deepEqual(
      await titlesOf({
        includeTags: ['Mutable'],
        text: { must: [{ anyOf: [word('changed')] }], mustNot: [] },
      }),
      ['Changed Tides'],
    );

    await leaveKudos(db, reader, id, null);
    assert.deepEqual(await titlesOf({ includeTags: ['Mutable'], kudos: { min: 1 } }), ['Changed Tides']);

    await deleteWork(db, quill, id);
    assert.deepEqual(await titlesOf({ includeTags: ['Mutable'] }), []);
    assert.deepEqual(await titlesOf({ includeTags: ['After'] }), []);
  });

  it('answers a repeated text search right after kudos, edits and deletions', async () => {
    const db = archive.archive.db;
    const beacon = {
      includeTags: ['Signal Coast'],
      text: { must: [{ anyOf: [word('beacon')] }], mustNot: [] },
      sort: 'relevance' as const,
    };
    const lit = await post(quill, { title: 'Lit', fandoms: ['Signal Coast'], body: 'The beacon burned.' });
    const dark = await post(quill, { title: 'Dark', fandoms: ['Signal Coast'], body: 'Nothing burned.' });
    assert.deepEqual(await titlesOf(beacon), ['Lit']);
    await leaveKudos(db, reader, lit, null);
    assert.deepEqual(await titlesOf({ ...beacon, kudos: { min: 1 } }), ['Lit']);
    assert.deepEqual(await titlesOf(beacon), ['Lit']);
    await updateWork(db, quill, dark, {
      title: 'Dark',
      summary: 'Until the beacon came back.',
      rating: 'General Audiences',
      warnings: ['No Archive Warnings Apply'],
      fandoms: ['Signal Coast'],
      language: 'en',
    });
    assert.deepEqual(sorted(await titlesOf(beacon)), ['Dark', 'Lit']);
    await deleteWork(db, quill, lit);
    assert.deepEqual(await titlesOf(beacon), ['Dark']);
  });

  it('lets another instance on the same database see every write, even after the change log is pruned', async () => {
    const other = createDatabase(archive.config.database);
    try {
      const elsewhere = createWorkSearch(other);
      await elsewhere.warm();
      await post(quill, { title: 'Seen Elsewhere', fandoms: ['Shared Fandom'] });
      assert.deepEqual(await titlesOf({ includeTags: ['Shared Fandom'] }, { using: elsewhere }), [
        'Seen Elsewhere',
      ]);

      await pruneSearchChanges(archive.archive.db, 1);
      await post(quill, { title: 'Seen After Pruning', fandoms: ['Shared Fandom'] });
      await pruneSearchChanges(archive.archive.db, 1);
      assert.deepEqual(sorted(await titlesOf({ includeTags: ['Shared Fandom'] }, { using: elsewhere })), [
        'Seen After Pruning',
        'Seen Elsewhere',
      ]);
    } finally {
      await other.close();
    }
  });

  it('rebuilds search texts for every work: directly, as the queued job and with quire reindex', async () => {
    const db = archive.archive.db;
    const lampQuery = { ...keeper, text: { must: [{ anyOf: [word('lamp')] }], mustNot: [] } };
    await db.deleteFrom('work_search_texts').execute();
    assert.deepEqual(await titlesOf(lampQuery), []);
    const progress: number[] = [];
    const result = await reindexAllWorks(db, ({ done }) => progress.push(done));
    assert.ok(result.works >= 6);
    assert.equal(progress.at(-1), result.works);
    assert.deepEqual(sorted(await titlesOf(lampQuery)), ['Salt Roads', 'Winter Harbour']);

    await db.deleteFrom('work_search_texts').execute();
    await enqueueJob(db, REINDEX_JOB, {});
    await runDueJobs(db, archive.archive.dialect, jobHandlers(archive.config));
    assert.deepEqual(sorted(await titlesOf(lampQuery)), ['Salt Roads', 'Winter Harbour']);

    await db.deleteFrom('work_search_texts').execute();
    const command = await quire(archive, 'reindex');
    assert.equal(command.status, 0, command.stderr);
    assert.match(command.stdout, new RegExp(`Reindexed ${result.works} works`));
    assert.deepEqual(sorted(await titlesOf(lampQuery)), ['Salt Roads', 'Winter Harbour']);
  });
});
