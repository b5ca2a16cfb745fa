import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';
import { type LoadedCorpus, loadManyWorks, loadWorkCorpus } from '../support/workCorpus.ts';

// GET /api/v1/works: the JSON twin of the works listings, with the same parameters as their sidebar.

interface WorkList {
  works: { id: number; title: string; fandoms: string[]; word_count: number }[];
  next_cursor: string | null;
  total: number;
  facets: Record<string, { name: string; count: number }[]>;
  unknown_tags: string[];
}

function sorted(titles: string[]): string[] {
  return [...titles].sort();
}

describe(`GET /api/v1/works finds works (${testDialect})`, () => {
  let archive: TestArchive;
  let corpus: LoadedCorpus;
  let reader: ApiWriter;
  let pagingTitles: string[];

  async function get(query: string, token?: string) {
    const response = await archive.app.inject({
      method: 'GET',
      url: `/api/v1/works${query ? `?${query}` : ''}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.statusCode, json: response.json() };
  }

  async function titles(query: string): Promise<string[]> {
    const { status, json } = await get(query);
    assert.equal(status, 200, `${query}: ${JSON.stringify(json)}`);
    return (json as WorkList).works.map((work) => work.title).filter((title) => !title.startsWith('Paging'));
  }

  before(async () => {
    archive = await startTestArchive();
    corpus = await loadWorkCorpus(archive);
    pagingTitles = await loadManyWorks(archive, corpus.writers.inkwell, 'Paging Fandom', 45);
    reader = await ApiWriter.signUp(archive.app, 'apireader');
  });

  after(async () => archive?.close());

  it('answers with a page of works, the next cursor, the total, facets and unknown tags', async () => {
    const { status, json } = await get('include=Tidewater%20Chronicles');
    assert.equal(status, 200);
    const list = json as WorkList;
    assert.deepEqual(Object.keys(list).sort(), ['facets', 'next_cursor', 'total', 'unknown_tags', 'works']);
    assert.equal(list.total, 3);
    assert.equal(list.next_cursor, null);
    assert.deepEqual(list.unknown_tags, []);
    assert.deepEqual(sorted(list.works.map((work) => work.title)), [
      'Fog Signal',
      'Salt Roads',
      'Winter Harbour',
    ]);
    const winter = list.works.find((work) => work.title === 'Winter Harbour')!;
    assert.equal(winter.id, corpus.ids.get('Winter Harbour'));
    assert.equal(winter.word_count, 1200);
    assert.deepEqual(Object.keys(list.facets).sort(), [
      'category',
      'character',
      'fandom',
      'freeform',
      'rating',
      'relationship',
      'warning',
    ]);
    assert.deepEqual(
      list.facets.character.find((facet) => facet.name === 'Mara Voss'),
      { name: 'Mara Voss', count: 2 },
    );
    assert.deepEqual(
      list.facets.fandom.find((facet) => facet.name === 'Starfall Saga'),
      { name: 'Starfall Saga', count: 1 },
      'the crossover counts under its other fandom',
    );
    assert.deepEqual(
      list.facets.warning.find((facet) => facet.name === 'Major Character Death'),
      {
        name: 'Major Character Death',
        count: 1,
      },
    );
  });

  it('narrows by a facet it offered, by exactly its count', async () => {
    const { json } = await get('include=Tidewater%20Chronicles');
    for (const facet of (json as WorkList).facets.freeform) {
      const narrowed = (await get(`include=Tidewater%20Chronicles&include=${encodeURIComponent(facet.name)}`))
        .json as WorkList;
      assert.equal(narrowed.total, facet.count, facet.name);
      assert.equal(narrowed.works.length, facet.count, facet.name);
    }
  });

  it('applies every filter parameter', async () => {
    const scope = 'include=Tidewater%20Chronicles';
    const cases: [string, string[]][] = [
      [`${scope}&exclude=Major%20Character%20Death`, ['Fog Signal', 'Winter Harbour']],
      [`${scope}&exclude=Fluff,Angst`, ['Winter Harbour']],
      [`${scope}&rating=Mature`, ['Salt Roads']],
      [`${scope}&rating=General%20Audiences,Mature`, ['Fog Signal', 'Salt Roads']],
      [`${scope}&complete=true`, ['Salt Roads', 'Winter Harbour']],
      [`${scope}&complete=false`, ['Fog Signal']],
      [`${scope}&complete=`, ['Fog Signal', 'Salt Roads', 'Winter Harbour']],
      [`${scope}&crossover=only`, ['Salt Roads']],
      [`${scope}&crossover=exclude`, ['Fog Signal', 'Winter Harbour']],
      [`${scope}&words_from=1000&words_to=2000`, ['Winter Harbour']],
      [`${scope}&updated_from=2024-01-01&updated_to=2024-03-31`, ['Winter Harbour']],
      ['include=Starfall%20Saga&language=fr', ['Starlit Archive']],
      ['include=Slow%20Burn&include=Starfall%20Saga', ['Starlit Archive']],
    ];
    for (const [query, expected] of cases) assert.deepEqual(sorted(await titles(query)), expected, query);
  });

  it('sorts by each order it names', async () => {
    const scope = 'include=Starfall%20Saga';
    const cases: [string, string[]][] = [
      ['updated', ['Quiet Orbit', 'Starlit Archive', 'Salt Roads']],
      ['posted', ['Quiet Orbit', 'Starlit Archive', 'Salt Roads']],
      ['kudos', ['Salt Roads', 'Starlit Archive', 'Quiet Orbit']],
      ['hits', ['Salt Roads', 'Starlit Archive', 'Quiet Orbit']],
      ['comments', ['Salt Roads', 'Starlit Archive', 'Quiet Orbit']],
      ['bookmarks', ['Starlit Archive', 'Salt Roads', 'Quiet Orbit']],
      ['words', ['Quiet Orbit', 'Salt Roads', 'Starlit Archive']],
      ['title', ['Quiet Orbit', 'Salt Roads', 'Starlit Archive']],
    ];
    for (const [sort, expected] of cases)
      assert.deepEqual(await titles(`${scope}&sort=${sort}`), expected, sort);
    const byCreator = await titles(`${scope}&sort=creator`);
    assert.equal(byCreator.at(-1), 'Quiet Orbit', 'quill comes after inkwell');
  });

  it('searches text with the same grammar as the search box', async () => {
    const cases: [string, string[]][] = [
      ['"lamp turned all night"', ['Winter Harbour']],
      ['lamp turned', ['Salt Roads', 'Winter Harbour']],
      ['lamp -salt', ['Winter Harbour']],
      ['kettle OR charted', ['Fog Signal', 'Quiet Orbit', 'Starlit Archive']],
      ['words>10000', ['Quiet Orbit']],
      ['fandom:"Tidewater Chronicles" kettle', ['Fog Signal']],
      ['Navigator', ['Quiet Orbit', 'Starlit Archive']],
    ];
    for (const [q, expected] of cases) {
      assert.deepEqual(sorted(await titles(`q=${encodeURIComponent(q)}`)), expected, q);
    }
    const ranked = (await get(`q=${encodeURIComponent('lamp')}`)).json as WorkList;
    assert.ok(ranked.works.length >= 2);
    const bySort = await titles(`q=lamp&sort=kudos`);
    assert.deepEqual(bySort, ['Salt Roads', 'Winter Harbour'], 'a text search may be sorted otherwise');
  });

  it('walks every page by cursor without a gap or a repeat', async () => {
    for (const sort of ['updated', 'kudos', 'words', 'title', 'creator']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `include=Paging%20Fandom&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
        const { status, json } = await get(query);
        assert.equal(status, 200, JSON.stringify(json));
        const page = json as WorkList;
        assert.equal(page.total, 45);
        seen.push(...page.works.map((work) => work.title));
        cursor = page.next_cursor;
        pages += 1;
        assert.ok(pages <= 3);
      } while (cursor);
      assert.equal(pages, 3, sort);
      assert.equal(new Set(seen).size, 45, `no repeats (${sort})`);
      assert.deepEqual(sorted(seen), sorted(pagingTitles), `no gaps (${sort})`);
    }
  });

  it('refuses parameters it cannot use with 400 and the field to fix', async () => {
    const cases: [string, string][] = [
      ['words_from=abc', 'words_from'],
      ['words_to=99999999999999999999999', 'words_to'],
      ['updated_from=2024-13-01', 'updated_from'],
      ['sort=sideways', 'sort'],
      ['sort=relevance', 'sort'],
      ['crossover=maybe', 'crossover'],
      ['complete=perhaps', 'complete'],
      ['language=xx', 'language'],
      ['rating=Spicy', 'rating'],
      ['cursor=garbage', 'cursor'],
      [`include=${'a'.repeat(300)}`, 'include'],
      [`q=${'x'.repeat(5000)}`, 'q'],
      [`q=${encodeURIComponent('words>lots')}`, 'q'],
      ['page=2', 'page'],
    ];
    for (const [query, field] of cases) {
      const { status, json } = await get(query);
      assert.equal(status, 400, query.slice(0, 60));
      assert.equal(json.error.code, 'invalid_input');
      assert.equal(typeof json.error.message, 'string');
      assert.ok(json.error.fields?.[field], `${query.slice(0, 40)} names ${field}: ${JSON.stringify(json)}`);
    }
    const first = (await get('include=Paging%20Fandom&sort=kudos')).json as WorkList;
    const foreign = await get(`include=Paging%20Fandom&sort=title&cursor=${first.next_cursor}`);
    assert.equal(foreign.status, 400, 'a cursor from another sort');
    assert.ok(foreign.json.error.fields.cursor);
  });

  it('answers unknown tags and empty ranges with an empty page, not an error', async () => {
    const unknown = (await get('include=Tidewater%20Chronicles&include=Nowhere%20Tag')) as {
      status: number;
      json: WorkList;
    };
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.json.unknown_tags, ['Nowhere Tag']);
    assert.deepEqual(unknown.json.works, []);
    assert.equal(unknown.json.total, 0);
    const excludedUnknown = await titles('include=Tidewater%20Chronicles&exclude=Nowhere%20Tag');
    assert.equal(excludedUnknown.length, 3, 'excluding a tag that does not exist leaves everything');
    assert.deepEqual(await titles('words_from=5000&words_to=10'), []);
    assert.deepEqual(await titles('updated_from=2030-01-01'), []);
  });

  it('shows restricted works only to callers with a token, and never drafts', async () => {
    assert.ok(!(await titles('include=Tidewater%20Chronicles')).includes('Locked Lighthouse'));
    const { json } = await get('include=Tidewater%20Chronicles', reader.token);
    assert.ok((json as WorkList).works.some((work) => work.title === 'Locked Lighthouse'));
    await corpus.writers.quill.postWork({
      title: 'Draft Tide',
      fandoms: ['Tidewater Chronicles'],
      draft: true,
    });
    const own = (await get('include=Tidewater%20Chronicles', corpus.writers.quill.token)).json as WorkList;
    assert.ok(!own.works.some((work) => work.title === 'Draft Tide'));
  });

  it('describes its parameters in the OpenAPI document', async () => {
    const document = (await archive.app.inject({ url: '/api/v1/openapi.json' })).json();
    const operation = document.paths['/works'].get;
    const names = operation.parameters.map((parameter: { name: string }) => parameter.name);
    for (const name of [
      'include',
      'exclude',
      'q',
      'rating',
      'complete',
      'crossover',
      'words_from',
      'words_to',
      'updated_from',
      'updated_to',
      'language',
      'sort',
      'cursor',
    ]) {
      assert.ok(names.includes(name), `documents ${name}`);
    }
    const body = operation.responses['200'].content['application/json'].schema.properties;
    assert.deepEqual(Object.keys(body).sort(), ['facets', 'next_cursor', 'total', 'unknown_tags', 'works']);
    assert.ok(operation.responses['400']);
  });
});
