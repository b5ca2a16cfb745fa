import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Entry, fromBufferPromise } from 'yauzl';

// Reading built EPUBs in tests: their files as text, and epubcheck's verdict (Debian's epubcheck package).

const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

export interface ZipContent {
  entries: Entry[];
  files: Map<string, string>;
}

export async function unzip(buffer: Buffer): Promise<ZipContent> {
  const zip = await fromBufferPromise(buffer, { lazyEntries: true });
  const entries: Entry[] = [];
  const files = new Map<string, string>();
  for await (const entry of zip.eachEntry()) {
    entries.push(entry);
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
  }
  return { entries, files };
}

export interface EpubcheckReport {
  checker: { checkerVersion: string; nFatal: number; nError: number; nWarning: number; nUsage: number };
  messages: { ID: string; severity: string; message: string; locations: { path: string; line: number }[] }[];
}

export function epubcheck(file: string): Promise<EpubcheckReport> {
  if (!existsSync(EPUBCHECK_JAR)) {
    throw new Error(`epubcheck is missing (${EPUBCHECK_JAR}): install it: apt-get install -y epubcheck`);
  }
  const report = `${file}.epubcheck.json`;
  return new Promise((resolve, reject) => {
    // epubcheck exits non-zero when it finds errors; the JSON report says which.
    // One short run: the JVM's quick compiler and simple collector halve its CPU time against the defaults.
    const java = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', EPUBCHECK_JAR];
    execFile('java', [...java, file, '--json', report], { maxBuffer: 16 << 20 }, (error) => {
      readFile(report, 'utf8')
        .then((json) => resolve(JSON.parse(json) as EpubcheckReport))
        .catch(() => reject(error ?? new Error(`epubcheck wrote no report for ${file}`)));
    });
  });
}

export function assertClean(report: EpubcheckReport, label: string): void {
  const problems = report.messages
    .filter((message) => message.severity !== 'USAGE' && message.severity !== 'INFO')
    .map(
      (message) =>
        `${message.severity} ${message.ID} ${message.message} at ${message.locations
          .map((location) => `${location.path}:${location.line}`)
          .join(', ')}`,
    );
  const { nFatal, nError, nWarning } = report.checker;
  assert.deepEqual(
    { nFatal, nError, nWarning },
    { nFatal: 0, nError: 0, nWarning: 0 },
    `epubcheck ${report.checker.checkerVersion} on ${label}:\n${problems.join('\n')}`,
  );
}
