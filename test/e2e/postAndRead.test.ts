import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type BrowserArchive, missingBrowser, startBrowserArchive } from '../support/browserArchive.ts';

// A writer posts a two-chapter work through the forms of a real browser, and a guest reads it the way
// AO3 readers do: from the listing, chapter by chapter, then the whole work, then by one of its tags.

const work = {
  title: 'Salt and Lantern Light',
  rating: 'Teen And Up Audiences',
  warning: 'No Archive Warnings Apply',
  category: 'F/M',
  fandom: 'Tidewater Chronicles',
  relationship: 'Mara Voss/Elias Quill',
  characters: ['Mara Voss', 'Elias Quill'],
  freeforms: ['Slow Burn', 'Lighthouses'],
  summary: 'Two keepers, one lamp, and a winter that will not end.',
  chapterOne: {
    title: 'The Lamp Room',
    text: 'The lamp turned all night, and Mara counted every sweep of it.',
  },
  chapterTwo: { title: 'Fog Signal', text: 'Elias came up the stairs with the kettle.' },
};

describe('posting a work and reading it in a browser', { skip: missingBrowser }, () => {
  let harness: BrowserArchive;
  const newPage = () => harness.newPage();

  before(async () => {
    harness = await startBrowserArchive();
  });

  after(async () => harness?.close());

  it('lets a writer post two chapters and a guest read them', { timeout: 60_000 }, async () => {
    const page = await newPage();

    // --- The writer signs up.
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Username').fill('lanternwright');
    await page.getByLabel('Email').fill('lanternwright@example.org');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: 'Welcome' }).waitFor();
    await assertVisible(page.getByRole('button', { name: 'Log out' }));

    // --- Posts the work with its first chapter.
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Post' }).click();
    await page.getByRole('heading', { name: 'Post new work' }).waitFor();
    await page.getByLabel('Rating').selectOption(work.rating);
    const warnings = page.getByRole('group', { name: 'Archive Warnings' });
    await warnings.getByRole('checkbox', { name: work.warning }).check();
    await page
      .getByRole('group', { name: 'Categories' })
      .getByRole('checkbox', { name: work.category })
      .check();
    await page.getByLabel('Fandoms').fill(work.fandom);
    await page.getByLabel('Relationships').fill(work.relationship);
    await page.getByLabel('Characters').fill(work.characters.join(', '));
    await page.getByLabel('Additional Tags').fill(work.freeforms.join(', '));
    await page.getByLabel('Work title').fill(work.title);
    await page.getByLabel('Summary').fill(work.summary);
    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Expected number of chapters').fill('2');
    await page.getByLabel('Chapter title').fill(work.chapterOne.title);
    await page.getByLabel('Text format').selectOption('html');
    await page.getByLabel('Chapter text').fill(`<p>${work.chapterOne.text}</p>`);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'posted' }).waitFor();
    await page.getByRole('heading', { name: work.title }).waitFor();
    const workPath = new URL(page.url()).pathname;
    assert.match(
      workPath,
      /^\/works\/\d+$/,
      `after posting, the writer should land on the work, not ${page.url()}`,
    );

    // --- Adds chapter two, in Markdown.
    await page.getByRole('link', { name: 'Add chapter' }).click();
    await page.getByRole('heading', { name: `New chapter for “${work.title}”` }).waitFor();
    await page.getByLabel('Chapter title').fill(work.chapterTwo.title);
    await page.getByLabel('Text format').selectOption('markdown');
    await page
      .getByLabel('Chapter text')
      .fill(`${work.chapterTwo.text}\n\nThe fog was *very* thick that morning.`);
    await page.getByRole('button', { name: 'Post chapter' }).click();
    await page.getByRole('status').filter({ hasText: 'Chapter 2 was successfully posted.' }).waitFor();

    // --- Logs out.
    await page.getByRole('button', { name: /^Log out/ }).click();
    await page.getByRole('status').filter({ hasText: 'You have logged out.' }).waitFor();
    await assertVisible(page.getByRole('link', { name: 'Log in' }));

    // --- A guest finds the work on the home page.
    const guest = await newPage();
    await guest.goto('/');
    await guest.locator('.work-list').getByRole('link', { name: work.title }).click();
    await guest.waitForURL((url) => url.pathname === workPath);
    await guest.getByRole('heading', { name: work.title, level: 2 }).waitFor();

    const meta = guest.locator('.work-meta');
    const rows = await metadataRows(guest);
    assert.deepEqual(rows.get('Rating'), [work.rating]);
    assert.deepEqual(rows.get('Archive Warning'), [work.warning]);
    assert.deepEqual(rows.get('Category'), [work.category]);
    assert.deepEqual(rows.get('Fandom'), [work.fandom]);
    assert.deepEqual(rows.get('Relationship'), [work.relationship]);
    assert.deepEqual(rows.get('Characters'), work.characters);
    assert.deepEqual(rows.get('Additional Tags'), work.freeforms);
    const stats = await statsPairs(guest);
    assert.equal(stats.get('Language'), 'English');
    assert.equal(stats.get('Chapters'), '2/2', 'two chapters posted of the two expected');
    for (const name of [work.rating, work.fandom, work.relationship, ...work.characters, ...work.freeforms]) {
      await assertVisible(meta.getByRole('link', { name, exact: true }));
    }

    await assertVisible(guest.getByText(work.summary));
    await assertVisible(guest.getByRole('heading', { name: `Chapter 1: ${work.chapterOne.title}` }));
    await assertVisible(guest.getByText(work.chapterOne.text));
    assert.equal(
      await guest.getByText(work.chapterTwo.text).count(),
      0,
      'the work page opens at chapter 1 only',
    );

    // --- Reads on to chapter two.
    await guest.getByRole('link', { name: 'Next Chapter →' }).first().click();
    await guest.getByRole('heading', { name: `Chapter 2: ${work.chapterTwo.title}` }).waitFor();
    assert.match(new URL(guest.url()).pathname, new RegExp(`^${workPath}/chapters/\\d+$`));
    await assertVisible(guest.getByText(work.chapterTwo.text));
    assert.equal(
      await guest.getByText(work.chapterOne.text).count(),
      0,
      'a chapter page shows only its chapter',
    );
    const emphasis = guest.locator('.chapter .userstuff em');
    assert.equal(await emphasis.count(), 1, 'the Markdown *very* should be rendered as one <em>');
    assert.equal(await emphasis.textContent(), 'very');
    assert.equal(await guest.getByText('*very*').count(), 0, 'no literal Markdown asterisks left');
    assert.equal(
      await guest.getByRole('link', { name: 'Next Chapter →' }).count(),
      0,
      'the last chapter has no next',
    );
    await assertVisible(guest.getByRole('link', { name: '← Previous Chapter' }).first());
    // Two chapters posted of two expected: the work counts as complete (AO3's rule).
    await assertVisible(guest.locator('.afterword').getByText(/This work is complete\./));

    // --- Then the whole work on one page.
    await guest.getByRole('link', { name: 'Entire Work' }).first().click();
    await guest.waitForURL((url) => url.searchParams.get('view_full_work') === 'true');
    await assertVisible(guest.getByRole('heading', { name: `Chapter 1: ${work.chapterOne.title}` }));
    await assertVisible(guest.getByRole('heading', { name: `Chapter 2: ${work.chapterTwo.title}` }));
    await assertVisible(guest.getByText(work.chapterOne.text));
    await assertVisible(guest.getByText(work.chapterTwo.text));
    await assertVisible(guest.getByRole('link', { name: 'Chapter by Chapter' }));

    // --- And finally to other works in the same fandom.
    await guest.locator('.work-meta').getByRole('link', { name: work.fandom, exact: true }).click();
    await guest.getByRole('heading', { level: 1, name: `1 Work in ${work.fandom}` }).waitFor();
    assert.match(decodeURIComponent(new URL(guest.url()).pathname), /^\/tags\/Tidewater Chronicles\/works$/);
    const listed = guest.locator('.work-list .blurb');
    assert.equal(await listed.count(), 1);
    await assertVisible(listed.getByRole('link', { name: work.title }));

    // --- The relationship tag, with its "/", has a working page too (AO3 escapes it as *s*).
    await guest.goBack();
    await guest.locator('.work-meta').getByRole('link', { name: work.relationship, exact: true }).click();
    await guest.getByRole('heading', { level: 1, name: `1 Work in ${work.relationship}` }).waitFor();
    assert.match(new URL(guest.url()).pathname, /^\/tags\/Mara%20Voss\*s\*Elias%20Quill\/works$/);
    await assertVisible(guest.locator('.work-list').getByRole('link', { name: work.title }));
  });
});

async function assertVisible(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  assert.ok(await locator.isVisible());
}

/** The work's metadata block as label → tag names, read from its <dt>/<dd> pairs. */
async function metadataRows(page: Page): Promise<Map<string, string[]>> {
  const pairs = await page
    .locator('.work-meta-list')
    .evaluate((list) =>
      [...list.querySelectorAll(':scope > dt')].map((dt) => [
        (dt.textContent ?? '').trim().replace(/:$/, ''),
        [...(dt.nextElementSibling?.querySelectorAll(':scope > ul.tags > li') ?? [])].map((li) =>
          (li.textContent ?? '').trim(),
        ),
      ]),
    );
  return new Map(pairs as [string, string[]][]);
}

/** The work's stats line (Published, Words, Chapters…) as label → value. */
async function statsPairs(page: Page): Promise<Map<string, string>> {
  const pairs = await page
    .locator('.work-meta dl.stats')
    .evaluate((list) =>
      [...list.querySelectorAll(':scope > dt')].map((dt) => [
        (dt.textContent ?? '').trim().replace(/:$/, ''),
        (dt.nextElementSibling?.textContent ?? '').trim(),
      ]),
    );
  return new Map(pairs as [string, string][]);
}
