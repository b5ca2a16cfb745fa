import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paths } from '../../src/domain/archivePaths.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { runDueJobs } from '../../src/jobs/queue.ts';
import { changeRole } from '../../src/services/staffRoles.ts';
import type { ApiWriter } from '../support/apiClient.ts';
import { type Member, member } from '../support/members.ts';
import { quire } from '../support/quireCommand.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const POTTER = 'Harry Potter - J. K. Rowling';
const AU = 'Alternate Universe';
const COFFEE_SHOP = 'Alternate Universe - Coffee Shop';

describe(`tag wrangling (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;
  let wrangler: Member;
  let reader: Member;
  let guest: ReaderSession;

  before(async () => {
    archive = await startTestArchive();
    const scribe = await member(archive, 'scribe');
    writer = scribe.api;
    wrangler = await member(archive, 'wrangler');
    await changeRole(archive.archive, 'command line', { login: 'wrangler', role: 'wrangler', granted: true });
    reader = await member(archive, 'reader');
    guest = new ReaderSession(archive.app);

    await writer.postWork({ title: 'Canon Draco', fandoms: [POTTER], characters: ['Draco Malfoy'] });
    await writer.postWork({ title: 'Shorthand Draco', fandoms: ['HP'], characters: ['Draco'] });
    await writer.postWork({
      title: 'Any Universe',
      fandoms: [POTTER],
      relationships: ['Draco Malfoy/Harry Potter'],
      freeforms: [AU],
    });
    await writer.postWork({ title: 'Latte Art', fandoms: [POTTER], freeforms: [COFFEE_SHOP] });
  });
  after(async () => archive.close());

  async function runJobs() {
    await runDueJobs(archive.archive.db, archive.archive.dialect, jobHandlers(archive.config));
  }

  /** Posts the wrangling form of a tag as the wrangler would, fields exactly as given. */
  async function wrangle(name: string, fields: Record<string, string | string[]>, as = wrangler.page) {
    await as.get(paths.tag(name));
    return as.post(paths.wrangleTag(name), fields);
  }

  async function tagPage(name: string, as: ReaderSession = guest) {
    const page = await as.get(paths.tag(name));
    assert.equal(page.status, 200, `tag page of ${name}`);
    return { html: page.body, text: textOf(page.body) };
  }

  async function worksUnder(name: string): Promise<string> {
    const page = await guest.get(paths.tagWorks(name));
    assert.equal(page.status, 200);
    return textOf(page.body);
  }

  it('lets only wranglers see the wrangling form, post it and open the wrangling page', async () => {
    assert.doesNotMatch((await tagPage(POTTER, reader.page)).text, /Wrangle this tag/);
    assert.doesNotMatch((await tagPage(POTTER)).text, /Wrangle this tag/);
    const refused = await wrangle(POTTER, { canonical: 'on' }, reader.page);
    assert.equal(refused.status, 403);
    assert.match(textOf(refused.body), /Only tag wranglers can wrangle tags/);
    assert.match((await tagPage(POTTER)).text, /Status: Unwrangled/);

    for (const outsider of [reader.page, guest]) {
      assert.equal((await outsider.get(paths.tagWranglings())).status, 403);
    }
    assert.doesNotMatch((await reader.page.get('/')).body, /href="\/tag_wranglings"/);
    assert.match((await wrangler.page.get('/')).body, /href="\/tag_wranglings"/);
    assert.match((await tagPage(POTTER, wrangler.page)).text, /Wrangle this tag/);
  });

  it('makes a tag canonical', async () => {
    const saved = await wrangle(POTTER, { canonical: 'on' });
    assert.equal(saved.status, 303);
    const page = await wrangler.page.get(saved.location!);
    assert.match(textOf(page.body), /Tag was successfully updated/);
    assert.match(textOf(page.body), /Status: Canonical/);
  });

  it('finds a synonym’s works under its canonical tag once the job has run', async () => {
    assert.equal((await wrangle('HP', { synonym_of: POTTER })).status, 303);
    const synonym = await tagPage('HP');
    assert.match(synonym.text, new RegExp(`Status: Synonym of ${POTTER}`));
    assert.match(synonym.html, new RegExp(`<a href="${paths.tag(POTTER).replace(/[*.]/g, '\\$&')}">`));
    assert.match((await tagPage(POTTER)).text, /Synonyms: HP/);

    assert.doesNotMatch(
      await worksUnder(POTTER),
      /Shorthand Draco/,
      'readers see the old index until the job runs',
    );
    await runJobs();
    const works = await worksUnder(POTTER);
    assert.match(works, /Shorthand Draco/);
    assert.match(works, /Canon Draco/);
  });

  it('refuses synonyms across types, of unwrangled tags, of synonyms and of fixed tags', async () => {
    const acrossTypes = await wrangle('Draco', { synonym_of: POTTER });
    assert.equal(acrossTypes.status, 400);
    assert.match(
      textOf(acrossTypes.body),
      /"Harry Potter - J\. K\. Rowling" is a Fandom tag; a synonym must be of the same type as "Draco" \(a Character tag\)/,
    );
    assert.match(acrossTypes.body, /value="Harry Potter - J. K. Rowling"/, 'the form keeps what was typed');

    const unwrangled = await wrangle('Draco', { synonym_of: 'Draco Malfoy' });
    assert.equal(unwrangled.status, 400);
    assert.match(textOf(unwrangled.body), /"Draco Malfoy" is not canonical/);

    await writer.postWork({ title: 'Potterverse', fandoms: ['Potterverse'] });
    const toSynonym = await wrangle('Potterverse', { synonym_of: 'HP' });
    assert.equal(toSynonym.status, 400);
    assert.match(textOf(toSynonym.body), /"HP" is itself a synonym of "Harry Potter - J\. K\. Rowling"/);

    const backwards = await wrangle(POTTER, { canonical: 'on', synonym_of: 'HP' });
    assert.equal(backwards.status, 400);
    assert.match(
      textOf(backwards.body),
      /"HP" is a synonym of "Harry Potter - J\. K\. Rowling": the synonym cannot be the other way round/,
    );

    // A tab reads as a space in a tag's name; a NUL is dropped at the web boundary.
    const control = await wrangle('Draco', { synonym_of: 'Draco\tMal\u0000foy', fandoms: 'Harry\u0000' });
    assert.equal(control.status, 400);
    assert.match(textOf(control.body), /"Draco Malfoy" is not canonical/);

    const rating = await wrangle('General Audiences', { synonym_of: 'Mature' });
    assert.equal(rating.status, 400);
    assert.match(textOf(rating.body), /Ratings come from a fixed set; they cannot be wrangled/);
    assert.doesNotMatch((await tagPage('General Audiences', wrangler.page)).text, /Wrangle this tag/);
    assert.match((await tagPage('General Audiences')).text, /Status: Canonical/);
  });

  it('finds a subtag’s works under its meta tag, and refuses loops', async () => {
    await wrangle(AU, { canonical: 'on' });
    await wrangle(COFFEE_SHOP, { canonical: 'on' });
    assert.equal((await wrangle(COFFEE_SHOP, { canonical: 'on', meta_tags: AU })).status, 303);
    assert.match((await tagPage(COFFEE_SHOP)).text, /Meta tags: Alternate Universe\b/);
    assert.match((await tagPage(AU)).text, /Subtags: Alternate Universe - Coffee Shop/);

    assert.doesNotMatch(await worksUnder(AU), /Latte Art/);
    await runJobs();
    const works = await worksUnder(AU);
    assert.match(works, /Latte Art/);
    assert.match(works, /Any Universe/);

    const loop = await wrangle(AU, { canonical: 'on', meta_tags: COFFEE_SHOP });
    assert.equal(loop.status, 400);
    assert.match(
      textOf(loop.body),
      /"Alternate Universe - Coffee Shop" is already under "Alternate Universe"/,
    );
    const wrongType = await wrangle(COFFEE_SHOP, { canonical: 'on', meta_tags: POTTER });
    assert.equal(wrongType.status, 400);
    assert.match(
      textOf(wrongType.body),
      /"Harry Potter - J\. K\. Rowling" is a Fandom tag; a meta tag must be of the same type as "Alternate Universe - Coffee Shop" \(an Additional Tag\)/,
    );
  });

  it('attaches characters and relationships to their fandoms', async () => {
    await wrangle('Draco Malfoy', { canonical: 'on', fandoms: POTTER });
    await wrangle('Draco Malfoy/Harry Potter', { canonical: 'on', fandoms: POTTER });
    assert.match((await tagPage('Draco Malfoy')).text, new RegExp(`Fandoms: ${POTTER}`));
    const fandom = await tagPage(POTTER);
    assert.match(fandom.text, /Relationships Draco Malfoy\/Harry Potter/);
    assert.match(fandom.text, /Characters Draco Malfoy/);
    assert.match(fandom.html, /href="\/tags\/Draco%20Malfoy"/);

    const viaSynonym = await wrangle('Draco Malfoy', { canonical: 'on', fandoms: 'HP' });
    assert.equal(viaSynonym.status, 400);
    assert.match(
      textOf(viaSynonym.body),
      /"HP" is a synonym of "Harry Potter - J\. K\. Rowling": use "Harry Potter - J\. K\. Rowling" instead/,
    );
    const notAFandom = await wrangle('Draco Malfoy', { canonical: 'on', fandoms: AU });
    assert.equal(notAFandom.status, 400);

    // A synonym's fandoms live on its canonical tag.
    await writer.postWork({ title: 'Ferret', fandoms: ['Potterverse'], characters: ['Malfoy Draco'] });
    await wrangle('Potterverse', { canonical: 'on' });
    await wrangle('Malfoy Draco', { fandoms: 'Potterverse' });
    await wrangle('Malfoy Draco', { synonym_of: 'Draco Malfoy' });
    assert.match((await tagPage('Draco Malfoy')).text, /Fandoms: Harry Potter - J\. K\. Rowling Potterverse/);
    assert.doesNotMatch((await tagPage('Malfoy Draco')).text, /Fandoms:/);

    assert.equal(
      (await wrangle('Draco Malfoy', { canonical: 'on', remove_fandoms: 'Potterverse' })).status,
      303,
    );
    assert.doesNotMatch((await tagPage('Draco Malfoy')).text, /Potterverse/);
  });

  it('undoes a synonym and a meta tag, and keeps a tag with synonyms canonical', async () => {
    const keep = await wrangle(POTTER, {});
    assert.equal(keep.status, 400);
    assert.match(textOf(keep.body), /still has synonyms/);
    assert.match((await tagPage(POTTER)).text, /Status: Canonical/);

    assert.equal((await wrangle('HP', { synonym_of: '' })).status, 303);
    assert.match((await tagPage('HP')).text, /Status: Unwrangled/);
    assert.equal((await wrangle(COFFEE_SHOP, { canonical: 'on', remove_meta_tags: AU })).status, 303);
    await runJobs();
    assert.doesNotMatch(await worksUnder(POTTER), /Shorthand Draco/);
    assert.doesNotMatch(await worksUnder(AU), /Latte Art/);
  });

  it('lists unwrangled tags by the fandoms of their works, by type', async () => {
    const orphan = await writer.postWork({
      title: 'Rewritten',
      fandoms: ['HP'],
      freeforms: ['Orphaned Tag'],
    });
    const edited = await archive.app.inject({
      method: 'PATCH',
      url: `/api/v1/works/${orphan.id}`,
      headers: { authorization: `Bearer ${writer.token}` },
      payload: { freeforms: [] },
    });
    assert.equal(edited.statusCode, 200, edited.body);

    const page = await wrangler.page.get(paths.tagWranglings());
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(text, /Unwrangled fandoms Tag Type Works HP Fandom 2\b/);
    assert.match(text, /HP Tag Type Works Draco Character 1\b/);
    assert.match(text, /No fandom Tag Type Works Orphaned Tag Additional Tag 0\b/);
    assert.match(page.body, /href="\/tags\/Orphaned%20Tag"/);

    const characters = textOf((await wrangler.page.get(paths.tagWranglings('character'))).body);
    assert.match(characters, /Draco/);
    assert.doesNotMatch(characters, /Orphaned Tag|Unwrangled fandoms/);
    assert.equal((await wrangler.page.get('/tag_wranglings?type=genre')).status, 400);
  });

  it('suggests tags as one types: prefixes first, canonical first, synonyms folded, by type', async () => {
    async function suggest(query: string) {
      const response = await archive.app.inject({ method: 'GET', url: `/api/v1/tags/autocomplete?${query}` });
      return { status: response.statusCode, json: response.json() };
    }
    const draco = await suggest('term=dra');
    assert.equal(draco.status, 200);
    assert.deepEqual(draco.json.tags.slice(0, 3), [
      { name: 'Draco Malfoy', type: 'character', canonical: true },
      { name: 'Draco Malfoy/Harry Potter', type: 'relationship', canonical: true },
      { name: 'Draco', type: 'character', canonical: false },
    ]);
    const synonym = await suggest('term=malfoy%20d&type=character');
    assert.deepEqual(synonym.json.tags, [{ name: 'Draco Malfoy', type: 'character', canonical: true }]);

    const harry = await suggest('term=harry');
    assert.deepEqual(
      harry.json.tags.map((tag: { name: string }) => tag.name),
      [POTTER, 'Draco Malfoy/Harry Potter'],
    );
    const relationships = await suggest('term=harry&type=relationship');
    assert.deepEqual(relationships.json.tags, [
      { name: 'Draco Malfoy/Harry Potter', type: 'relationship', canonical: true },
    ]);

    assert.deepEqual((await suggest('term=%20%20')).json, { tags: [] });
    assert.deepEqual(await suggest('term=dra%00'), draco, 'a control character counts as a space');
    const bad = await suggest('term=dra&type=genre');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'invalid_input');
    assert.match(bad.json.error.message, /type must be one of/);

    const document = (await archive.app.inject({ url: '/api/v1/openapi.json' })).json();
    assert.ok(
      document.paths['/tags/autocomplete'].get.parameters.some((p: { name: string }) => p.name === 'term'),
    );

    const form = await wrangler.page.get('/works/new');
    assert.match(form.body, /name="characters"[^>]*data-tag-autocomplete="character"/);
    assert.match(form.body, /<script src="\/assets\/tagAutocomplete.js" defer/);
    assert.equal((await guest.get('/assets/tagAutocomplete.js')).status, 200);
  });

  it('lists fandoms alphabetically with the works each reader can see, and /media leads there', async () => {
    await writer.postWork({ title: 'Hidden', fandoms: ['Secret Fandom'], draft: true });
    await writer.postWork({ title: 'Members Only', fandoms: ['Members Fandom'], restricted: true });
    await wrangle('HP', { synonym_of: POTTER });
    await runJobs();

    const guestIndex = textOf((await guest.get(paths.fandoms())).body);
    assert.match(guestIndex, /H Harry Potter - J\. K\. Rowling \(5\) P Potterverse \(2\)/);
    assert.doesNotMatch(guestIndex, /\bHP\b|Secret Fandom|Members Fandom/);
    const readerIndex = await reader.page.get(paths.fandoms());
    assert.match(textOf(readerIndex.body), /M Members Fandom \(1\)/);
    assert.match(readerIndex.body, /href="#letter-M"/);

    const media = await guest.get('/media');
    assert.equal(media.status, 301);
    assert.equal(media.location, '/fandoms');
    assert.match((await guest.get('/')).body, /href="\/fandoms"/);
  });

  it('grants and takes away the wrangler role with `quire user wrangler`', async () => {
    const wrangler = (...args: string[]) => quire(archive, 'user', 'wrangler', ...args);
    const granted = await wrangler('Reader');
    assert.equal(granted.status, 0, granted.stderr);
    assert.match(granted.stdout, /reader is now a tag wrangler/);
    assert.match((await tagPage(POTTER, reader.page)).text, /Wrangle this tag/);

    const revoked = await wrangler('reader', '--revoke');
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(revoked.stdout, /reader is no longer a tag wrangler/);
    assert.doesNotMatch((await tagPage(POTTER, reader.page)).text, /Wrangle this tag/);

    const unknown = await wrangler('nobody');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /There is no account named nobody/);
  });
});
