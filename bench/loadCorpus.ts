import fs from 'node:fs';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { rebuildFilterTags } from '../src/services/filterTags.ts';
import { writeWorkSearchTexts } from '../src/services/workSearchTexts.ts';
import { archiveLabel, type DatabaseConfig, parseDatabaseSpec } from './archiveSpec.ts';
import type { BulkWriter } from './bulkWriter.ts';
import { Corpus, DEFAULT_SEED } from './corpus.ts';
import { TABLES, tagParentRows, tagRows, userRows, WORK_TABLES, workRows } from './corpusRows.ts';
import { formatBytes, formatDuration, writeReport } from './output.ts';
import { PostgresBulkWriter } from './postgresBulk.ts';
import { SqliteBulkWriter } from './sqliteBulk.ts';

// npm run bench:load -- --works 100000 --database sqlite:bench/out/quire-100k.db [--seed 6] [--replace]
// Builds a synthetic archive of the given size for the search benchmark.

/** Every bench user can log in with this (to see restricted works as a member would). */
const BENCH_PASSWORD = 'quire-bench';
const WORKS_PER_BATCH = 2000;
const USERS_PER_BATCH = 20_000;
/** Works whose loaded rows are compared with what the services write for them. */
const VERIFIED_WORKS = 200;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      works: { type: 'string', default: '100000' },
      database: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      replace: { type: 'boolean', default: false },
    },
  });
  const works = Number(values.works);
  const seed = Number(values.seed);
  if (!Number.isInteger(works) || works < 1 || works > 5_000_000) {
    throw new Error('--works must be a whole number from 1 to 5,000,000.');
  }
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a whole number.');
  const config = parseDatabaseSpec(values.database);
  const started = performance.now();
  const phases: Record<string, number> = {};
  const phase = async (name: string, step: () => Promise<void>): Promise<void> => {
    const at = performance.now();
    console.error(`${name}…`);
    await step();
    phases[name] = (performance.now() - at) / 1000;
    console.error(`${name}: ${formatDuration(phases[name])}`);
  };

  await prepareTarget(config, values.replace);
  await phase('schema', async () => {
    const archive = createDatabase(config);
    await migrateToLatest(archive);
    await archive.close();
  });

  const corpus = new Corpus({ seed, works });
  const writer: BulkWriter =
    config.dialect === 'sqlite'
      ? new SqliteBulkWriter(config.file)
      : await PostgresBulkWriter.open(config.url);
  let peakRss = 0;
  try {
    await writer.start();
    const passwordHash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id });
    await phase('tags and users', async () => {
      await writer.transaction(async () => {
        await writer.insert(TABLES.tags, tagRows(corpus));
        await writer.insert(TABLES.tagParents, tagParentRows(corpus));
      });
      for (let first = 1; first <= corpus.userCount; first += USERS_PER_BATCH) {
        const last = Math.min(corpus.userCount, first + USERS_PER_BATCH - 1);
        const { users, pseuds } = userRows(corpus, first, last, passwordHash);
        await writer.transaction(async () => {
          await writer.insert(TABLES.users, users);
          await writer.insert(TABLES.pseuds, pseuds);
        });
      }
    });
    await phase('works', async () => {
      const progress = new Progress('works', works);
      let chapterId = 1;
      for (let first = 1; first <= works; first += WORKS_PER_BATCH) {
        const last = Math.min(works, first + WORKS_PER_BATCH - 1);
        const batch = Array.from({ length: last - first + 1 }, (_, index) => corpus.work(first + index));
        const { rows, nextChapterId } = workRows(corpus, batch, chapterId);
        chapterId = nextChapterId;
        await writer.transaction(async () => {
          for (const key of WORK_TABLES) await writer.insert(TABLES[key], rows[key]);
        });
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        progress.update(last);
      }
    });
    await writer.finish({ seed, works }, phase);
    const bytes = await writer.size();
    const total = (performance.now() - started) / 1000;
    await writer.close();
    await phase('verify', () => verifySample(config, works));

    console.log(
      `Loaded ${works.toLocaleString('en')} works (seed ${seed}) into ${archiveLabel(config)} in ${formatDuration(total)}; ` +
        `${formatBytes(bytes)} on disk; loader peak RSS ${formatBytes(peakRss)}.`,
    );
    const report = writeReport(`load-${archiveLabel(config)}`, {
      database: archiveLabel(config),
      works,
      seed,
      seconds: total,
      phases,
      bytesOnDisk: bytes,
      loaderPeakRssBytes: peakRss,
    });
    console.log(`Report: ${report}`);
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }
}

