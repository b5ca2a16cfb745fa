import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import {
  connectToEfiction,
  type EfictionArchive,
  EfictionSourceError,
  loadDumpIntoScratchDatabase,
  mysqlConnectionOptions,
  readEfictionDatabase,
} from '../importers/efiction/efictionArchive.ts';
import { type EfictionImportPlan, mapEfictionArchive } from '../importers/efiction/mapEfiction.ts';
import { type EfictionImportSummary, importEfictionPlan } from '../services/efictionImport.ts';
import { ValidationError } from '../services/errors.ts';
import { openArchive } from './archive.ts';
import type { QuireIo } from './io.ts';
import { progressBar } from './progress.ts';

export interface EfictionCommandOptions {
  mysqlUrl?: string;
  dump?: string;
  prefix?: string;
  storiesDir?: string;
  sourceUrl?: string;
  language?: string;
}

/** Where `--dump` loads its scratch database when no --mysql-url names a server. */
export const DEFAULT_SCRATCH_SERVER = 'mysql://root@127.0.0.1:3306/';

function checkOptions(options: EfictionCommandOptions): void {
  if (!options.mysqlUrl && !options.dump)
    throw new ValidationError(
      'Say where the eFiction archive is: --mysql-url mysql://user:password@host/database, or --dump backup.sql.',
    );
  if (options.sourceUrl) {
    let url: URL | null = null;
    try {
      url = new URL(options.sourceUrl);
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new ValidationError(
        '--source-url must be the old archive’s web address, such as https://old-archive.example.org.',
      );
  }
  if (options.storiesDir && !fs.statSync(options.storiesDir, { throwIfNoEntry: false })?.isDirectory())
    throw new ValidationError(`--stories-dir ${options.storiesDir} is not a folder.`);
  if (options.language && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(options.language))
    throw new ValidationError('--language must be a language code such as en or pt-BR.');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The mapping report and the import summary, as the text the command prints. */
export function formatEfictionReport(
  archive: EfictionArchive,
  plan: EfictionImportPlan,
  summary: EfictionImportSummary,
  /** What was read: the database, or the backup file loaded into a scratch database. */
  sourceLabel = `database "${archive.database}"`,
): string[] {
  const { report } = plan;
  const lines: string[] = [];
  const list = (heading: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(heading);
    for (const item of items) lines.push(`  ${item}`);
  };
  lines.push(
    `Read the eFiction ${sourceLabel} (prefix ${archive.tablePrefix}): ${plural(report.counts.authors, 'member')}, ${plural(report.counts.stories, 'story', 'stories')}, ${plural(archive.chapters.length, 'chapter')}, ${plural(archive.series.length, 'series', 'series')}, ${plural(report.counts.reviews, 'review')}.`,
  );
  lines.push(
    `Users: ${summary.users.created.length} created, ${summary.users.matched.length} matched to existing accounts${summary.users.failed.length > 0 ? `, ${summary.users.failed.length} failed` : ''}.`,
  );
  list('  Usernames different from the penname:', [
    ...report.renamedUsernames
      .filter((entry) => summary.users.created.includes(entry.username))
      .map((entry) => `“${entry.penname}” → ${entry.username} (${entry.reason})`),
    ...summary.users.renamed.map(
      (entry) => `${entry.from} → ${entry.to} (the name was taken in this archive)`,
    ),
  ]);
  list(
    '  Pennames sharing an email, imported as pseuds of one account:',
    report.mergedAuthors.map((entry) => `“${entry.penname}” → pseud of ${entry.intoUsername}`),
  );
  list(
    '  Accounts that failed:',
    summary.users.failed.map((entry) => `${entry.username}: ${entry.reason}`),
  );
  const skippedStories = report.skipped.filter((entry) => entry.kind === 'story');
  const failed = [
    ...skippedStories.map((entry) => `${entry.label}: ${entry.reason}`),
    ...summary.works.failed.map((entry) => `${entry.label}: ${entry.reason}`),
  ];
  const drafts = summary.works.imported.filter((work) => work.draft).length;
  lines.push(
    `Works: ${summary.works.imported.length} imported${drafts > 0 ? ` (${drafts === 1 ? '1 as a draft' : `${drafts} as drafts`}: never validated on the old archive)` : ''}, ${summary.works.duplicates.length} skipped as already imported, ${failed.length} failed.`,
  );
  list('  Failed:', failed);
  lines.push(`Comments: ${summary.comments} imported (from story reviews).`);
  lines.push(`Series: ${summary.series.created} created, ${plural(summary.series.parts, 'part')} placed.`);
  list(
    'Ratings not mapped (those stories are Not Rated):',
    report.unmappedRatings.map((entry) => `${entry.name} (${plural(entry.stories, 'story', 'stories')})`),
  );
  list(
    'Warning classes mapped to AO3 archive warnings (also kept as additional tags when named differently):',
    report.mappedWarnings.map((entry) => `${entry.name} → ${entry.warning}`),
  );
  list(
    'Warning classes not mapped (kept as additional tags; archive warning “Creator Chose Not To Use Archive Warnings”):',
    report.unmappedClasses.map((entry) => `${entry.name} (${plural(entry.stories, 'story', 'stories')})`),
  );
  list(
    'Tags renamed:',
    [...report.renamedTags, ...summary.renamedTags].map(
      (entry) => `“${entry.from}” → “${entry.to}” (${entry.reason})`,
    ),
  );
  list(
    'Skipped:',
    report.skipped
      .filter((entry) => entry.kind !== 'story')
      .map((entry) => `${entry.label}: ${entry.reason}`),
  );
  list(
    'Adjusted to fit:',
    report.adjustments.map((entry) => `${entry.label}: ${entry.note}`),
  );
  list('Notices:', plan.notices);
  return lines;
}

/**
 * Reads the whole archive into memory; a scratch database made for a backup is dropped as soon as it
 * has been read (or when the command is interrupted while it exists).
 */
async function readArchive(
  options: EfictionCommandOptions,
  log: (line: string) => void,
): Promise<{ archive: EfictionArchive; sourceLabel: string }> {
  let connection: Connection | null = null;
  let scratch: Awaited<ReturnType<typeof loadDumpIntoScratchDatabase>> | null = null;
  const interrupted = () => {
    void (scratch?.drop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    let url = options.mysqlUrl ?? DEFAULT_SCRATCH_SERVER;
    let prefix = options.prefix;
    if (options.dump) {
      log(`Loading ${options.dump} into a scratch database…`);
      scratch = await loadDumpIntoScratchDatabase(url, options.dump, { tablePrefix: prefix });
      url = scratch.url;
      prefix = scratch.tablePrefix;
    } else if (!mysqlConnectionOptions(url).database) {
      throw new EfictionSourceError(
        'Name the eFiction database in --mysql-url: mysql://user:password@host:3306/database.',
      );
    }
    connection = await connectToEfiction(url);
    const archive = await readEfictionDatabase(connection, {
      tablePrefix: prefix ?? 'fanfiction_',
      storiesDir: options.storiesDir,
    });
    if (scratch) archive.notices.unshift(...scratch.notices);
    return {
      archive,
      sourceLabel: options.dump ? `backup ${path.basename(options.dump)}` : `database "${archive.database}"`,
    };
  } finally {
    await connection?.end().catch(() => {});
    await scratch?.drop().catch(() => {});
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/**
 * `quire import efiction`: reads the archive (from its database, or from a backup loaded into a
 * scratch database), maps it, writes it, prints the report. Returns the exit status: 1 when any story
 * could not be imported.
 */
export async function importEfictionCommand(options: EfictionCommandOptions, io: QuireIo): Promise<number> {
  checkOptions(options);
  const log = (line: string) => {
    if (io.terminal) io.stderr(`${line}\n`);
  };
  const source = await readArchive(options, log);
  const plan = mapEfictionArchive(source.archive, {
    sourceUrl: options.sourceUrl,
    language: options.language,
  });
  const { archive } = await openArchive(io.env);
  try {
    const bar = progressBar(io, 'Importing [{bar}] {value}/{total} {story}');
    bar?.start(plan.works.length, 0, { story: '' });
    const summary = await importEfictionPlan(archive.db, plan, {
      onProgress: (done, _total, label) => bar?.update(done, { story: label.slice(0, 50) }),
    });
    bar?.stop();
    for (const line of formatEfictionReport(source.archive, plan, summary, source.sourceLabel))
      io.stdout(`${line}\n`);
    const storyFailures =
      summary.works.failed.length + plan.report.skipped.filter((entry) => entry.kind === 'story').length;
    return storyFailures > 0 || summary.users.failed.length > 0 ? 1 : 0;
  } finally {
    await archive.close();
  }
}
