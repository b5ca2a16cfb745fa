// The thread that builds downloads (see downloadBuilds.ts): it receives one build at a time and answers
// with the file's bytes or the reason it could not be built.

import { parentPort } from 'node:worker_threads';
import { buildSeriesEpub, buildWorkEpub } from '../formats/epub.ts';
import { buildWorkHtml } from '../formats/htmlDownload.ts';
import type { BuildAnswer, DownloadJob } from './downloadBuilds.ts';

async function build(job: DownloadJob): Promise<Uint8Array> {
  switch (job.kind) {
    case 'work-epub':
      return buildWorkEpub(job.work);
    case 'work-html':
      return Buffer.from(buildWorkHtml(job.work), 'utf8');
    case 'series-epub':
      return buildSeriesEpub(job.series);
  }
}

const port = parentPort;
if (!port) throw new Error('downloadBuildThread.ts runs as a worker thread of downloadBuilds.ts.');
port.on('message', async (job: DownloadJob) => {
  let answer: BuildAnswer;
  try {
    answer = { ok: true, bytes: await build(job) };
  } catch (error) {
    answer = { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
