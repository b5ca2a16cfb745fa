import { spawn } from 'node:child_process';
import os from 'node:os';

// `node test/support/runTestFiles.ts [--test flags] files…`: runs the files in one `node --test` process per
// core, each taking its share of the files one after another inside itself (--test-isolation=none).
//
// A process per file spent about a second loading tsx, Fastify and the app for every one of some thirty
// files, longer than most of them take to run; a single process for all of them left the other core idle
// while a file waited on epubcheck or the `quire` command. Sharing a process shares no archive: each file
// still starts its own (startTestArchive), and the app keeps its caches per database.
//
// Each process's report is printed whole, one after the other, so that the reports do not interleave.

const args = process.argv.slice(2);
const flags = args.filter((arg) => arg.startsWith('--'));
const files = args.filter((arg) => !arg.startsWith('--'));
const processCount = Math.max(1, Math.min(os.availableParallelism(), files.length));

interface Share {
  held: Array<[NodeJS.WriteStream, Buffer]>;
  shown: boolean;
  exitCode: Promise<number | null>;
}

const shares: Share[] = Array.from({ length: processCount }, (_, index) => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-isolation=none',
      `--test-shard=${index + 1}/${processCount}`,
      ...flags,
      ...files,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const share: Share = {
    held: [],
    shown: false,
    exitCode: new Promise((resolve) => child.on('close', resolve)),
  };
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    from?.on('data', (chunk: Buffer) => {
      if (share.shown) to.write(chunk);
      else share.held.push([to, chunk]);
    });
  }
  return share;
});

let failed = false;
for (const share of shares) {
  for (const [to, chunk] of share.held) to.write(chunk);
  share.shown = true;
  if ((await share.exitCode) !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
