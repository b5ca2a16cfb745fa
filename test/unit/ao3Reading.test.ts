import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ao3FormatError } from '../../src/formats/ao3Download.ts';
import { readAo3DownloadInThread } from '../../src/services/ao3Reading.ts';

const oneShot = fs.readFileSync(path.resolve('test/fixtures/ao3/one-shot.html'));

describe('reading downloads in a reading thread', () => {
  it('refuses a download that needs more memory than the thread may use, and goes on reading others', async () => {
    // 200,000 tiny elements: under 4 MB of file, far more than 32 MB of document tree.
    const dense = Buffer.from(
      oneShot.toString().replace('<p>雨停了', `${'<p>a <em>b</em></p>'.repeat(200_000)}<p>雨停了`),
    );
    assert.equal(
      (await readAo3DownloadInThread({ name: 'one-shot.html', bytes: oneShot }, 32)).title,
      '街灯',
    );
    await assert.rejects(
      readAo3DownloadInThread({ name: 'dense.html', bytes: dense }, 32),
      (error: unknown) =>
        error instanceof Ao3FormatError && /needs more than the 32 MB of memory/.test(error.message),
    );
    assert.equal(
      (await readAo3DownloadInThread({ name: 'one-shot.html', bytes: oneShot }, 32)).title,
      '街灯',
    );
  });

  it('reports a file that is not an AO3 download as such', async () => {
    await assert.rejects(
      readAo3DownloadInThread({ name: 'notes.html', bytes: Buffer.from('<p>hello</p>') }, 64),
      /not an AO3 download/,
    );
  });
});
