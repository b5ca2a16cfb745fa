import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { payloadNumbered, xssPayloads } from '../fixtures/xssPayloads.ts';
import { type BrowserArchive, missingBrowser, startBrowserArchive } from '../support/browserArchive.ts';
import {
  fillHostileArchive,
  type HostileArchive,
  type PageToCheck,
  type Visitor,
} from '../support/hostileArchive.ts';

// The stored-XSS suite (issue 11): every payload of the hostile corpus, through every field where user
// text is stored and shown, rendered in Chromium on every page that shows it. The browser ignores the
// archive's Content-Security-Policy here, so that the sanitiser and the views are tested on their own:
// CSP is the second defence, not the one under test. A page passes when no payload ran (the marker
// __xss(N) was never called, no dialog opened, the page did not navigate away) and its DOM holds no
// event handler, style attribute, frame, plugin, base, meta refresh, form or control inside user text,
// no form posting elsewhere, and no javascript:, vbscript: or data: URL.

interface Finding {
  problem: string;
  /** The payload's id, from its marker number or the nearest [xNNN] label before it. */
  payload: string;
  html: string;
}

/** Runs in the page: what the DOM holds that no stored or reflected text should ever produce. */
function inspectDocument(): Finding[] {
  const findings: Finding[] = [];
  const userContent = '.userstuff, blockquote.summary';
  const urlAttributes = new Set([
    'href',
    'xlink:href',
    'src',
    'srcset',
    'action',
    'formaction',
    'data',
    'poster',
    'background',
    'cite',
    'codebase',
    'code',
    'archive',
    'classid',
    'lowsrc',
    'dynsrc',
    'longdesc',
    'usemap',
    'ping',
    'manifest',
    'icon',
    'values',
    'from',
    'to',
    'by',
  ]);
  const neverAnywhere = new Set([
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'portal',
    'fencedframe',
    'base',
    'noscript',
    'template',
    'isindex',
    'keygen',
    'marquee',
  ]);
  const neverInUserContent = new Set([
    'form',
    'input',
    'button',
    'select',
    'textarea',
    'option',
    'svg',
    'math',
    'video',
    'audio',
    'source',
    'details',
    'meta',
    'link',
    'style',
    'script',
    'image',
  ]);
  const labels: Text[] = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/\[x\d{3}\]/.test(node.textContent ?? '')) labels.push(node as Text);
  }
  const payloadOf = (element: Element): string => {
    const marker = element.outerHTML.match(/__xss\((\d+)\)/);
    if (marker) return `x${marker[1].padStart(3, '0')}`;
    let nearest: Text | undefined;
    for (const label of labels) {
      if (label.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING) break;
      nearest = label;
    }
    const ids = nearest?.textContent?.match(/\[x\d{3}\]/g);
    return ids ? ids[ids.length - 1].slice(1, -1) : 'unknown';
  };
  const report = (element: Element, problem: string) =>
    findings.push({ problem, payload: payloadOf(element), html: element.outerHTML.slice(0, 300) });
  // What a browser makes of a URL before it looks at the scheme: tabs and newlines anywhere go, and
  // so do spaces and control characters at either end.
  const scriptScheme = (value: string) =>
    /^(javascript|vbscript|data|livescript):/.test(
      value
        .replace(/[\t\n\r]/g, '')
        // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what a URL parser trims
        .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
        .toLowerCase(),
    );

  for (const element of document.querySelectorAll('*')) {
    const tag = element.localName.toLowerCase();
    const inHead = element.closest('head') !== null;
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) report(element, `event handler attribute ${name}`);
      if (name === 'style') report(element, 'style attribute');
      if (name === 'srcdoc') report(element, 'srcdoc attribute');
      if (urlAttributes.has(name) && scriptScheme(attribute.value))
        report(element, `${name} with a script or data URL`);
    }
    for (const property of ['href', 'src', 'action', 'formAction'] as const) {
      const value = (element as unknown as Record<string, unknown>)[property];
      if (typeof value === 'string' && value !== '' && scriptScheme(value))
        report(element, `${property} resolves to a script or data URL`);
    }
    if (neverAnywhere.has(tag)) report(element, `<${tag}> element`);
    if (tag === 'meta' && element.hasAttribute('http-equiv')) report(element, '<meta http-equiv>');
    if (
      tag === 'script' &&
      !(/^\/assets\/\w+\.js$/.test(element.getAttribute('src') ?? '') && !element.textContent)
    )
      report(element, 'a script that is not the archive’s');
    if (tag === 'style' && !inHead) report(element, '<style> outside the head');
    if (tag === 'link' && !inHead) report(element, '<link> outside the head');
    if (tag === 'form') {
      const action = new URL((element as HTMLFormElement).action, location.href);
      if (action.origin !== location.origin) report(element, `a form posting to ${action.origin}`);
    }
    if (neverInUserContent.has(tag) && element.parentElement?.closest(userContent))
      report(element, `<${tag}> inside user text`);
  }
  return findings;
}

