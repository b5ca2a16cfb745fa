import type { Kysely } from 'kysely';
import type { Database, ImportUploadStatus } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS } from '../domain/vocabulary.ts';
import { LIMITS } from '../domain/workRules.ts';
import { Ao3FormatError, type ImportedWork } from '../formats/ao3Download.ts';
import { readZipEntries, ZipRejectedError } from '../formats/safeZip.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { type DownloadBytes, readAo3Download } from './ao3Reading.ts';
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

/**
 * Imports each AO3 download in turn; one bad file is reported and never stops the others. `readWork` turns
 * a file into a work: in this thread by default, in a reading thread within limits for uploads.
 */
export async function importAo3Files(
  db: Kysely<Database>,
  importer: Viewer,
  files: ImportFile[],
  onFile: (file: ImportFile) => void = () => {},
  readWork: (file: DownloadBytes) => Promise<ImportedWork> = readAo3Download,
): Promise<ImportReport> {
  const report: ImportReport = { imported: [], duplicates: [], failed: [] };
  for (const file of files) {
    onFile(file);
    try {
      const work = await readWork(file);
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

// Uploads through the web are imported by the job queue: the administrator's request only stores the file
// and answers at once, and each file's outcome is kept for them to read.

export const IMPORT_UPLOAD_JOB = 'import-upload';

/** A file an administrator uploaded, and once its job has run, what became of each download in it. */
export interface ImportUpload {
  id: number;
  fileName: string;
  byteSize: number;
  status: ImportUploadStatus;
  createdAt: string;
  finishedAt: string | null;
  report: ImportReport | null;
  /** Why nothing in the file could be imported (status failed). */
  error: string | null;
}

/** What the upload form limits: each file, and how many files one upload may hold. */
export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
}

export const UPLOADS_SHOWN = 20;

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** The name a browser gave the file, without any folders it added, as short as the table keeps. */
function uploadName(name: string): string {
  return (name.split(/[/\\]/).pop() ?? '').trim().slice(0, 255);
}

/** Keeps the uploaded file for its import job, queued in the same transaction. */
export async function queueImportUpload(
  db: Kysely<Database>,
  viewer: Viewer | null,
  file: { name: string; bytes: Buffer },
): Promise<number> {
  const importer = authorizeWebImport(viewer);
  const fileName = uploadName(file.name);
  if (fileName === '') throw new ValidationError('Each uploaded file needs a name.');
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('import_uploads')
      .values({
        user_id: importer.id,
        file_name: fileName,
        byte_size: file.bytes.length,
        content: file.bytes,
        status: 'queued',
        report: null,
        error: null,
        created_at: new Date().toISOString(),
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueJob(trx, IMPORT_UPLOAD_JOB, { uploadId: id });
    return id;
  });
}

/** The administrator's latest uploads, newest first. */
export async function listImportUploads(
  db: Kysely<Database>,
  viewer: Viewer | null,
): Promise<ImportUpload[]> {
  const importer = authorizeWebImport(viewer);
  const rows = await db
    .selectFrom('import_uploads')
    .select(['id', 'file_name', 'byte_size', 'status', 'report', 'error', 'created_at', 'finished_at'])
    .where('user_id', '=', importer.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(UPLOADS_SHOWN)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    fileName: row.file_name,
    byteSize: row.byte_size,
    status: row.status,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    report: row.report === null ? null : (JSON.parse(row.report) as ImportReport),
    error: row.error,
  }));
}

/**
 * The job's work: the uploaded file (or each download in a zip of them) is refused unread when it is over
 * the size limit and otherwise read in a reading thread, then imported as the administrator who sent it.
 * The stored bytes are dropped once the report is written. Runs again harmlessly: a finished upload is
 * left alone, and works imported by an interrupted run come back as already imported.
 */
export async function importQueuedUpload(
  db: Kysely<Database>,
  uploadId: number,
  limits: Pick<UploadLimits, 'maxFileBytes'>,
  readWork: (file: DownloadBytes) => Promise<ImportedWork>,
): Promise<void> {
  const upload = await db
    .selectFrom('import_uploads')
    .innerJoin('users', 'users.id', 'import_uploads.user_id')
    .select([
      'import_uploads.file_name',
      'import_uploads.content',
      'users.id',
      'users.username',
      'users.is_admin',
    ])
    .where('import_uploads.id', '=', uploadId)
    .where('import_uploads.status', '=', 'queued')
    .executeTakeFirst();
  if (!upload?.content) return;
  const importer: Viewer = { id: upload.id, username: upload.username, isAdmin: upload.is_admin === 1 };
  const unpacked = await unpackDownloads({
    label: upload.file_name,
    name: upload.file_name,
    bytes: upload.content,
  });
  const readWithinLimit = async (file: DownloadBytes) => {
    if (file.bytes.length > limits.maxFileBytes)
      throw new ValidationError(
        `it is ${megabytes(file.bytes.length)}, over the ${megabytes(limits.maxFileBytes)} a download may be`,
      );
    return readWork(file);
  };
  const report = await importAo3Files(db, importer, unpacked.files, undefined, readWithinLimit);
  await db
    .updateTable('import_uploads')
    .set({
      status: 'done',
      content: null,
      report: JSON.stringify({ ...report, failed: [...unpacked.unreadable, ...report.failed] }),
      finished_at: new Date().toISOString(),
    })
    .where('id', '=', uploadId)
    .execute();
}

/** Gives up on an upload whose job kept failing: its bytes are dropped and the reason kept. */
export async function failQueuedUpload(
  db: Kysely<Database>,
  uploadId: number,
  reason: string,
): Promise<void> {
  await db
    .updateTable('import_uploads')
    .set({
      status: 'failed',
      content: null,
      error: reason.slice(0, 2000),
      finished_at: new Date().toISOString(),
    })
    .where('id', '=', uploadId)
    .where('status', '=', 'queued')
    .execute();
}
