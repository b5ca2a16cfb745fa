import { Worker } from 'node:worker_threads';
import {
  Ao3FormatError,
  type ImportedWork,
  parseAo3Epub,
  parseAo3HtmlBytes,
  sniffAo3Download,
} from '../formats/ao3Download.ts';

// Reading a download builds its whole document tree (cheerio): about sixty times the file's size in memory
// and seconds of CPU for a large one (a 10 MB file: some 600 MB and 5 s). A reading thread with a heap
// limit and a time limit lets an uploaded file cost its own import at most: the server's memory stays
// within budget and its event loop keeps answering readers while a job reads.

/**
 * The heap a reading thread may use, from the largest file the archive takes: a document tree needs some
 * fifty times its file's size, so 64 MB for each MB of the limit (640 MB for the default 10 MB).
 */
export function readingHeapMb(maxFileBytes: number): number {
  return Math.max(256, Math.ceil((maxFileBytes / (1024 * 1024)) * 64));
}
const READING_TIME_LIMIT_MS = 2 * 60_000;

/** One download's bytes: a file's name helps tell an EPUB from a zip of downloads. */
export interface DownloadBytes {
  name: string;
  bytes: Buffer;
}

/** Reads a download in the calling thread (the CLI, run by whoever owns the machine). */
export async function readAo3Download(file: DownloadBytes): Promise<ImportedWork> {
  const kind = sniffAo3Download(file.name, file.bytes);
  if (!kind) throw new Ao3FormatError('not an AO3 download (no AO3 meta block found)');
  return kind === 'epub' ? parseAo3Epub(file.bytes) : parseAo3HtmlBytes(file.bytes);
}

/** What the reading thread sends back: the work, or why the file could not be read. */
export type ReadingAnswer = { work: ImportedWork } | { refusal: string };

// The thread runs the same kind of file as this one: .ts from source (tests, `npm run dev`), .js in dist/.
const threadScript = new URL(`./ao3ReadingThread${import.meta.url.slice(-3)}`, import.meta.url);

// Starting a thread (loading cheerio into it) costs more than reading a typical download, so after a small
// file the thread is kept a few seconds for the next one: a zip of a hundred downloads starts one thread,
// not a hundred. After a large file it goes, and takes the memory that file needed with it.
const SPARE_FOR_MS = 5_000;
const SPARE_AFTER_BYTES_AT_MOST = 1024 * 1024;
let spare: { thread: Worker; heapMb: number; timer: NodeJS.Timeout; forget: () => void } | undefined;

function takeThread(heapMb: number): Worker {
  if (spare?.heapMb !== heapMb) {
    return new Worker(threadScript, {
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // The test runner's own flags (--test…) are refused in a thread; loaders such as tsx are kept.
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--test')),
    });
  }
  const { thread, timer, forget } = spare;
  spare = undefined;
  clearTimeout(timer);
  thread.off('exit', forget);
  thread.ref();
  return thread;
}

function putAside(thread: Worker, heapMb: number): void {
  if (spare) {
    void thread.terminate();
    return;
  }
  const forget = () => {
    if (spare?.thread !== thread) return;
    clearTimeout(spare.timer);
    spare = undefined;
  };
  const timer = setTimeout(() => {
    forget();
    void thread.terminate();
  }, SPARE_FOR_MS);
  // A spare thread never keeps the process alive.
  timer.unref();
  thread.unref();
  thread.once('exit', forget);
  spare = { thread, heapMb, timer, forget };
}

/**
 * Reads a download in a reading thread; whatever goes wrong inside it (a file that is not AO3's, a
 * document too big for the heap limit, too slow) is an Ao3FormatError about this file alone.
 */
export function readAo3DownloadInThread(file: DownloadBytes, heapMb: number): Promise<ImportedWork> {
  const thread = takeThread(heapMb);
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void, reusable: boolean) => {
      clearTimeout(timer);
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
      if (reusable && file.bytes.length <= SPARE_AFTER_BYTES_AT_MOST) putAside(thread, heapMb);
      else void thread.terminate();
      outcome();
    };
    const onMessage = (answer: ReadingAnswer) =>
      finish(
        () => ('work' in answer ? resolve(answer.work) : reject(new Ao3FormatError(answer.refusal))),
        true,
      );
    const onError = (error: Error & { code?: string }) =>
      finish(
        () =>
          reject(
            new Ao3FormatError(
              error.code === 'ERR_WORKER_OUT_OF_MEMORY'
                ? `reading it needs more than the ${heapMb} MB of memory the archive gives one download`
                : `could not be read (${error.message})`,
            ),
          ),
        false,
      );
    const onExit = () =>
      finish(() => reject(new Ao3FormatError('reading it stopped without an answer')), false);
    const timer = setTimeout(
      () =>
        finish(
          () =>
            reject(
              new Ao3FormatError(`reading it took longer than ${READING_TIME_LIMIT_MS / 60_000} minutes`),
            ),
          false,
        ),
      READING_TIME_LIMIT_MS,
    );
    thread.on('message', onMessage);
    thread.once('error', onError);
    thread.once('exit', onExit);
    thread.postMessage({ name: file.name, bytes: file.bytes });
  });
}
