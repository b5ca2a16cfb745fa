import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiWriter } from '../support/apiClient.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// A guest is one address, whatever browser it claims to be: changing the User-Agent (or dropping
// cookies) must not buy another kudos or another hit.

const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148',
  'Mozilla/5.0 (Android 14; Mobile) Firefox/127.0',
  'Opera/9.80 (Windows NT 6.1) Presto/2.12.388',
  'curl/8.5.0',
  '',
];

describe(`guests are told apart by address, not by browser (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: ApiWriter;

  before(async () => {
    archive = await startTestArchive();
    writer = await ApiWriter.signUp(archive.app, 'harbourpen');
  });
  after(async () => archive.close());

  async function counts(workId: number): Promise<{ hits: number; kudos: number }> {
    const work = (await archive.app.inject({ method: 'GET', url: `/api/v1/works/${workId}` })).json();
    return { hits: work.hits, kudos: work.kudos_count };
  }

  /** A fresh browser (no cookies yet) at one address: opens the work, then presses Kudos. */
  async function guestKudos(workId: number, remoteAddress: string, agent: string): Promise<void> {
    const headers = agent ? { 'user-agent': agent } : {};
    const page = await archive.app.inject({ method: 'GET', url: `/works/${workId}`, headers, remoteAddress });
    assert.equal(page.statusCode, 200);
    const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.ok(token, 'the work page offers guests a kudos form');
    const setCookie = page.headers['set-cookie'];
    const cookie = (Array.isArray(setCookie) ? setCookie : [String(setCookie ?? '')])
      .map((line) => line.split(';')[0])
      .join('; ');
    const kudos = await archive.app.inject({
      method: 'POST',
      url: `/works/${workId}/kudos`,
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token }).toString(),
      remoteAddress,
    });
    assert.equal(kudos.statusCode, 303, kudos.body);
  }

  it('gives one address one hit and one kudos however many User-Agents it sends', async () => {
    const work = await writer.postWork({ title: 'One Reader, Eight Browsers' });
    for (const agent of AGENTS) await guestKudos(work.id, '203.0.113.5', agent);
    assert.deepEqual(await counts(work.id), { hits: 1, kudos: 1 });
    await guestKudos(work.id, '203.0.113.6', AGENTS[0]);
    assert.deepEqual(await counts(work.id), { hits: 2, kudos: 2 }, 'another address is another guest');
  });

  it('takes an IPv6 guest by its /64, and an IPv4-mapped address as the IPv4 address', async () => {
    const work = await writer.postWork({ title: 'Rotating Addresses' });
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2:ffff::7', '2001:0db8:0001:0002:0:0:0:9'])
      await guestKudos(work.id, address, AGENTS[0]);
    assert.deepEqual(await counts(work.id), { hits: 1, kudos: 1 });
    await guestKudos(work.id, '2001:db8:1:3::1', AGENTS[0]);
    assert.deepEqual(await counts(work.id), { hits: 2, kudos: 2 }, 'another /64 is another guest');

    await guestKudos(work.id, '198.51.100.20', AGENTS[0]);
    await guestKudos(work.id, '::ffff:198.51.100.20', AGENTS[1]);
    assert.deepEqual(await counts(work.id), { hits: 3, kudos: 3 });
  });
});
