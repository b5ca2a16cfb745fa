import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SeriesDocument, WorkDocument } from '../formats/workDocument.ts';

// Building an EPUB parses and rewrites every chapter: milliseconds for most works, but the CPU time
// grows with what a writer typed, and while the server's one thread builds, it answers nobody. So
// downloads are built on worker threads, each build with a time and memory limit; a build over either
// is stopped by ending its thread. At most one thread per core but one builds at a time, which leaves
// the server's own thread a core of its own; other builds wait their turn.

export type DownloadJob =
  | { kind: 'work-epub'; work: WorkDocument }
  | { kind: 'work-html'; work: WorkDocument }
  | { kind: 'series-epub'; series: SeriesDocument };

/** What a build thread answers for one job. */
export type BuildAnswer = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * A build that failed because of what it was given (too slow, too large, or an error in the format):
 * built again from the same revision, it would fail again.
 */
export class DownloadBuildError extends Error {
  constructor(
    message: string,
    /** Whether it failed just now, or an earlier failure of this revision was remembered. */
    readonly remembered = false,
  ) {
    super(message);
  }
}

/** Every build thread is busy and the queue is full (or the archive is closing): nothing about this work. */
export class DownloadsBusyError extends Error {}

export interface DownloadBuildLimits {
  /** Wall time a build may take once on its thread (the thread's start-up included). */
  timeLimitMs: number;
  threads: number;
  /** The heap one build thread may grow to. */
  memoryMb: number;
  /** Builds that may wait for a thread; one that waits longer than timeLimitMs gives up. */
  queue: number;
}

export function downloadBuildLimits(timeLimitMs: number): DownloadBuildLimits {
  return { timeLimitMs, threads: Math.max(1, os.availableParallelism() - 1), memoryMb: 512, queue: 16 };
}

// The thread's module sits beside this one: .ts when run from source under tsx (the worker inherits
// tsx from the process's --import), .js once `npm run build` has compiled both into dist/.
const THREAD_MODULE = new URL(
  `./downloadBuildThread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
);

interface Waiting {
  job: DownloadJob;
  resolve(bytes: Buffer): void;
  reject(error: Error): void;
  /** Gives up waiting; cleared when a thread takes the job. */
  timer: NodeJS.Timeout;
}

/** The build threads of one app: idle ones are kept for the next build. */
export class DownloadBuilds {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly waiting: Waiting[] = [];
  private closed = false;

  constructor(private readonly limits: DownloadBuildLimits) {}

  build(job: DownloadJob): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (this.closed) reject(new DownloadsBusyError('The archive is shutting down.'));
      else if (this.busy.size < this.limits.threads) this.run(job, resolve, reject);
      else if (this.waiting.length >= this.limits.queue)
        reject(new DownloadsBusyError('Too many downloads are being built.'));
      else {
        const task: Waiting = {
          job,
          resolve,
          reject,
          timer: setTimeout(() => {
            this.waiting.splice(this.waiting.indexOf(task), 1);
            reject(new DownloadsBusyError('Other downloads took all the build time.'));
          }, this.limits.timeLimitMs),
        };
        this.waiting.push(task);
      }
    });
  }

  /** Ends every thread; builds still running or waiting are refused as busy. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) {
      clearTimeout(task.timer);
      task.reject(new DownloadsBusyError('The archive is shutting down.'));
    }
    await Promise.all([...this.idle.splice(0), ...this.busy].map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(THREAD_MODULE, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
    });
    // A thread that fails between builds is simply dropped; without a listener its error would end the process.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
    });
    return worker;
  }

  private run(job: DownloadJob, resolve: (bytes: Buffer) => void, reject: (error: Error) => void): void {
    const worker = this.idle.pop() ?? this.spawn();
    this.busy.add(worker);
    worker.ref();
    const settle = (keepThread: boolean, outcome: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      this.busy.delete(worker);
      if (keepThread && !this.closed) {
        worker.unref();
        this.idle.push(worker);
      } else void worker.terminate();
      outcome();
      this.next();
    };
    const failed = (reason: string) => () =>
      reject(
        this.closed
          ? new DownloadsBusyError('The archive is shutting down.')
          : new DownloadBuildError(reason),
      );
    const onMessage = (answer: BuildAnswer) =>
      answer.ok
        ? settle(true, () =>
            resolve(Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength)),
          )
        : settle(true, failed(answer.reason));
    const onError = (error: Error) => settle(false, failed(error.message));
    const onExit = () => settle(false, failed('The build thread stopped.'));
    const timer = setTimeout(
      () => settle(false, failed(`The build took longer than ${this.limits.timeLimitMs} ms.`)),
      this.limits.timeLimitMs,
    );
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job);
  }

  private next(): void {
    while (!this.closed && this.busy.size < this.limits.threads && this.waiting.length > 0) {
      const task = this.waiting.shift() as Waiting;
      clearTimeout(task.timer);
      this.run(task.job, task.resolve, task.reject);
    }
  }
}