const LISTING_PAGES_AT_MOST = 30;

describe('stored XSS: the hostile corpus in every field, rendered in Chromium', {
  skip: missingBrowser,
}, () => {
  let harness: BrowserArchive;
  let hostile: HostileArchive;
  /** What ran in each tab: marker calls, dialogs and popups, in order. */
  const executions = new Map<Page, string[]>();
  const tabs = new Map<Visitor, Page>();
  let origin = '';

  /** A tab for one kind of visitor, logged in as the seeding did, watching for any payload that runs. */
  async function tabFor(visitor: Visitor): Promise<Page> {
    const open = tabs.get(visitor);
    if (open) return open;
    // Works may show images hosted elsewhere: a proxy that refuses every connection makes those fail at
    // once, with no request interception slowing every other request.
    const page = await harness.newPage({
      bypassCSP: true,
      proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1' },
    });
    const context = page.context();
    // tsx compiles inspectDocument's inner functions with calls to its __name helper, which the page lacks.
    await context.addInitScript('globalThis.__name = (target) => target;');
    const ran: string[] = [];
    executions.set(page, ran);
    await context.exposeBinding('__xss', ({ frame }, n: number) => {
      const payload = payloadNumbered(Number(n));
      ran.push(`${payload?.id ?? `marker ${n}`} ran on ${frame.url()}`);
    });
    page.on('dialog', (dialog) => {
      ran.push(`a ${dialog.type()} dialog ("${dialog.message()}") opened on ${page.url()}`);
      dialog.dismiss().catch(() => {});
    });
    page.on('popup', (popup) => ran.push(`a popup opened (${popup.url()}) from ${page.url()}`));
    if (visitor !== 'guest') {
      const cookies = hostile.sessions[visitor]
        .cookieHeader()
        .split('; ')
        .filter(Boolean)
        .map((pair) => {
          const [name, ...value] = pair.split('=');
          return { name, value: value.join('='), url: origin };
        });
      await context.addCookies(cookies);
    }
    tabs.set(visitor, page);
    return page;
  }

  /** What the page in the tab holds now, and what ran since `started`, each line naming the page. */
  async function problemsIn(page: Page, url: string, fields: string, started: number): Promise<string[]> {
    const problems = (executions.get(page) ?? [])
      .slice(started)
      .map((execution) => `${url} [${fields}]: ${execution}`);
    if (page.url() !== new URL(url, origin).href)
      problems.push(`${url} [${fields}]: navigated to ${page.url()}`);
    const findings = await page.evaluate(inspectDocument);
    for (const finding of findings)
      problems.push(`${url} [${fields}]: ${finding.payload}: ${finding.problem}: ${finding.html}`);
    return problems;
  }

  /** Loads one page, lets deferred handlers fire, and returns what it found, each line naming the page. */
  async function inspect(page: Page, url: string, fields: string): Promise<string[]> {
    const started = executions.get(page)?.length ?? 0;
    const response = await page.goto(url, { waitUntil: 'load' });
    assert.ok(response && response.status() < 400, `${url} answered ${response?.status()}`);
    // A task and a frame later, autofocus, toggle and animation handlers would have run.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    return problemsIn(page, url, fields, started);
  }

  before(async () => {
    harness = await startBrowserArchive();
    const address = harness.archive.app.server.address() as AddressInfo;
    origin = `http://127.0.0.1:${address.port}`;
    hostile = await fillHostileArchive(harness.archive);
  });

  after(async () => harness?.close());

  it('catches a payload that does run, so a quiet run means something', async () => {
    const page = await tabFor('guest');
    const url = `${origin}/detector-check`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!DOCTYPE html><title>x</title><div class="userstuff"><img src=x onerror=__xss(1)><form action="https://evil.example/"></form></div>',
      }),
    );
    const problems = await inspect(page, url, 'detector check');
    await page.unroute(url);
    assert.ok(
      problems.some((problem) => /x001 ran on/.test(problem)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => /onerror/.test(problem)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => /form posting to https:\/\/evil.example/.test(problem)),
      problems.join('\n'),
    );
  });

  it('shows hostile tag names as plain text in the tag suggestions of the work form', async () => {
    const page = await tabFor('writer');
    const url = `${origin}/works/new`;
    await page.goto(url);
    const labels = {
      fandoms: 'Fandoms',
      relationships: 'Relationships',
      characters: 'Characters',
      freeforms: 'Additional Tags',
    };
    const problems: string[] = [];
    let offered = 0;
    for (const [field, names] of Object.entries(hostile.tagsByField) as [keyof typeof labels, string[]][]) {
      for (const name of names.slice(0, 3)) {
        const started = executions.get(page)?.length ?? 0;
        await page.getByLabel(labels[field], { exact: true }).fill(name.slice(0, 4));
        await page.locator('[role=listbox]:not([hidden]) [role=option]').first().waitFor();
        offered += await page.locator('[role=listbox]:not([hidden]) [role=option]').count();
        problems.push(
          ...(await problemsIn(page, url, `${field} suggestions for ${name.slice(0, 4)}`, started)),
        );
      }
    }
    assert.ok(offered > 0, 'some hostile tags were offered');
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('runs none of the corpus and leaves no handler, style, frame, form or script URL on any page', {
    timeout: 240_000,
  }, async () => {
    assert.ok(xssPayloads.length >= 200, `the corpus has ${xssPayloads.length} payloads`);
    const problems: string[] = [];
    let loads = 0;
    const check = async (target: PageToCheck) => {
      const page = await tabFor(target.as);
      if (target.html !== undefined) {
        const url = `${origin}${target.path}`;
        await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: target.html }));
        problems.push(...(await inspect(page, url, target.fields)));
        await page.unroute(url);
        loads += 1;
        return;
      }
      let url: string | null = `${origin}${target.path}`;
      for (let listed = 0; url && listed < LISTING_PAGES_AT_MOST; listed += 1) {
        problems.push(...(await inspect(page, url, target.fields)));
        loads += 1;
        url = target.paginated
          ? await page.evaluate(() => document.querySelector<HTMLAnchorElement>('a[rel=next]')?.href ?? null)
          : null;
      }
    };
    for (const target of hostile.pages) await check(target);

    // The HTML download opened from a file, as a reader opens it offline: no CSP can help there.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-xss-downloads-'));
    try {
      const page = await tabFor('guest');
      for (const download of hostile.downloads) {
        const file = path.join(folder, download.name);
        fs.writeFileSync(file, download.html);
        problems.push(
          ...(await inspect(page, pathToFileURL(file).href, `HTML download: ${download.fields}`)),
        );
        loads += 1;
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }

    const fields = Object.entries(hostile.payloadsPerField);
    const placements = fields.reduce((total, [, count]) => total + count, 0);
    console.log(
      `stored XSS: ${xssPayloads.length} payloads, ${fields.length} fields (${placements} payload placements), ${loads} page loads (${hostile.pages.length} pages and listings, ${hostile.downloads.length} HTML downloads)`,
    );
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.slice(0, 60).join('\n')}`);
  });
});
