import cliProgress from 'cli-progress';
import type { QuireIo } from './io.ts';

/** A progress bar on the terminal, or null when nobody is watching one. */
export function progressBar(io: QuireIo, format: string): cliProgress.SingleBar | null {
  return io.terminal
    ? new cliProgress.SingleBar({ format, stream: io.terminal }, cliProgress.Presets.shades_classic)
    : null;
}

/**
 * Moves a bar from a long command's (done, total) reports; the bar starts at the first report, since
 * the total is only known once the work has been counted.
 */
export function progressReporter(bar: cliProgress.SingleBar | null): (done: number, total: number) => void {
  let started = false;
  return (done, total) => {
    if (!started) bar?.start(total, done);
    started = true;
    bar?.setTotal(total);
    bar?.update(done);
  };
}
