import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type ArchiveDatabase, createDatabase } from '../src/db/database.ts';
import type { Viewer } from '../src/domain/permissions.ts';
import { createWorkSearch } from '../src/search/archiveWorkSearch.ts';
import { parseWorkQuery } from '../src/search/queryParams.ts';
import type { WorkSearch, WorkSearchPage } from '../src/search/workSearch.ts';
import { archiveLabel, CORPUS_SETTING, type CorpusSetting, parseDatabaseSpec } from './archiveSpec.ts';
import { Corpus } from './corpus.ts';
import { measureShape } from './corpusShape.ts';
import { formatBytes, formatDuration, writeReport } from './output.ts';
import { benchScenarios, DISTINCT_QUESTIONS, type Scenario, type ScenarioRequest } from './scenarios.ts';

// npm run bench -- --database sqlite:bench/out/quire-100k.db [--iterations 50] [--warmup 5]
//   [--viewer guest|member] [--only "phrase"]
// Times representative listings through the search engine and, beside each, the straightforward SQL
// for its core query run directly on the database (the floor), in the same process and run.

const PAGE = 20;

interface Timing {
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

interface ScenarioResult {
  name: string;
  description: string;
  rawDescription: string;
  /** Works matched, averaged over the timed iterations. */
  meanTotal: number;
  /** Each question asked for the first time in this process. */
  ours: Timing;
  /** The same question asked again at once (what the engine keeps between requests answers it). */
  repeat: Timing;
  raw: Timing;
  /** ours ÷ raw at p50 and at p95. */
  ratio: { p50: number; p95: number };
  /** Timed iterations whose page held exactly the works (in order) the raw query returned. */
  pagesEqualToRaw: number | null;
  oursMs: number[];
  repeatMs: number[];
  rawMs: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      iterations: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '5' },
      viewer: { type: 'string', default: 'guest' },
      only: { type: 'string' },
    },
  });
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new Error('--iterations must be a whole number ≥ 1.');
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error('--warmup must be a whole number ≥ 0.');
  if (values.viewer !== 'guest' && values.viewer !== 'member')
    throw new Error('--viewer is guest or member.');
  if (iterations + warmup > DISTINCT_QUESTIONS) {
    console.error(
      `Only ${DISTINCT_QUESTIONS} distinct questions per scenario: past that, iterations repeat earlier ones.`,
    );
  }
  const config = parseDatabaseSpec(values.database);
  const archive = createDatabase(config);
  try {
    const setting = await corpusSetting(archive);
    const corpus = new Corpus(setting);
    console.error('measuring the corpus…');
    const shape = await measureShape(archive.db, corpus);
    const viewer: Viewer | null =
      values.viewer === 'member' ? { id: 1, username: corpus.user(1).username, isAdmin: false } : null;

    const engine = createWorkSearch(archive);
    const rssBefore = process.memoryUsage().rss;
    const warmStarted = performance.now();
    await engine.warm();
    const warmSeconds = (performance.now() - warmStarted) / 1000;
    const rssAfter = process.memoryUsage().rss;
    console.error(
      `warm(): ${formatDuration(warmSeconds)}; RSS ${formatBytes(rssBefore)} → ${formatBytes(rssAfter)}`,
    );

    const scenarios = benchScenarios(corpus, archive.dialect).filter(
      (scenario) => !values.only || scenario.name.includes(values.only),
    );
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      console.error(`${scenario.name}…`);
      results.push(await runScenario(archive, engine, viewer, scenario, iterations, warmup));
    }

    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memory: formatBytes(os.totalmem()),
      /** Other work on the shared machine skews the figures: the 1-minute load average at the end. */
      loadAverage: os.loadavg()[0],
      node: process.version,
      database: await databaseVersion(archive),
    };
    const searchCode = engineVersion();
    printTable(results);
    const only = values.only ? `-only-${values.only.replace(/[^a-z0-9]+/gi, '-')}` : '';
    const report = writeReport(`search-${archiveLabel(config)}-${values.viewer}${only}`, {
      database: archiveLabel(config),
      corpus: { ...setting, shape },
      machine,
      engine: searchCode,
      viewer: values.viewer,
      iterations,
      warmup,
      warm: { seconds: warmSeconds, rssBeforeBytes: rssBefore, rssAfterBytes: rssAfter },
      finalRssBytes: process.memoryUsage().rss,
      scenarios: results,
    });
    console.log(
      `\n${shape.works.toLocaleString('en')} works on ${machine.database}, ${machine.cpus} × ${machine.cpuModel}, ` +
        `${machine.node}, load average ${machine.loadAverage.toFixed(1)}; ` +
        `warm() ${formatDuration(warmSeconds)}, RSS after warm ${formatBytes(rssAfter)}.`,
    );
    console.log(`Report: ${report}`);
  } finally {
    await archive.close();
  }
}

async function corpusSetting(archive: ArchiveDatabase): Promise<CorpusSetting> {
  const row = await archive.db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', CORPUS_SETTING)
    .executeTakeFirst();
  if (!row) throw new Error('This archive was not loaded by bench:load (it has no bench_corpus setting).');
  return JSON.parse(row.value) as CorpusSetting;
}

