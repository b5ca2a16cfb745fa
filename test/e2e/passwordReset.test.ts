import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BrowserArchive, missingBrowser, startBrowserArchive } from '../support/browserArchive.ts';
import { linkIn, TestMailbox } from '../support/mailbox.ts';
import { MEMBER_PASSWORD, member } from '../support/members.ts';

// A reader who forgot their password gets back in through a real browser: from the log-in page's
// "Forgot password?" to the mail (caught by a real SMTP server) and its link, to a new session.

describe('resetting a forgotten password in a browser', { skip: missingBrowser }, () => {
  let mailbox: TestMailbox;
  let harness: BrowserArchive;

  before(async () => {
    mailbox = await TestMailbox.start();
    harness = await startBrowserArchive({
      environment: { QUIRE_SMTP_URL: mailbox.smtpUrl, QUIRE_CONFIRM_EMAIL: 'off' },
    });
    await member(harness.archive, 'absentminded');
    await mailbox.deliver(harness.archive);
  });
  after(async () => {
    await harness?.close();
    await mailbox?.close();
  });

  it('goes from the log-in page to a new session with the new password', { timeout: 60_000 }, async () => {
    const page = await harness.newPage();
    await page.goto('/users/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Forgotten your password?' }).waitFor();
    await page.getByLabel('Username or email').fill('absentminded@example.org');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'a link to choose a new password is on its way' })
      .waitFor();

    const [mail] = await mailbox.deliver(harness.archive);
    assert.deepEqual(mail.to, ['absentminded@example.org']);
    const link = linkIn(mail, '/users/password/edit');
    await page.goto(`${link.pathname}${link.search}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('remembered at last');
    await page.getByLabel('Confirm new password').fill('remembered at last');
    await page.getByRole('button', { name: 'Set new password' }).click();

    await page.getByRole('status').filter({ hasText: 'Your API tokens still work' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();

    // The new password opens the account, the old one no longer does.
    await page.goto('/users/login');
    await page.getByLabel('Username or email').fill('absentminded');
    await page.getByLabel('Password').fill(MEMBER_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('The username or password is incorrect.').waitFor();
    await page.getByLabel('Password').fill('remembered at last');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('status').filter({ hasText: 'Logged in as absentminded' }).waitFor();
  });
});
