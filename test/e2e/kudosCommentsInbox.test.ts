import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type BrowserArchive, missingBrowser, startBrowserArchive } from '../support/browserArchive.ts';

// A writer posts a work; a reader leaves kudos and a comment; the writer answers from the inbox; the
// reader finds the answer in the thread under their comment. All through a real browser.

const title = 'Letters from the Lamp Room';
const commentText = 'The last line made me cry. Will Mara write back?';
const replyText = 'She will, in chapter two. Thank you for reading!';

describe('kudos, comments and the inbox in a browser', { skip: missingBrowser }, () => {
  let harness: BrowserArchive;
  const newPage = () => harness.newPage();

  async function signUp(page: Page, username: string): Promise<void> {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.org`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: 'Welcome' }).waitFor();
  }

  before(async () => {
    harness = await startBrowserArchive();
  });

  after(async () => harness?.close());

  it('lets a reader leave kudos and a comment, and the writer answer from the inbox', {
    timeout: 60_000,
  }, async () => {
    // --- The writer posts a work.
    const writer = await newPage();
    await signUp(writer, 'lampwriter');
    await writer.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Post' }).click();
    await writer.getByLabel('Rating').selectOption('General Audiences');
    await writer
      .getByRole('group', { name: 'Archive Warnings' })
      .getByRole('checkbox', { name: 'No Archive Warnings Apply' })
      .check();
    await writer.getByLabel('Fandoms').fill('Original Work');
    await writer.getByLabel('Work title').fill(title);
    await writer.getByLabel('Who can comment').selectOption('registered');
    await writer.getByLabel('Chapter text').fill('<p>Dear Elias, the lamp is lit and the sea is quiet.</p>');
    await writer.getByRole('button', { name: 'Post', exact: true }).click();
    await writer.getByRole('status').filter({ hasText: 'posted' }).waitFor();
    const workPath = new URL(writer.url()).pathname;
    assert.match(workPath, /^\/works\/\d+$/);

    // --- A reader finds it, leaves kudos and a comment.
    const reader = await newPage();
    await signUp(reader, 'tidereader');
    await reader.goto(workPath);
    await reader.getByRole('heading', { name: title, level: 2 }).waitFor();
    await reader.getByRole('button', { name: 'Kudos ♥' }).click();
    await reader.locator('.kudos-list').filter({ hasText: 'tidereader' }).waitFor();

    const comments = reader.locator('#comments');
    await assertVisible(comments.getByText('Comment as tidereader'));
    await comments.getByLabel('Comment', { exact: true }).fill(commentText);
    await comments.getByRole('button', { name: 'Comment', exact: true }).click();
    await reader.getByRole('status').filter({ hasText: 'Comment created!' }).waitFor();
    assert.match(new URL(reader.url()).hash, /^#comment_\d+$/, 'the reader lands on their comment');
    const posted = reader.locator('.comment').filter({ hasText: commentText });
    await assertVisible(posted);
    await assertVisible(posted.getByRole('link', { name: 'tidereader' }));

    // --- The writer sees the inbox count, opens the inbox and answers there.
    await writer.reload();
    const inboxLink = writer
      .getByRole('navigation', { name: 'Site' })
      .getByRole('link', { name: 'Inbox (1)' });
    await inboxLink.click();
    await writer.getByRole('heading', { name: 'My Inbox' }).waitFor();
    const item = writer.locator('.inbox-item').filter({ hasText: 'tidereader left a comment on' });
    await assertVisible(item.getByText(commentText));
    await item.getByLabel('Reply to tidereader').fill(replyText);
    await item.getByRole('button', { name: 'Post reply' }).click();
    await writer.getByRole('status').filter({ hasText: 'Comment created!' }).waitFor();
    assert.equal(new URL(writer.url()).pathname, '/users/lampwriter/inbox');
    await assertVisible(writer.getByRole('link', { name: 'Inbox', exact: true }));

    // --- The reader finds the answer under their comment, and a note in their own inbox.
    await reader.goto(workPath);
    const thread = reader.locator('.comment-threads > .comment').filter({ hasText: commentText });
    const answer = thread.locator('.comment-replies .comment').filter({ hasText: replyText });
    await assertVisible(answer);
    await assertVisible(answer.getByRole('link', { name: 'lampwriter' }));
    await reader.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Inbox (1)' }).click();
    await assertVisible(reader.getByText('lampwriter replied to your comment on'));
  });
});

async function assertVisible(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  assert.ok(await locator.isVisible());
}
