import cliProgress from 'cli-progress';
import type { QuireIo } from './io.ts';

/** A progress bar on the terminal, or null when nobody is watching one. */
export function progressBar(io: QuireIo, format: string): cliProgress.SingleBar | null {
  return io.terminal
    ? new cliProgress.SingleBar({ format, stream: io.terminal }, cliProgress.Presets.shades_classic)
    : null;
}
