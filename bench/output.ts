import fs from 'node:fs';
import path from 'node:path';

// Where benchmark reports go (git-ignored) and how their figures are printed.

const OUTPUT_DIRECTORY = path.resolve('bench/out');

/** Writes `<name>.json` under bench/out/ and returns its path. */
export function writeReport(name: string, report: unknown): string {
  fs.mkdirSync(OUTPUT_DIRECTORY, { recursive: true });
  const file = path.join(OUTPUT_DIRECTORY, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return path.relative(process.cwd(), file);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
