import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { type Member, member } from '../support/members.ts';
import { ReaderSession, textOf } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Icons are pictures from strangers: whatever is sent, only a small re-drawn square with no metadata is
// kept, and anything that is not a PNG, JPEG, GIF or WebP (whatever its name or type says) is refused.

function solid(width: number, height: number) {
  // The test itself may make a huge picture (the bomb); the archive must not read one.
  return sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 60, b: 20 } },
    limitInputPixels: false,
  });
}

/**
 * A valid PNG of a huge black picture in a few kilobytes: one bit a pixel, every row zeros, so it
 * compresses to almost nothing (drawing it with sharp would take seconds and a gigabyte).
 */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale, no interlace
  const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // each row: filter 0, then zero bits
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe(`pseud icons (${testDialect})`, () => {
  let archive: TestArchive;
  let writer: Member;
  let other: Member;
  let pseudId: number;
  let png: Buffer;

  async function putIcon(
    id: number,
    body: Buffer | string,
    token: string | null,
    type = 'application/octet-stream',
  ) {
    const response = await archive.app.inject({
      method: 'PUT',
      url: `/api/v1/pseuds/${id}/icon`,
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });
    return { status: response.statusCode, json: response.json() };
  }

  /** A multipart form as a browser sends the icon form, with the page's CSRF token. */
  async function uploadForm(
    session: ReaderSession,
    url: string,
    file: { name: string; type: string; bytes: Buffer },
  ) {
    const csrf =
      (await session.get('/users/tidecaller/pseuds/Gull/edit')).body.match(
        /name="_csrf" value="([^"]+)"/,
      )?.[1] ?? '';
    const boundary = '----quireicon';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="icon"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await archive.app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        cookie: session.cookieHeader(),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });
    return {
      status: response.statusCode,
      body: response.body,
      location: response.headers.location as string,
    };
  }

  async function storedIcon(): Promise<Buffer | undefined> {
    const row = await archive.archive.db
      .selectFrom('pseud_icons')
      .select('content')
      .where('pseud_id', '=', pseudId)
      .executeTakeFirst();
    return row ? Buffer.from(row.content) : undefined;
  }

  before(async () => {
    archive = await startTestArchive();
    writer = await member(archive, 'tidecaller');
    other = await member(archive, 'reedwarbler');
    const made = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/pseuds',
      headers: { authorization: `Bearer ${writer.api.token}` },
      payload: { name: 'Gull', icon_alt_text: 'A gull on a post' },
    });
    pseudId = made.json().id;
    png = await solid(300, 200).png().toBuffer();
  });
  after(async () => archive.close());

  it('re-encodes an upload to a 100×100 WebP served with a long cache, nosniff and its alt text', async () => {
    assert.equal((await putIcon(pseudId, png, null)).status, 401);
    assert.equal((await putIcon(pseudId, png, other.api.token)).status, 403);
    const set = await putIcon(pseudId, png, writer.api.token, 'image/png');
    assert.equal(set.status, 200, JSON.stringify(set.json));
    const iconUrl = new URL(set.json.icon_url);
    assert.match(iconUrl.pathname + iconUrl.search, new RegExp(`^/pseuds/${pseudId}/icon\\?v=[0-9a-f]{64}$`));

    // Served the same to a guest and to a member: public, for a year, never sniffed.
    for (const session of [new ReaderSession(archive.app), writer.page]) {
      const served = await archive.app.inject({
        method: 'GET',
        url: iconUrl.pathname + iconUrl.search,
        headers: { cookie: session.cookieHeader() },
      });
      assert.equal(served.statusCode, 200);
      assert.equal(served.headers['content-type'], 'image/webp');
      assert.equal(served.headers['x-content-type-options'], 'nosniff');
      assert.match(String(served.headers['cache-control']), /public, max-age=31536000, immutable/);
      const metadata = await sharp(served.rawPayload).metadata();
      assert.deepEqual([metadata.format, metadata.width, metadata.height], ['webp', 100, 100]);
    }
    // An old version's address leads to the current icon.
    const stale = await archive.app.inject({ method: 'GET', url: `/pseuds/${pseudId}/icon?v=old` });
    assert.equal(stale.statusCode, 302);
    assert.equal(stale.headers.location, iconUrl.pathname + iconUrl.search);

    // The profile shows the default pseud's icon, and links every pseud.
    const listed = await archive.app.inject({ method: 'GET', url: '/api/v1/users/tidecaller/pseuds' });
    const defaultPseud = listed.json().pseuds.find((pseud: { default: boolean }) => pseud.default);
    assert.equal((await putIcon(defaultPseud.id, png, writer.api.token)).status, 200);
    const profile = await new ReaderSession(archive.app).get('/users/tidecaller/profile');
    assert.match(
      profile.body,
      new RegExp(`<img class="pseud-icon" src="/pseuds/${defaultPseud.id}/icon\\?v=[0-9a-f]{64}" alt[ />]`),
    );
    assert.match(profile.body, /href="\/users\/tidecaller\/pseuds\/Gull">Gull<\/a>/);

    const page = await new ReaderSession(archive.app).get('/users/tidecaller/pseuds/Gull');
    assert.match(
      page.body,
      new RegExp(
        `<img class="pseud-icon" src="/pseuds/${pseudId}/icon\\?v=[0-9a-f]{64}" alt="A gull on a post"`,
      ),
    );
  });

  it('shows the icon beside the pseud’s comments', async () => {
    const work = await other.api.postWork({ title: 'Reed Beds' });
    const comment = await archive.app.inject({
      method: 'POST',
      url: `/api/v1/works/${work.id}/comments`,
      headers: { authorization: `Bearer ${writer.api.token}` },
      payload: { body: 'Windy here too.', pseud: 'Gull' },
    });
    assert.equal(comment.statusCode, 201, comment.body);
    const page = await new ReaderSession(archive.app).get(`/works/${work.id}`);
    assert.match(
      page.body,
      /<img class="pseud-icon" src="\/pseuds\/\d+\/icon\?v=[0-9a-f]{64}" alt="A gull on a post"[^>]*><a class="comment-author" href="\/users\/tidecaller\/pseuds\/Gull">Gull \(tidecaller\)<\/a>/,
    );
  });

  it('keeps no metadata: the EXIF of a JPEG is gone from the icon', async () => {
    const jpeg = await solid(120, 160)
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Secret Place', Artist: 'Hidden Name' } })
      .toBuffer();
    assert.ok((await sharp(jpeg).metadata()).exif, 'the upload carries EXIF');
    assert.ok(jpeg.includes('Hidden Name'));
    const set = await putIcon(pseudId, jpeg, writer.api.token, 'image/jpeg');
    assert.equal(set.status, 200, JSON.stringify(set.json));
    const icon = (await storedIcon())!;
    const metadata = await sharp(icon).metadata();
    assert.equal(metadata.exif, undefined);
    assert.equal(metadata.icc, undefined);
    assert.equal(metadata.xmp, undefined);
    assert.ok(!icon.includes('Hidden Name') && !icon.includes('Secret Place'));
  });

  it('takes the first frame of an animated GIF', async () => {
    const frame = (r: number, g: number, b: number) =>
      sharp({ create: { width: 40, height: 40, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer();
    const animated = await sharp([await frame(255, 0, 0), await frame(0, 255, 0), await frame(0, 0, 255)], {
      join: { animated: true },
    })
      .gif({ loop: 0 })
      .toBuffer();
    assert.equal((await sharp(animated).metadata()).pages, 3, 'the upload is animated');
    const set = await putIcon(pseudId, animated, writer.api.token, 'image/gif');
    assert.equal(set.status, 200, JSON.stringify(set.json));
    const icon = (await storedIcon())!;
    const metadata = await sharp(icon).metadata();
    assert.equal(metadata.pages ?? 1, 1);
    assert.deepEqual([metadata.width, metadata.height], [100, 100]);
    const { channels } = await sharp(icon).stats();
    assert.ok(channels[0].mean > 200 && channels[1].mean < 50, 'the first (red) frame');
  });

  it('refuses uploads that lie about their type, SVG, image bombs and files too big, leaving the icon as it was', async () => {
    const before = await storedIcon();
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    const bomb = pngBomb(20_000, 20_000);
    assert.ok(bomb.length < 500 * 1024, `the bomb is small in bytes (${bomb.length})`);
    const noise = await sharp({
      create: {
        width: 600,
        height: 600,
        channels: 3,
        background: { r: 0, g: 0, b: 0 },
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    assert.ok(noise.length > 500 * 1024);
    for (const [label, bytes, type, status, message] of [
      [
        'text named as a PNG',
        Buffer.from('just some text, honestly a PNG'),
        'image/png',
        400,
        /not a PNG, JPEG, GIF or WebP/,
      ],
      ['an SVG', svg, 'image/png', 400, /not a PNG, JPEG, GIF or WebP/],
      ['an SVG sent as one', svg, 'image/svg+xml', 400, /not a PNG, JPEG, GIF or WebP/],
      ['JSON', '{"icon": "gull.png"}', 'application/json', 400, /not a PNG, JPEG, GIF or WebP/],
      ['a PNG whose body is cut short', png.subarray(0, 60), 'image/png', 400, /damaged|not what/],
      ['a 20000×20000 PNG bomb', bomb, 'image/png', 400, /too many|pixels/],
      ['a file over the limit', noise, 'image/png', 413, /large/],
    ] as const) {
      const refused = await putIcon(pseudId, bytes, writer.api.token, type);
      assert.equal(refused.status, status, `${label}: ${JSON.stringify(refused.json)}`);
      assert.match(refused.json.error.message, message, label);
    }
    assert.deepEqual(await storedIcon(), before, 'the icon is as it was');
  });

  it('takes the icon form (multipart) on the edit page, deciding by the bytes, not the name, and removes it', async () => {
    const edit = '/users/tidecaller/pseuds/Gull/icon';
    const gifNamedPng = await solid(50, 50).gif().toBuffer();
    const taken = await uploadForm(writer.page, edit, {
      name: 'gull.png',
      type: 'image/png',
      bytes: gifNamedPng,
    });
    assert.equal(taken.status, 303, textOf(taken.body));
    const textAsPng = await uploadForm(writer.page, edit, {
      name: 'gull.png',
      type: 'image/png',
      bytes: Buffer.from('<html>not a picture</html>'),
    });
    assert.equal(textAsPng.status, 400);
    assert.match(textOf(textAsPng.body), /not a PNG, JPEG, GIF or WebP/);
    const tooBig = await uploadForm(writer.page, edit, {
      name: 'huge.png',
      type: 'image/png',
      bytes: Buffer.concat([png, Buffer.alloc(600 * 1024)]),
    });
    assert.equal(tooBig.status, 413);
    assert.match(textOf(tooBig.body), /An upload may hold one file of up to 0\.5 MB\./);
    // Someone else cannot send a file to it at all.
    const intruder = await uploadForm(other.page, edit, { name: 'x.png', type: 'image/png', bytes: png });
    assert.equal(intruder.status, 403);

    await writer.page.get('/users/tidecaller/pseuds/Gull/edit');
    await writer.page.submit('/users/tidecaller/pseuds/Gull/icon/delete', {});
    assert.equal(await storedIcon(), undefined);
    assert.equal(
      (await archive.app.inject({ method: 'GET', url: `/pseuds/${pseudId}/icon` })).statusCode,
      404,
    );
    const cleared = await archive.app.inject({
      method: 'DELETE',
      url: `/api/v1/pseuds/${pseudId}/icon`,
      headers: { authorization: `Bearer ${writer.api.token}` },
    });
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().icon_url, null);
  });
});