/** Refuses to load over an archive that holds works; with --replace, starts from an empty database. */
async function prepareTarget(config: DatabaseConfig, replace: boolean): Promise<void> {
  if (config.dialect === 'sqlite') {
    if (!fs.existsSync(config.file)) return;
    if (!replace && sqliteHasWorks(config.file)) {
      throw new Error(`${config.file} already holds works; pass --replace to load over it.`);
    }
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${config.file}${suffix}`, { force: true });
    return;
  }
  const target = new URL(config.url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new Error(`Use a plain database name (letters, digits, _), not "${name}".`);
  const maintenance = new URL(config.url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    if (exists) {
      if (!replace && (await postgresHasWorks(config.url))) {
        throw new Error(`Database ${name} already holds works; pass --replace to load over it.`);
      }
      await admin.query(`drop database ${name} with (force)`);
    }
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

function sqliteHasWorks(file: string): boolean {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    const table = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'works'`).get();
    return table !== undefined && db.prepare('select 1 from works limit 1').get() !== undefined;
  } finally {
    db.close();
  }
}

async function postgresHasWorks(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query(`select to_regclass('works') as name`);
    if (table.rows[0].name === null) return false;
    return ((await client.query('select 1 from works limit 1')).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

class RolledBack extends Error {}

/**
 * Checks that the loaded filter closure and search texts are exactly what the services write: reruns
 * rebuildFilterTags and writeWorkSearchTexts on a spread of works inside a transaction, compares, and
 * rolls the transaction back.
 */
async function verifySample(config: DatabaseConfig, works: number): Promise<void> {
  const ids = Array.from({ length: Math.min(VERIFIED_WORKS, works) }, (_, index) =>
    Math.max(1, Math.round(((index + 1) * works) / Math.min(VERIFIED_WORKS, works))),
  );
  const archive = createDatabase(config);
  const snapshot = async (db: typeof archive.db): Promise<string> => {
    const filters = await db
      .selectFrom('work_filter_tags')
      .select(['work_id', 'tag_id'])
      .where('work_id', 'in', ids)
      .orderBy('work_id')
      .orderBy('tag_id')
      .execute();
    const texts = await db
      .selectFrom('work_search_texts')
      .select(['work_id', 'title', 'creators', 'tags', 'summary', 'body'])
      .where('work_id', 'in', ids)
      .orderBy('work_id')
      .execute();
    return JSON.stringify({ filters, texts });
  };
  try {
    const loaded = await snapshot(archive.db);
    let rewritten = '';
    await archive.db
      .transaction()
      .execute(async (trx) => {
        await rebuildFilterTags(trx, ids);
        await writeWorkSearchTexts(trx, ids);
        rewritten = await snapshot(trx);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    if (loaded !== rewritten) {
      throw new Error(
        'The loaded filter tags or search texts differ from what the services write for the same works.',
      );
    }
    if (archive.dialect === 'sqlite') {
      const { rows } = await sql<{ n: number }>`select count(*) as n from search_index_changes`.execute(
        archive.db,
      );
      if (rows[0].n !== 0) throw new Error('search_index_changes is not empty after the load.');
    }
    console.error(`verify: ${ids.length} works match what rebuildFilterTags and writeWorkSearchTexts write.`);
  } finally {
    await archive.close();
  }
}

/** Progress on stderr: a line every few seconds, with the rate and the time left. */
class Progress {
  private readonly started = performance.now();
  private lastPrinted = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const now = performance.now();
    if (now - this.lastPrinted < 5000 && done < this.total) return;
    this.lastPrinted = now;
    const seconds = (now - this.started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const left = (this.total - done) / Math.max(rate, 1);
    console.error(
      `${this.label} ${done.toLocaleString('en')}/${this.total.toLocaleString('en')} ` +
        `(${((done / this.total) * 100).toFixed(1)}%) · ${Math.round(rate).toLocaleString('en')}/s · ` +
        `${formatDuration(left)} left · RSS ${formatBytes(process.memoryUsage().rss)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