async function runScenario(
  archive: ArchiveDatabase,
  engine: WorkSearch,
  viewer: Viewer | null,
  scenario: Scenario,
  iterations: number,
  warmup: number,
): Promise<ScenarioResult> {
  // Warm-up rounds ask other questions than the timed ones, so no timed answer was asked just before.
  for (let round = 0; round < warmup; round++) {
    const request = scenario.request(iterations + round);
    await timeEngine(engine, viewer, request);
    await request.raw.execute(archive.db);
  }
  const oursMs: number[] = [];
  const repeatMs: number[] = [];
  const rawMs: number[] = [];
  let totals = 0;
  let equal = 0;
  let comparable = true;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const request = scenario.request(iteration);
    const ours = await timeEngine(engine, viewer, request);
    oursMs.push(ours.ms);
    repeatMs.push((await timeEngine(engine, viewer, request)).ms);
    totals += ours.page.total;
    const started = performance.now();
    const { rows } = await request.raw.execute(archive.db);
    rawMs.push(performance.now() - started);
    const rawIds = (rows as Array<{ id?: number }>).map((row) => row.id);
    if (rawIds.some((id) => id === undefined)) comparable = false;
    else if (rawIds.join() === ours.page.workIds.join()) equal++;
  }
  const ours = summarise(oursMs);
  const repeat = summarise(repeatMs);
  const raw = summarise(rawMs);
  return {
    name: scenario.name,
    description: scenario.description,
    rawDescription: scenario.rawDescription,
    meanTotal: totals / iterations,
    ours,
    repeat,
    raw,
    ratio: { p50: ours.p50 / raw.p50, p95: ours.p95 / raw.p95 },
    pagesEqualToRaw: viewer === null && comparable ? equal : null,
    oursMs,
    repeatMs,
    rawMs,
  };
}

/** Follows the request's cursors (untimed) and times the page it asks for. */
async function timeEngine(
  engine: WorkSearch,
  viewer: Viewer | null,
  request: ScenarioRequest,
): Promise<{ ms: number; page: WorkSearchPage }> {
  let cursor: string | null = null;
  for (let page = 0; page < (request.skipPages ?? 0); page++) {
    cursor = (await findPage(engine, viewer, request.params, cursor)).nextCursor;
    if (cursor === null)
      throw new Error(`The listing ${JSON.stringify(request.params)} ended before the deep page.`);
  }
  const started = performance.now();
  const page = await findPage(engine, viewer, request.params, cursor);
  return { ms: performance.now() - started, page };
}

function findPage(
  engine: WorkSearch,
  viewer: Viewer | null,
  params: Record<string, string>,
  cursor: string | null,
): Promise<WorkSearchPage> {
  const parsed = parseWorkQuery(cursor === null ? params : { ...params, cursor });
  if (Object.keys(parsed.problems).length > 0) {
    throw new Error(
      `The benchmark asked a bad query ${JSON.stringify(params)}: ${JSON.stringify(parsed.problems)}`,
    );
  }
  return engine.findWorks({ viewer, query: parsed.query, scope: {}, limit: PAGE });
}

function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
  return {
    p50: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1],
    mean: samples.reduce((total, sample) => total + sample, 0) / samples.length,
  };
}

/** The last commit that touched src/search/, and whether the working tree has changed it since. */
function engineVersion(): { commit: string; uncommittedChanges: boolean } | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    return {
      commit: git('log', '-1', '--format=%h %s', '--', 'src/search'),
      uncommittedChanges: git('status', '--porcelain', '--', 'src/search') !== '',
    };
  } catch {
    return null;
  }
}

async function databaseVersion(archive: ArchiveDatabase): Promise<string> {
  if (archive.dialect === 'sqlite') {
    const { rows } = await sql<{ version: string }>`select sqlite_version() as version`.execute(archive.db);
    return `SQLite ${rows[0].version}`;
  }
  const { rows } = await sql<{ version: string }>`show server_version`.execute(archive.db);
  return `PostgreSQL ${rows[0].version ?? Object.values(rows[0])[0]}`;
}

function printTable(results: ScenarioResult[]): void {
  const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
  const header = [
    'scenario',
    'matched',
    'ours p50',
    'p95',
    'max',
    'repeat p50',
    'p95',
    'raw p50',
    'p95',
    'ours÷raw p50',
    'p95',
    'same page',
  ];
  const lines = results.map((result) => [
    result.name,
    Math.round(result.meanTotal).toLocaleString('en'),
    ms(result.ours.p50),
    ms(result.ours.p95),
    ms(result.ours.max),
    ms(result.repeat.p50),
    ms(result.repeat.p95),
    ms(result.raw.p50),
    ms(result.raw.p95),
    `${result.ratio.p50.toFixed(2)}×`,
    `${result.ratio.p95.toFixed(2)}×`,
    result.pagesEqualToRaw === null ? '–' : `${result.pagesEqualToRaw}/${result.oursMs.length}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ');
  console.log('\nTimes in milliseconds; "ours" asks each question once, "repeat" asks it again at once.');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
