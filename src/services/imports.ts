import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS } from '../domain/vocabulary.ts';
import { LIMITS } from '../domain/workRules.ts';
import {
  Ao3FormatError,
  type ImportedWork,
  parseAo3Epub,
  parseAo3HtmlBytes,
  sniffAo3Download,
} from '../formats/ao3Download.ts';
import { readZipEntries, ZipRejectedError } from '../formats/safeZip.ts';
import { AuthenticationError, ForbiddenError, ServiceError, ValidationError } from './errors.ts';
import { addWorkToSeriesByTitle } from './series.ts';
import { createWork } from './works.ts';

export type ImportOutcome = { status: 'imported'; workId: number } | { status: 'duplicate'; workId: number };

const FORBIDDEN_TAG = /[,^*<>{}=\\%`]/;

function onlyKnown<T extends string>(values: string[], known: readonly T[]): T[] {
  return values.filter((value): value is T => (known as readonly string[]).includes(value));
}

/** Tags this archive cannot hold (forbidden characters, too long) are left out rather than failing the work. */
function usableTags(names: string[]): string[] {
  return names.filter((name) => name.length <= LIMITS.tagName && !FORBIDDEN_TAG.test(name));
}

function webUrl(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString().slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

/** An already imported copy: the same source URL, or the same title by the same creators. */
async function findImportedCopy(db: Kysely<Database>, work: ImportedWork, importedFrom: string | undefined) {
  if (importedFrom) {
    return db.selectFrom('works').select('id').where('imported_from', '=', importedFrom).executeTakeFirst();
  }
  return db
    .selectFrom('works')
    .select('id')
    .where('title', '=', work.title.trim())
    .where('imported_creators', '=', work.creators.join(', '))
    .executeTakeFirst();
}

/**
 * Takes in a work read from another archive's download, owned by the importing account and credited to
 * its original creators, with its original dates. Importing the same work again finds the first copy.
 */
export async function importWork(
  db: Kysely<Database>,
  importer: Viewer,
  work: ImportedWork,
): Promise<ImportOutcome> {
  const importedFrom = webUrl(work.sourceUrl);
  const existing = await findImportedCopy(db, work, importedFrom);
  if (existing) return { status: 'duplicate', workId: existing.id };

  const warnings = onlyKnown(
    work.warnings.map((warning) =>
      warning === 'Choose Not To Use Archive Warnings'
        ? 'Creator Chose Not To Use Archive Warnings'
        : warning,
    ),
    ARCHIVE_WARNINGS,
  );
  // The user-typed tag kinds share AO3's limit of 75; the fandoms come first since a work needs one.
  let room = LIMITS.userTags;
  const within = (names: string[]) => {
    const kept = usableTags(names).slice(0, Math.max(0, room));
    room -= kept.length;
    return kept;
  };
  const fandoms = within(work.fandoms);
  const fields = {
    title: work.title.trim().slice(0, LIMITS.title),
    summary: work.summary,
    notes: work.notes,
    end_notes: work.endNotes,
    rating: onlyKnown(work.rating ? [work.rating] : [], RATINGS)[0] ?? 'Not Rated',
    warnings: warnings.length > 0 ? warnings : ['Creator Chose Not To Use Archive Warnings'],
    categories: onlyKnown(work.categories, CATEGORIES),
    fandoms: fandoms.length > 0 ? fandoms : ['Unsorted Fandom'],
    relationships: within(work.relationships),
    characters: within(work.characters),
    freeforms: within(work.freeforms),
    language: work.languageCode ?? 'en',
    complete: work.complete,
    expected_chapters: work.complete ? null : work.expectedChapters,
  };
  const chapters = work.chapters.map((chapter) => ({
    title: chapter.title.slice(0, LIMITS.chapterTitle),
    summary: chapter.summary,
    notes: chapter.notes,
    end_notes: chapter.endNotes,
    body: chapter.body,
    format: 'html',
  }));
  const created = await createWork(db, importer, fields, chapters, {
    postedAt: work.publishedAt ?? undefined,
    updatedAt: work.updatedAt ?? work.publishedAt ?? undefined,
    importedFrom,
    importedCreators: work.creators.length > 0 ? work.creators : ['Anonymous'],
  });
  for (const series of work.series) {
    if (series.title.trim())
      await addWorkToSeriesByTitle(db, importer.id, series.title, created.id, series.position);
  }
  return { status: 'imported', workId: created.id };
}

/** One file offered for import: where it came from (for the report) and its bytes. */
export interface ImportFile {
  label: string;
  name: string;
  bytes: Buffer;
}

export interface ImportFailure {
  label: string;
  reason: string;
}

export interface ImportReport {
  imported: { label: string; workId: number; title: string }[];
  duplicates: { label: string; workId: number; title: string }[];
  failed: ImportFailure[];
}

const ZIP_MAGIC = 0x04034b50;
const DOWNLOAD_FILE = /\.(?:html?|epub)$/i;

export function isDownloadFileName(name: string): boolean {
  return DOWNLOAD_FILE.test(name);
}

function isEpub(name: string, bytes: Buffer): boolean {
  return (
    /\.epub$/i.test(name) ||
    bytes.subarray(0, 200).toString('latin1').includes('mimetypeapplication/epub+zip')
  );
}

/** A zip of saved downloads opens into its HTML and EPUB files; any other file stands for itself. */
export async function unpackDownloads(
  file: ImportFile,
): Promise<{ files: ImportFile[]; unreadable: ImportFailure[] }> {
  const zipped = file.bytes.length >= 4 && file.bytes.readUInt32LE(0) === ZIP_MAGIC;
  if (!zipped || isEpub(file.name, file.bytes)) return { files: [file], unreadable: [] };
  try {
    const entries = await readZipEntries(file.bytes, isDownloadFileName);
    const files = [...entries]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([entryName, bytes]) => ({
        label: `${file.label}:${entryName}`,
        name: entryName.split('/').pop() ?? entryName,
        bytes,
      }));
    return { files, unreadable: [] };
  } catch (error) {
    if (!(error instanceof ZipRejectedError)) throw error;
    return { files: [], unreadable: [{ label: file.label, reason: error.message }] };
  }
}

function failureReason(error: unknown): string {
  if (error instanceof ValidationError && Object.keys(error.fields).length > 0) {
    return `${error.message} ${Object.values(error.fields).join(' ')}`;
  }
  if (error instanceof Ao3FormatError || error instanceof ServiceError) return error.message;
  throw error;
}

/** Imports each AO3 download in turn; one bad file is reported and never stops the others. */
export async function importAo3Files(
  db: Kysely<Database>,
  importer: Viewer,
  files: ImportFile[],
  onFile: (file: ImportFile) => void = () => {},
): Promise<ImportReport> {
  const report: ImportReport = { imported: [], duplicates: [], failed: [] };
  for (const file of files) {
    onFile(file);
    try {
      const kind = sniffAo3Download(file.name, file.bytes);
      if (!kind) throw new Ao3FormatError('not an AO3 download (no AO3 meta block found)');
      const work = kind === 'epub' ? await parseAo3Epub(file.bytes) : parseAo3HtmlBytes(file.bytes);
      const outcome = await importWork(db, importer, work);
      const entry = { label: file.label, workId: outcome.workId, title: work.title };
      (outcome.status === 'imported' ? report.imported : report.duplicates).push(entry);
    } catch (error) {
      report.failed.push({ label: file.label, reason: failureReason(error) });
    }
  }
  return report;
}

/** Bringing works in through the web is for administrators (the CLI is for whoever runs the archive). */
export function authorizeWebImport(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AuthenticationError('Log in as an administrator to import works.');
  if (!viewer.isAdmin) throw new ForbiddenError('Only administrators can import works.');
  return viewer;
}
