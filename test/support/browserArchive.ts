import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { startTestArchive, type TestArchive } from './testArchive.ts';

// A test archive on a real port with Debian's Chromium driving it. Browser tests skip with a message
// when Chromium is missing, unless QUIRE_REQUIRE_BROWSER=1 (as in CI), where that is a failure.

const CHROMIUM = '/usr/bin/chromium';

export const missingBrowser = fs.existsSync(CHROMIUM)
  ? undefined
  : `no browser at ${CHROMIUM}; install Debian's chromium: apt-get install -y chromium`;
if (missingBrowser && process.env.QUIRE_REQUIRE_BROWSER === '1') {
  throw new Error(`QUIRE_REQUIRE_BROWSER=1 but ${missingBrowser}`);
}

export interface BrowserArchive {
  archive: TestArchive;
  /** A fresh browser profile (its own cookies) opened at the archive; options add to the defaults. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/** `overrides` as startTestArchive takes them (an SMTP server to catch the archive's mail, for instance). */
export async function startBrowserArchive(
  overrides: Parameters<typeof startTestArchive>[0] = {},
): Promise<BrowserArchive> {
  const archive = await startTestArchive(overrides);
  await archive.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = archive.app.server.address() as AddressInfo;
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    archive,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, ...options });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await archive.close();
    },
  };
}
