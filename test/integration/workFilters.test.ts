import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { refreshWorkIndexes } from '../../src/services/workIndexes.ts';
import { member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';
import { type LoadedCorpus, loadManyWorks, loadWorkCorpus } from '../support/workCorpus.ts';

// The works listings as a reader without JavaScript uses them: the sidebar is a GET form, so every
// filter is a query string, and what a page shows is read from its HTML.

const TIDEWATER = '/tags/Tidewater%20Chronicles/works';

interface Listing {
  status: number;
  heading: string;
  titles: string[];
  /** The problems notice above the results, as text ('' when there is none). */
  notice: string;
  nextHref: string | undefined;
  firstHref: string | undefined;
  $: cheerio.CheerioAPI;
  body: string;
}

function readListing(response: { status: number; body: string }): Listing {
  const $ = cheerio.load(response.body);
  return {
    status: response.status,
    heading: $('h1.page-title').text().replace(/\s+/g, ' ').trim(),
    titles: $('.work-list .blurb .blurb-title > a:first-child')
      .map((_, link) => $(link).text())
      .get(),
    notice: $('.listing-results .notice.error').text().replace(/\s+/g, ' ').trim(),
    nextHref: $('.pagination a[rel=next]').attr('href'),
    firstHref: $('.pagination a[rel=first]').attr('href'),
    $,
    body: response.body,
  };
}

/** The sidebar checkbox for a tag in the Include or Exclude section. */
function checkbox(listing: Listing, section: 'Include' | 'Exclude', value: string) {
  const { $ } = listing;
  const fieldset = $('form.work-filters fieldset.filter-section').filter(
    (_, element) => $(element).children('legend').text() === section,
  );
  return fieldset.find('input[type=checkbox]').filter((_, input) => $(input).attr('value') === value);
}

function sorted(titles: string[]): string[] {
  return [...titles].sort();
}

describe(`works listings with the filter sidebar and search (${testDialect})`, () => {
  let archive: TestArchive;
  let corpus: LoadedCorpus;
  let guest: ReaderSession;
  let pagingTitles: string[];

  async function list(url: string): Promise<Listing> {
    return readListing(await guest.get(url));
  }

  before(async () => {
    archive = await startTestArchive();
    corpus = await loadWorkCorpus(archive);
    pagingTitles = await loadManyWorks(archive, corpus.writers.quill, 'Paging Fandom', 45);
    guest = new ReaderSession(archive.app);
  });

  after(async () => archive?.close());

  it('lists a tag’s works with a heading, the sidebar and facet counts', async () => {
    const page = await list(TIDEWATER);
    assert.equal(page.status, 200);
    assert.equal(page.heading, '3 Works in Tidewater Chronicles');
    assert.deepEqual(sorted(page.titles), ['Fog Signal', 'Salt Roads', 'Winter Harbour']);
    const slowBurn = checkbox(page, 'Include', 'Slow Burn');
    assert.equal(slowBurn.length, 1, 'Slow Burn is offered to include');
    assert.match(slowBurn.parent().text(), /Slow Burn\s*\(1\)/);
    assert.match(checkbox(page, 'Include', 'Mara Voss').parent().text(), /Mara Voss\s*\(2\)/);
    assert.match(checkbox(page, 'Exclude', 'Major Character Death').parent().text(), /\(1\)/);
    assert.equal(page.$('input[name=rating][value="Mature"]').length, 1, 'ratings are offered as any-of');
    for (const label of ['Sort by', 'Other tags to include', 'Other tags to exclude', 'Language']) {
      assert.ok(
        page.$(`form.work-filters label:contains("${label}")`).length > 0,
        `the sidebar has ${label}`,
      );
    }
    assert.equal(page.$('form.work-filters').attr('method'), 'get');
    assert.equal(page.$('form.work-filters input[name=include][data-tag-autocomplete=any]').length, 1);
    assert.equal(page.$('form.work-filters a:contains("Clear Filters")').attr('href'), TIDEWATER);
  });

  it('narrows by an included facet and keeps it ticked', async () => {
    const page = await list(`${TIDEWATER}?include=Slow%20Burn`);
    assert.deepEqual(page.titles, ['Winter Harbour']);
    assert.equal(page.heading, '1 Work in Tidewater Chronicles');
    assert.equal(checkbox(page, 'Include', 'Slow Burn').attr('checked'), 'checked');
    const both = await list(`${TIDEWATER}?include=Mara%20Voss&include=Elias%20Quill`);
    assert.deepEqual(sorted(both.titles), ['Winter Harbour'], 'included tags must all be there');
    const commas = await list(`${TIDEWATER}?include=Mara%20Voss,Angst`);
    assert.deepEqual(commas.titles, ['Salt Roads']);
  });

  it('leaves out excluded tags and keeps the exclusion ticked', async () => {
    const page = await list(`${TIDEWATER}?exclude=Major%20Character%20Death`);
    assert.deepEqual(sorted(page.titles), ['Fog Signal', 'Winter Harbour']);
    assert.equal(checkbox(page, 'Exclude', 'Major Character Death').attr('checked'), 'checked');
    const all = await list('/works?exclude=Tidewater%20Chronicles');
    assert.deepEqual(sorted(all.titles.filter((title) => !title.startsWith('Paging'))), [
      'Quiet Orbit',
      'Starlit Archive',
    ]);
  });

  it('filters by rating, completion, crossovers, words, dates and language', async () => {
    const cases: [string, string[]][] = [
      ['rating=Mature', ['Salt Roads']],
      ['rating=General%20Audiences&rating=Mature', ['Fog Signal', 'Salt Roads']],
      ['complete=true', ['Salt Roads', 'Winter Harbour']],
      ['complete=false', ['Fog Signal']],
      ['crossover=only', ['Salt Roads']],
      ['crossover=exclude', ['Fog Signal', 'Winter Harbour']],
      ['words_from=1000', ['Salt Roads', 'Winter Harbour']],
      ['words_from=1000&words_to=2000', ['Winter Harbour']],
      ['words_to=500', ['Fog Signal']],
      ['updated_from=2024-01-01', ['Fog Signal', 'Winter Harbour']],
      ['updated_from=2024-03-01&updated_to=2024-03-01', ['Winter Harbour']],
      ['updated_to=2023-12-31', ['Salt Roads']],
    ];
    for (const [query, expected] of cases) {
      const page = await list(`${TIDEWATER}?${query}`);
      assert.equal(page.status, 200, query);
      assert.deepEqual(sorted(page.titles), expected, query);
      assert.equal(page.notice, '', `${query} is understood`);
    }
    const french = await list('/tags/Starfall%20Saga/works?language=fr');
    assert.deepEqual(french.titles, ['Starlit Archive']);
    assert.equal(french.$('select[name=language] option[selected]').attr('value'), 'fr');
  });

  it('redraws every choice it was given in the sidebar', async () => {
    const page = await list(
      `${TIDEWATER}?rating=Mature&complete=true&crossover=only&words_from=100&words_to=5000&updated_from=2023-01-01&updated_to=2023-12-31&sort=kudos`,
    );
    assert.deepEqual(page.titles, ['Salt Roads']);
    const { $ } = page;
    assert.equal($('input[name=rating][value=Mature]').attr('checked'), 'checked');
    assert.equal($('input[name=complete][value=true]').attr('checked'), 'checked');
    assert.equal($('input[name=crossover][value=only]').attr('checked'), 'checked');
    assert.equal($('input[name=words_from]').attr('value'), '100');
    assert.equal($('input[name=words_to]').attr('value'), '5000');
    assert.equal($('input[name=updated_from]').attr('value'), '2023-01-01');
    assert.equal($('input[name=updated_to]').attr('value'), '2023-12-31');
    assert.equal($('select[name=sort] option[selected]').attr('value'), 'kudos');
    assert.equal($('select[name=sort] option[value=relevance]').length, 0, 'Best Match needs search words');
  });

  it('sorts by every order a reader can choose', async () => {
    const cases: [string, string[]][] = [
      ['', ['Fog Signal', 'Winter Harbour', 'Salt Roads']],
      ['sort=updated', ['Fog Signal', 'Winter Harbour', 'Salt Roads']],
      ['sort=posted', ['Fog Signal', 'Winter Harbour', 'Salt Roads']],
      ['sort=kudos', ['Salt Roads', 'Winter Harbour', 'Fog Signal']],
      ['sort=hits', ['Salt Roads', 'Winter Harbour', 'Fog Signal']],
      ['sort=comments', ['Salt Roads', 'Winter Harbour', 'Fog Signal']],
      ['sort=bookmarks', ['Salt Roads', 'Winter Harbour', 'Fog Signal']],
      ['sort=words', ['Salt Roads', 'Winter Harbour', 'Fog Signal']],
      ['sort=title', ['Fog Signal', 'Salt Roads', 'Winter Harbour']],
    ];
    for (const [query, expected] of cases) {
      assert.deepEqual((await list(`${TIDEWATER}?${query}`)).titles, expected, query || 'the default order');
    }
    const everything = await list('/tags/Starfall%20Saga/works?sort=posted');
    assert.deepEqual(everything.titles, ['Quiet Orbit', 'Starlit Archive', 'Salt Roads']);
    const byCreator = await list(`${TIDEWATER}?sort=creator`);
    assert.equal(byCreator.titles[0], 'Salt Roads', 'inkwell comes before quill');
    assert.deepEqual(sorted(byCreator.titles.slice(1)), ['Fog Signal', 'Winter Harbour']);
  });

  it('searches the text with phrases, exclusions, OR and field filters', async () => {
    const cases: [string, string[]][] = [
      ['lamp turned', ['Salt Roads', 'Winter Harbour']],
      ['"lamp turned all night"', ['Winter Harbour']],
      ['lamp -salt', ['Winter Harbour']],
      ['kettle OR orbit', ['Fog Signal', 'Quiet Orbit']],
      ['words>10000', ['Quiet Orbit']],
      ['kettle fandom:"Starfall Saga"', ['Quiet Orbit']],
      ['kudos>100', ['Salt Roads']],
      ['inkwell', ['Salt Roads', 'Starlit Archive']],
    ];
    for (const [q, expected] of cases) {
      const page = await list(`/works/search?q=${encodeURIComponent(q)}`);
      assert.equal(page.status, 200, q);
      assert.deepEqual(
        sorted(page.titles.filter((title) => !title.startsWith('Paging'))),
        expected,
        `searching ${q}`,
      );
      assert.equal(page.notice, '', `${q} is understood`);
    }
  });

  it('shows where each work matched, marked and escaped', async () => {
    const page = await list('/works/search?q=kettle');
    assert.match(page.heading, /^2 Works found/);
    const snippets = page.$('.blurb .snippet');
    assert.equal(snippets.length, 2);
    assert.deepEqual(
      page
        .$('.blurb .snippet mark')
        .map((_, mark) => page.$(mark).text())
        .get(),
      ['kettle', 'kettle'],
    );
    assert.match(
      page.body,
      /&lt;script>alert\(1\)&lt;\/script>/,
      'text that looks like HTML is shown as text',
    );
    assert.doesNotMatch(page.body, /<script>alert/);
    const fromSummary = await list('/works/search?q=winter');
    assert.match(fromSummary.$(`#work_${corpus.ids.get('Winter Harbour')} .snippet`).text(), /a winter that/);
    assert.equal(fromSummary.$('select[name=sort] option[selected]').attr('value'), 'relevance');
  });

  it('has a search page with a prominent box and a short guide to the grammar', async () => {
    const page = await list('/works/search?q=lamp');
    const box = page.$('input#work-search-q');
    assert.equal(box.attr('name'), 'q');
    assert.equal(box.attr('value'), 'lamp');
    assert.equal(
      box.attr('form'),
      page.$('form.work-filters').attr('id'),
      'the box submits with the filters',
    );
    const help = textOf(page.$('#work-search-help').html() ?? '');
    for (const part of ['"found family"', '-word', 'OR', 'words>10000', 'fandom:"Harry Potter"']) {
      assert.ok(help.includes(part), `the help mentions ${part}`);
    }
    assert.equal(page.$('form.work-filters input[name=q]').length, 0, 'one search box, not two');
    const within = await list(`${TIDEWATER}?q=kettle`);
    assert.deepEqual(within.titles, ['Fog Signal'], 'search within a tag’s results');
    assert.equal(within.$('form.work-filters input[name=q]').attr('value'), 'kettle');
  });

  it('pages by cursor through every work once, in order', async () => {
    for (const sort of ['updated', 'kudos', 'title']) {
      const seen: string[] = [];
      let url: string | undefined = `/tags/Paging%20Fandom/works?sort=${sort}`;
      let pages = 0;
      while (url) {
        const page = await list(url);
        assert.equal(page.status, 200);
        assert.ok(page.titles.length <= 20);
        if (pages === 0) assert.equal(page.heading, '1 – 20 of 45 Works in Paging Fandom');
        else {
          assert.equal(page.heading, '45 Works in Paging Fandom');
          assert.ok(page.firstHref, 'later pages lead back to the first');
          assert.deepEqual((await list(page.firstHref)).titles, seen.slice(0, 20));
        }
        seen.push(...page.titles);
        url = page.nextHref;
        pages += 1;
        assert.ok(pages <= 3, 'three pages hold 45 works');
      }
      assert.equal(pages, 3, sort);
      assert.equal(new Set(seen).size, seen.length, `no work twice (${sort})`);
      assert.deepEqual(sorted(seen), sorted(pagingTitles), `no work missed (${sort})`);
      if (sort === 'title') assert.deepEqual(seen, sorted(pagingTitles));
    }
    const first = await list('/tags/Paging%20Fandom/works?sort=kudos');
    assert.match(first.nextHref ?? '', /sort=kudos/, 'the next page keeps the sort');
    assert.match(first.nextHref ?? '', /cursor=/);
    assert.equal(first.$('.pagination a[href*="page="]').length, 0, 'no page numbers');
  });

  it('explains a bad page link and shows the first page', async () => {
    const page = await list('/tags/Paging%20Fandom/works?cursor=not-a-real-cursor');
    assert.equal(page.status, 200);
    assert.match(page.notice, /page link is out of date/);
    assert.equal(page.titles.length, 20);
    const otherSort = readListing(await guest.get('/tags/Paging%20Fandom/works?sort=kudos'));
    const mixed = await list(`${otherSort.nextHref!.replace('sort=kudos', 'sort=title')}`);
    assert.match(mixed.notice, /page link is out of date/, 'a cursor from another sort is refused');
  });

  it('answers bad input with a notice and the rest of the filters applied', async () => {
    const unknown = await list(`${TIDEWATER}?include=No%20Such%20Tag`);
    assert.equal(unknown.status, 200);
    assert.match(unknown.notice, /No tag named “No Such Tag” exists here/);
    assert.deepEqual(unknown.titles, []);
    assert.match(unknown.heading, /^0 Works/);
    assert.equal(
      unknown.$('input#filter-other-include').attr('value'),
      'No Such Tag',
      'the unknown name stays in the box to be corrected',
    );

    const words = await list(`${TIDEWATER}?words_from=abc&complete=true`);
    assert.equal(words.status, 200);
    assert.match(words.notice, /whole number/);
    assert.deepEqual(sorted(words.titles), ['Salt Roads', 'Winter Harbour'], 'complete=true still applies');

    const absurd = await list(`${TIDEWATER}?words_from=5000&words_to=10`);
    assert.equal(absurd.status, 200);
    assert.deepEqual(absurd.titles, []);
    assert.match(absurd.body, /No works match what you asked for/);

    for (const query of [
      'words_to=99999999999999999999999',
      'updated_from=2024-02-31',
      'sort=sideways',
      'crossover=maybe',
      'complete=perhaps',
      'language=xx',
      'rating=Spicy',
      `q=${encodeURIComponent('"'.repeat(10) + 'lamp -'.repeat(900))}`,
      `q=${'x'.repeat(5000)}`,
      `include=${encodeURIComponent('a'.repeat(300))}`,
      'include=Sea%00Glass',
      'sort=relevance',
    ]) {
      const page = await list(`${TIDEWATER}?${query}`);
      assert.equal(page.status, 200, query);
      assert.notEqual(page.notice, '', `${query.slice(0, 40)} is explained`);
    }
  });

  it('reads a control character in a tag’s address as a space', async () => {
    assert.equal((await list('/tags/Fluff%00/works')).heading, '2 Works in Fluff');
    assert.equal((await guest.get('/tags/%00')).status, 404);
  });

  it('hides restricted works from guests and drafts from everyone but their writer', async () => {
    assert.ok(!(await list(TIDEWATER)).titles.includes('Locked Lighthouse'));
    const reader = await member(archive, 'lanternreader');
    const seen = readListing(await reader.page.get(TIDEWATER));
    assert.ok(seen.titles.includes('Locked Lighthouse'), 'members see restricted works');

    const draft = await corpus.writers.inkwell.postWork({
      title: 'Unfinished Tide',
      fandoms: ['Tidewater Chronicles'],
      draft: true,
    });
    assert.ok(draft.id);
    assert.ok(!(await list('/users/inkwell/works')).titles.includes('Unfinished Tide'));
    const writer = new ReaderSession(archive.app);
    assert.equal((await writer.logIn('inkwell', 'long enough password')).status, 303);
    const own = readListing(await writer.get('/users/inkwell/works'));
    assert.ok(own.titles.includes('Unfinished Tide'), 'writers see their own drafts on their page');
    assert.ok(!readListing(await writer.get(TIDEWATER)).titles.includes('Unfinished Tide'));
  });

  it('filters a user’s works page with the same sidebar', async () => {
    const page = await list('/users/quill/works?include=Fluff');
    assert.equal(page.status, 200);
    assert.deepEqual(sorted(page.titles), ['Fog Signal', 'Quiet Orbit']);
    assert.equal(page.heading, '2 Works by quill');
    assert.equal(checkbox(page, 'Include', 'Fluff').attr('checked'), 'checked');
    const all = await list('/works?sort=title&include=Starfall%20Saga');
    assert.deepEqual(all.titles, ['Quiet Orbit', 'Salt Roads', 'Starlit Archive']);
    assert.equal(all.heading, '3 Works in the archive');
    assert.equal((await list('/users/nobody_here/works')).status, 404);
  });

  it('sends a synonym’s works page to its canonical tag, filters and all', async () => {
    const db = archive.archive.db;
    const synonymWork = await corpus.writers.quill.postWork({
      title: 'Tidewater Shorthand',
      fandoms: ['Tidewater'],
    });
    const canonical = await db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'Tidewater Chronicles')
      .executeTakeFirstOrThrow();
    await db.updateTable('tags').set({ canonical: 1 }).where('id', '=', canonical.id).execute();
    await db.updateTable('tags').set({ merger_id: canonical.id }).where('name', '=', 'Tidewater').execute();
    await refreshWorkIndexes(db, [synonymWork.id]);

    const redirect = await guest.get('/tags/Tidewater/works?sort=title&include=Fluff');
    assert.equal(redirect.status, 302);
    assert.equal(redirect.location, `${TIDEWATER}?sort=title&include=Fluff`);
    const page = await list(`${TIDEWATER}?sort=title`);
    assert.ok(page.titles.includes('Tidewater Shorthand'), 'works tagged with the synonym are found');
    const typedSynonym = await list('/works?include=Tidewater&sort=title');
    assert.ok(
      typedSynonym.titles.includes('Winter Harbour'),
      'including a synonym finds the canonical’s works',
    );
    assert.equal(checkbox(typedSynonym, 'Include', 'Tidewater Chronicles').attr('checked'), 'checked');

    const missing = await guest.get('/tags/No%20Such%20Tag/works');
    assert.equal(missing.status, 404);
    assert.match(textOf(missing.body), /no tag with that name/);
  });
});
