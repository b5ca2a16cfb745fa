import path from 'node:path';
import type { QuireConfig } from '../src/config.ts';

// One way to name the archive a benchmark command works on: `sqlite:<file>` or a postgres:// URL.

export type DatabaseConfig = QuireConfig['database'];

export function parseDatabaseSpec(spec: string | undefined): DatabaseConfig {
  if (!spec)
    throw new Error('Name the archive: --database sqlite:bench/out/quire-100k.db or a postgres:// URL.');
  if (/^postgres(ql)?:\/\//.test(spec)) return { dialect: 'postgres', url: spec };
  if (spec.startsWith('sqlite:') && spec.length > 'sqlite:'.length) {
    return { dialect: 'sqlite', file: path.resolve(spec.slice('sqlite:'.length)) };
  }
  throw new Error(`--database must be sqlite:<file> or a postgres:// URL, not "${spec}".`);
}

/** A short name for file names and reports: the SQLite file's base name or the PostgreSQL database. */
export function archiveLabel(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `sqlite-${path.basename(config.file).replace(/\.db$/, '')}`;
  return `postgres-${new URL(config.url).pathname.slice(1)}`;
}

/** The settings row the loader leaves behind, so the benchmark can regenerate the same corpus. */
export const CORPUS_SETTING = 'bench_corpus';

export interface CorpusSetting {
  seed: number;
  works: number;
}
