import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BrowserArchive, missingBrowser, startBrowserArchive } from '../support/browserArchive.ts';
import { loadWorkCorpus } from '../support/workCorpus.ts';

// A reader narrows a tag's works with the sidebar in a real browser: one facet included, one excluded,
// a word range, one submit; the list shrinks to the one work that fits and the form remembers it all.

describe('narrowing a tag’s works with the filter sidebar', { skip: missingBrowser }, () => {
  let harness: BrowserArchive;

  before(async () => {
    harness = await startBrowserArchive();
    const corpus = await loadWorkCorpus(harness.archive);
    // A fourth Tidewater work that only the word range leaves out.
    await corpus.writers.quill.postWork({
      title: 'Long Tide',
      fandoms: ['Tidewater Chronicles'],
      freeforms: ['Slow Burn'],
      chapters: [{ body: `<p>${'tide '.repeat(5000)}</p>` }],
    });
  });

  after(async () => harness?.close());

  it('includes, excludes and ranges in one submit, and keeps the choices ticked', {
    timeout: 60_000,
  }, async () => {
    const page = await harness.newPage();
    await page.goto('/tags/Tidewater%20Chronicles/works');
    await page.getByRole('heading', { level: 1, name: '4 Works in Tidewater Chronicles' }).waitFor();
    const listed = page.locator('.work-list .blurb .blurb-title > a:first-child');
    assert.deepEqual((await listed.allTextContents()).sort(), [
      'Fog Signal',
      'Long Tide',
      'Salt Roads',
      'Winter Harbour',
    ]);

    const include = page.getByRole('group', { name: 'Include' });
    const exclude = page.getByRole('group', { name: 'Exclude' });
    const noWarnings = include
      .getByRole('group', { name: 'Archive Warnings' })
      .getByRole('checkbox', { name: /^No Archive Warnings Apply \(3\)$/ });
    const fluff = exclude
      .getByRole('group', { name: 'Additional Tags' })
      .getByRole('checkbox', { name: /^Fluff \(1\)$/ });
    await noWarnings.check();
    await fluff.check();
    const words = page.getByRole('group', { name: 'Word count' });
    await words.getByLabel('From').fill('1000');
    await words.getByLabel('To').fill('2000');
    await page.getByRole('button', { name: 'Sort and Filter' }).click();

    await page.getByRole('heading', { level: 1, name: '1 Work in Tidewater Chronicles' }).waitFor();
    assert.deepEqual(await listed.allTextContents(), ['Winter Harbour']);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/tags/Tidewater%20Chronicles/works');
    assert.deepEqual(url.searchParams.getAll('include').filter(Boolean), ['No Archive Warnings Apply']);
    assert.deepEqual(url.searchParams.getAll('exclude').filter(Boolean), ['Fluff']);

    assert.ok(
      await include
        .getByRole('group', { name: 'Archive Warnings' })
        .getByRole('checkbox', { name: /^No Archive Warnings Apply/ })
        .isChecked(),
      'the included warning stays ticked',
    );
    assert.ok(
      await exclude
        .getByRole('group', { name: 'Additional Tags' })
        .getByRole('checkbox', { name: /^Fluff/ })
        .isChecked(),
      'the excluded tag stays ticked though no listed work carries it',
    );
    assert.equal(await words.getByLabel('From').inputValue(), '1000');
    assert.equal(await words.getByLabel('To').inputValue(), '2000');

    // Clearing the filters brings every work back.
    await page.getByRole('link', { name: 'Clear Filters' }).click();
    await page.getByRole('heading', { level: 1, name: '4 Works in Tidewater Chronicles' }).waitFor();
    assert.equal(await listed.count(), 4);
  });
});
