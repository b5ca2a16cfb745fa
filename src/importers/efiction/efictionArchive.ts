// Reads an eFiction 3.x archive out of its MySQL/MariaDB database into plain objects, for
// `quire import efiction`. Also loads admins' .sql backups into a scratch database first.
//
// eFiction versions differ: dates are DATETIME in some archives and Unix integers in others, flags
// are '1'/'Y' or tinyint, co-authors live in a `coauthors` table (3.5) or a comma-separated column
// (earlier 3.x), genres and warnings are "classes" (3.x) or `gid`/`wid` columns with their own tables
// (2.x), and chapter text may live in files (stories/<uid>/<chapid>.txt) instead of the database. The
// reader looks at information_schema and reads whatever of this the archive has.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mysql, { type Connection, type ConnectionOptions, type RowDataPacket } from 'mysql2/promise';
import { normaliseText } from '../../domain/textNormalisation.ts';
import {
  EFICTION_TABLES,
  efictionSchemaSql,
  isValidTablePrefix,
  REQUIRED_EFICTION_TABLES,
} from './efictionSchema.ts';

export interface EfictionAuthor {
  uid: number;
  penname: string;
  realname: string;
  email: string;
  website: string;
  bio: string;
  image: string;
  /** When the member joined (ISO 8601), if the archive recorded it. */
  date: string | null;
  admincreated: boolean;
  /** eFiction's unsalted MD5 hex of the password ('' or junk when the account never had one). */
  password: string;
}

export interface EfictionStory {
  sid: number;
  title: string;
  summary: string;
  storynotes: string;
  catids: number[];
  classIds: number[];
  charids: number[];
  /** The rating id as stored (older archives put the rating's name here instead). */
  rid: string;
  date: string | null;
  updated: string | null;
  /** The main author. */
  uid: number;
  /** Co-authors in the order the archive lists them (never the main author). */
  coauthorUids: number[];
  featured: boolean;
  validated: boolean;
  completed: boolean;
  rr: boolean;
  wordcount: number;
  reviews: number;
  /** Hits. */
  count: number;
}

export interface EfictionChapter {
  chapid: number;
  sid: number;
  uid: number;
  title: string;
  inorder: number;
  notes: string;
  endnotes: string;
  storytext: string;
  /** Where the text came from: the database, a file under the stories folder, or nowhere. */
  textSource: 'database' | 'file' | 'missing';
  validated: boolean;
  wordcount: number;
  count: number;
}

export interface EfictionCategory {
  catid: number;
  parentcatid: number;
  category: string;
  description: string;
  leveldown: number;
  displayorder: number;
}

export interface EfictionCharacter {
  charid: number;
  catid: number;
  charname: string;
}

export interface EfictionClass {
  classId: number;
  classTypeId: number;
  name: string;
  /** The class type's short name and title, e.g. "warnings" / "Warnings"; '' when unknown. */
  typeName: string;
  typeTitle: string;
}

export interface EfictionRating {
  rid: number;
  rating: string;
  ratingwarning: boolean;
  warningtext: string;
}

export interface EfictionSeries {
  seriesid: number;
  title: string;
  summary: string;
  uid: number;
  isopen: boolean;
  /** The stories in the series (sub-series are left out), as stored: sorted by inorder. */
  stories: { sid: number; inorder: number }[];
}

export interface EfictionReview {
  reviewid: number;
  /** A story's sid or a series' seriesid, depending on type. */
  item: number;
  /** 'ST' for a story, 'SE' for a series. */
  type: string;
  /** 0 when the review is on the whole story. */
  chapid: number;
  reviewer: string;
  /** 0 for guests. */
  uid: number;
  review: string;
  date: string | null;
  rating: number;
}

export interface EfictionArchive {
  database: string;
  tablePrefix: string;
  authors: EfictionAuthor[];
  stories: EfictionStory[];
  chapters: EfictionChapter[];
  categories: EfictionCategory[];
  characters: EfictionCharacter[];
  classes: EfictionClass[];
  ratings: EfictionRating[];
  series: EfictionSeries[];
  reviews: EfictionReview[];
  /** What the reader noticed while reading (missing optional tables, chapter files not found, …). */
  notices: string[];
}

/** A problem with the eFiction source (server, database, tables, dump): its message is for the operator. */
export class EfictionSourceError extends Error {}

type Row = Record<string, unknown>;

// --- value normalisation ---------------------------------------------------------------------------

/** Every value read from eFiction's tables, as text the archive keeps (no NUL or other controls, NFC). */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return normaliseText(value.toString('utf8'));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return normaliseText(String(value));
}

function integer(value: unknown, fallback = 0): number {
  const number = typeof value === 'number' ? value : Number.parseInt(text(value).trim(), 10);
  return Number.isFinite(number) ? Math.trunc(number) : fallback;
}

/** eFiction flags: '1', 'Y', 1, 2 are set; '0', 'N', '' and NULL are not. */
function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const normalised = text(value).trim().toLowerCase();
  return !['', '0', 'n', 'no', 'false'].includes(normalised);
}

/**
 * DATETIME strings (taken as UTC, as eFiction wrote server time without a zone), Unix timestamps in
 * seconds (numbers or digit strings) and Date objects all become ISO 8601; zero dates become null.
 */
export function efictionDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const raw = text(value).trim();
  if (raw === '' || /^0+$/.test(raw) || raw.startsWith('0000-00-00')) return null;
  if (/^\d+$/.test(raw)) {
    const seconds = Number(raw);
    // Milliseconds would put the date tens of thousands of years ahead; take them as such.
    const date = new Date(seconds > 100_000_000_000 ? seconds : seconds * 1000);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  const match = raw.match(/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/);
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  if (month === '00' || day === '00') return null;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** "1, 2,3" → [1, 2, 3]: positive whole ids, each once, in order. */
export function idList(value: unknown): number[] {
  const ids: number[] = [];
  for (const part of text(value).split(/[,;\s]+/)) {
    if (!/^\d+$/.test(part)) continue;
    const id = Number(part);
    if (id > 0 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

// --- reading the database ---------------------------------------------------------------------------

interface TableShape {
  /** The table's name as the server spells it. */
  name: string;
  /** Its columns, lower-cased (MySQL compares column names without case). */
  columns: Set<string>;
}

/** Which tables of the prefix exist (keyed by their lower-cased name without prefix), and their columns. */
async function describeTables(connection: Connection, prefix: string): Promise<Map<string, TableShape>> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()`,
  );
  const tables = new Map<string, TableShape>();
  for (const row of rows) {
    const table = text(row.t);
    if (!table.toLowerCase().startsWith(prefix.toLowerCase())) continue;
    const key = table.slice(prefix.length).toLowerCase();
    const shape = tables.get(key) ?? { name: table, columns: new Set<string>() };
    shape.columns.add(text(row.c).toLowerCase());
    tables.set(key, shape);
  }
  return tables;
}

/** Table names in the database that look like eFiction's, for a hint when the prefix is wrong. */
async function likelyPrefixes(connection: Connection): Promise<string[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()`,
  );
  const prefixes = new Set<string>();
  for (const row of rows) {
    const match = text(row.t).match(/^(.*)stories$/i);
    if (match) prefixes.add(match[1]);
  }
  return [...prefixes];
}

/** Decodes chapter files: UTF-8 when valid, otherwise Windows-1252 (what most old archives wrote). */
function decodeChapterFile(bytes: Buffer): string {
  try {
    return normaliseText(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    return normaliseText(new TextDecoder('windows-1252').decode(bytes));
  }
}

async function readChapterFile(storiesDir: string, uids: number[], chapid: number): Promise<string | null> {
  for (const uid of uids) {
    if (uid <= 0) continue;
    const file = path.join(storiesDir, String(uid), `${chapid}.txt`);
    try {
      return decodeChapterFile(await fs.promises.readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return null;
}

/**
 * Reads the eFiction tables behind `tablePrefix` from the connection's current database. Optional
 * tables and columns may be missing; authors, stories and chapters must be there.
 */
export async function readEfictionDatabase(
  connection: Connection,
  options: { tablePrefix: string; storiesDir?: string },
): Promise<EfictionArchive> {
  const prefix = options.tablePrefix;
  if (!isValidTablePrefix(prefix))
    throw new EfictionSourceError(
      `The table prefix "${prefix}" is not valid (letters, digits and underscores only).`,
    );
  const [[current]] = await connection.query<RowDataPacket[]>('SELECT DATABASE() AS name');
  const database = text(current?.name);
  if (!database)
    throw new EfictionSourceError(
      'No database selected: name the eFiction database in the URL (mysql://user:password@host/database).',
    );
  const tables = await describeTables(connection, prefix);
  const missing = REQUIRED_EFICTION_TABLES.filter((table) => !tables.has(table));
  if (missing.length > 0) {
    const others = (await likelyPrefixes(connection)).filter((other) => other !== prefix);
    const hint =
      others.length > 0
        ? ` Tables with ${others.map((other) => `prefix "${other}"`).join(', ')} exist: pass --prefix.`
        : '';
    throw new EfictionSourceError(
      `No eFiction tables in database "${database}": ${missing.map((table) => `${prefix}${table}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.${hint}`,
    );
  }
  const notices: string[] = [];

  /** Reads the wanted columns that exist; a missing table gives null, a missing column undefined. */
  async function select(table: string, wanted: string[], orderBy: string[] = []): Promise<Row[] | null> {
    const shape = tables.get(table);
    if (!shape) return null;
    const columns = shape.columns;
    const present = wanted.filter((column) => columns.has(column));
    if (present.length === 0) return [];
    const order = orderBy.filter((column) => columns.has(column));
    const sql = `SELECT ${present.map((column) => `\`${column}\``).join(', ')} FROM \`${shape.name}\`${
      order.length > 0 ? ` ORDER BY ${order.map((column) => `\`${column}\``).join(', ')}` : ''
    }`;
    // Dates as strings: DATETIME has no zone, and mysql2 would read it in this machine's.
    const [rows] = await connection.query<RowDataPacket[]>({ sql, dateStrings: true });
    return rows as Row[];
  }
  function optional(table: string, rows: Row[] | null): Row[] {
    if (rows === null) notices.push(`The archive has no ${prefix}${table} table; nothing was read from it.`);
    return rows ?? [];
  }

  const authors = (
    (await select(
      'authors',
      ['uid', 'penname', 'realname', 'email', 'website', 'bio', 'image', 'date', 'admincreated', 'password'],
      ['uid'],
    )) ?? []
  ).map(
    (row): EfictionAuthor => ({
      uid: integer(row.uid),
      penname: text(row.penname),
      realname: text(row.realname),
      email: text(row.email).trim(),
      website: text(row.website),
      bio: text(row.bio),
      image: text(row.image),
      date: efictionDate(row.date),
      admincreated: flag(row.admincreated, false),
      password: text(row.password).trim(),
    }),
  );

  const storyColumns = tables.get('stories')?.columns ?? new Set<string>();
  const coauthorTable = tables.has('coauthors') ? ((await select('coauthors', ['sid', 'uid'])) ?? []) : null;
  const coauthorsBySid = new Map<number, number[]>();
  for (const row of coauthorTable ?? []) {
    const list = coauthorsBySid.get(integer(row.sid)) ?? [];
    list.push(integer(row.uid));
    coauthorsBySid.set(integer(row.sid), list);
  }

  // eFiction 2.x kept genres and warnings in their own tables; they become classes of two types here.
  const classes: EfictionClass[] = [];
  const legacyClassOffset = { gid: 1_000_000, wid: 2_000_000 };
  if (tables.has('classes')) {
    const types = new Map<number, { name: string; title: string }>();
    for (const row of optional(
      'classtypes',
      await select('classtypes', ['classtype_id', 'classtype_name', 'classtype_title']),
    )) {
      types.set(integer(row.classtype_id), {
        name: text(row.classtype_name),
        title: text(row.classtype_title),
      });
    }
    for (const row of (await select('classes', ['class_id', 'class_type', 'class_name'], ['class_id'])) ??
      []) {
      const type = types.get(integer(row.class_type));
      classes.push({
        classId: integer(row.class_id),
        classTypeId: integer(row.class_type),
        name: text(row.class_name),
        typeName: type?.name ?? '',
        typeTitle: type?.title ?? '',
      });
    }
  } else if (!storyColumns.has('classes')) {
    for (const [column, table, nameColumn, typeName] of [
      ['gid', 'genres', 'genre', 'genres'],
      ['wid', 'warnings', 'warning', 'warnings'],
    ] as const) {
      if (!storyColumns.has(column)) continue;
      for (const row of optional(table, await select(table, [column, nameColumn]))) {
        classes.push({
          classId: legacyClassOffset[column] + integer(row[column]),
          classTypeId: column === 'gid' ? 1 : 2,
          name: text(row[nameColumn]),
          typeName,
          typeTitle: typeName === 'genres' ? 'Genres' : 'Warnings',
        });
      }
    }
  } else {
    notices.push(`The archive has no ${prefix}classes table; genres and warnings were not read.`);
  }

  const stories = (
    (await select(
      'stories',
      [
        'sid',
        'title',
        'summary',
        'storynotes',
        'catid',
        'classes',
        'gid',
        'wid',
        'charid',
        'rid',
        'date',
        'updated',
        'uid',
        'coauthors',
        'featured',
        'validated',
        'completed',
        'rr',
        'wordcount',
        'reviews',
        'count',
      ],
      ['sid'],
    )) ?? []
  ).map((row): EfictionStory => {
    const sid = integer(row.sid);
    const uid = integer(row.uid);
    const classIds =
      row.classes !== undefined
        ? idList(row.classes)
        : [
            ...idList(row.gid).map((id) => legacyClassOffset.gid + id),
            ...idList(row.wid).map((id) => legacyClassOffset.wid + id),
          ];
    // eFiction 3.5 keeps a flag in stories.coauthors and the people in the coauthors table.
    const coauthors = coauthorTable ? (coauthorsBySid.get(sid) ?? []) : idList(row.coauthors);
    return {
      sid,
      title: text(row.title),
      summary: text(row.summary),
      storynotes: text(row.storynotes),
      catids: idList(row.catid),
      classIds,
      charids: idList(row.charid),
      rid: text(row.rid).trim(),
      date: efictionDate(row.date),
      updated: efictionDate(row.updated),
      uid,
      coauthorUids: [...new Set(coauthors)].filter((id) => id > 0 && id !== uid),
      featured: flag(row.featured, false),
      validated: flag(row.validated, true),
      completed: flag(row.completed, false),
      rr: flag(row.rr, false),
      wordcount: integer(row.wordcount),
      reviews: integer(row.reviews),
      count: integer(row.count),
    };
  });
  const storyAuthor = new Map(stories.map((story) => [story.sid, story.uid]));

  const chapters: EfictionChapter[] = [];
  let chaptersWithoutText = 0;
  for (const row of (await select(
    'chapters',
    [
      'chapid',
      'sid',
      'uid',
      'title',
      'inorder',
      'notes',
      'endnotes',
      'storytext',
      'validated',
      'wordcount',
      'count',
    ],
    ['sid', 'inorder', 'chapid'],
  )) ?? []) {
    const chapter: EfictionChapter = {
      chapid: integer(row.chapid),
      sid: integer(row.sid),
      uid: integer(row.uid),
      title: text(row.title),
      inorder: integer(row.inorder),
      notes: text(row.notes),
      endnotes: text(row.endnotes),
      storytext: text(row.storytext),
      textSource: 'database',
      validated: flag(row.validated, true),
      wordcount: integer(row.wordcount),
      count: integer(row.count),
    };
    if (chapter.storytext.trim() === '') {
      const fromFile = options.storiesDir
        ? await readChapterFile(
            options.storiesDir,
            [chapter.uid, storyAuthor.get(chapter.sid) ?? 0],
            chapter.chapid,
          )
        : null;
      if (fromFile !== null) {
        chapter.storytext = fromFile;
        chapter.textSource = 'file';
      } else {
        chapter.textSource = 'missing';
        chaptersWithoutText++;
      }
    }
    chapters.push(chapter);
  }
  if (chaptersWithoutText > 0) {
    notices.push(
      options.storiesDir
        ? `${chaptersWithoutText} chapter(s) have no text in the database and no file under ${options.storiesDir}/<uid>/<chapid>.txt.`
        : `${chaptersWithoutText} chapter(s) have no text in the database; if the archive stored chapters in files, pass --stories-dir.`,
    );
  }

  const categories = optional(
    'categories',
    await select(
      'categories',
      ['catid', 'parentcatid', 'category', 'description', 'leveldown', 'displayorder'],
      ['catid'],
    ),
  ).map(
    (row): EfictionCategory => ({
      catid: integer(row.catid),
      parentcatid: integer(row.parentcatid, -1),
      category: text(row.category),
      description: text(row.description),
      leveldown: integer(row.leveldown),
      displayorder: integer(row.displayorder),
    }),
  );

  const characters = optional(
    'characters',
    await select('characters', ['charid', 'catid', 'charname'], ['charid']),
  ).map(
    (row): EfictionCharacter => ({
      charid: integer(row.charid),
      catid: integer(row.catid),
      charname: text(row.charname),
    }),
  );

  const ratings = optional(
    'ratings',
    await select('ratings', ['rid', 'rating', 'ratingwarning', 'warningtext'], ['rid']),
  ).map(
    (row): EfictionRating => ({
      rid: integer(row.rid),
      rating: text(row.rating),
      ratingwarning: flag(row.ratingwarning, false),
      warningtext: text(row.warningtext),
    }),
  );

  const partsBySeries = new Map<number, { sid: number; inorder: number }[]>();
  for (const row of optional(
    'inseries',
    await select('inseries', ['seriesid', 'sid', 'subseriesid', 'inorder'], ['seriesid', 'inorder', 'sid']),
  )) {
    const sid = integer(row.sid);
    if (sid <= 0) continue;
    const parts = partsBySeries.get(integer(row.seriesid)) ?? [];
    parts.push({ sid, inorder: integer(row.inorder) });
    partsBySeries.set(integer(row.seriesid), parts);
  }
  const series = optional(
    'series',
    await select('series', ['seriesid', 'title', 'summary', 'uid', 'isopen'], ['seriesid']),
  ).map(
    (row): EfictionSeries => ({
      seriesid: integer(row.seriesid),
      title: text(row.title),
      summary: text(row.summary),
      uid: integer(row.uid),
      isopen: flag(row.isopen, false),
      stories: partsBySeries.get(integer(row.seriesid)) ?? [],
    }),
  );

  const reviews = optional(
    'reviews',
    await select(
      'reviews',
      ['reviewid', 'item', 'type', 'chapid', 'reviewer', 'uid', 'review', 'date', 'rating'],
      ['reviewid'],
    ),
  ).map(
    (row): EfictionReview => ({
      reviewid: integer(row.reviewid),
      item: integer(row.item),
      type: row.type === undefined ? 'ST' : text(row.type).trim().toUpperCase(),
      chapid: integer(row.chapid),
      reviewer: text(row.reviewer),
      uid: integer(row.uid),
      review: text(row.review),
      date: efictionDate(row.date),
      rating: integer(row.rating),
    }),
  );

  return {
    database,
    tablePrefix: prefix,
    authors,
    stories,
    chapters,
    categories,
    characters,
    classes,
    ratings,
    series,
    reviews,
    notices,
  };
}

// --- connecting ---------------------------------------------------------------------------------------

/** mysql://user:password@host:port/database → mysql2 options; the URL's password is never echoed. */
export function mysqlConnectionOptions(mysqlUrl: string): ConnectionOptions & { database?: string } {
  let url: URL;
  try {
    url = new URL(mysqlUrl);
  } catch {
    throw new EfictionSourceError(
      'The MySQL URL is not valid; write it as mysql://user:password@host:3306/database.',
    );
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:')
    throw new EfictionSourceError(
      `The MySQL URL must start with mysql:// (it starts with ${url.protocol}//); write it as mysql://user:password@host:3306/database.`,
    );
  const database = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''));
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database: database || undefined,
    connectTimeout: 10_000,
    charset: 'utf8mb4',
    dateStrings: true,
    supportBigNumbers: true,
  };
}

/** Turns mysql2's connection errors into sentences an operator can act on. */
export function describeMysqlError(error: unknown, options: ConnectionOptions): string {
  const where = `${options.host}:${options.port}`;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `Could not connect to the MySQL server at ${where}: the connection was refused. Is the server running, and is the host and port in the URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Could not connect to the MySQL server: the host "${options.host}" was not found.`;
    case 'ETIMEDOUT':
      return `Could not connect to the MySQL server at ${where}: it did not answer in time.`;
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `The MySQL server at ${where} refused the login for user "${options.user}": check the user and password in the URL.`;
    case 'ER_BAD_DB_ERROR':
      return `The database "${options.database}" does not exist on the MySQL server at ${where}.`;
    default:
      return `MySQL server at ${where}: ${message}`;
  }
}

/** Opens a connection for reading an eFiction archive; failures become EfictionSourceError. */
export async function connectToEfiction(mysqlUrl: string): Promise<Connection> {
  const options = mysqlConnectionOptions(mysqlUrl);
  try {
    return await mysql.createConnection(options);
  } catch (error) {
    throw new EfictionSourceError(describeMysqlError(error, options));
  }
}

// --- loading a dump -----------------------------------------------------------------------------------

const CREATE_TABLE = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w$]+)`?/i;
const CREATE_STORIES = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w$]*?)stories`?[\s(]/i;
const INSERT_INTO_STORIES = /^\s*(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+`?([\w$]*?)stories`?[\s(]/i;
// Statements that would take the load elsewhere (another database) or trip over tables that a
// statement-only backup never created. mysqldump writes each of them on a line of its own.
const DROPPED_LINE =
  /^\s*(?:USE\s+`?[\w$]+`?\s*;|CREATE\s+DATABASE\b[^;]*;|(?:UN)?LOCK\s+TABLES\b[^;]*;)\s*$/;

async function scanDump(dumpPath: string): Promise<{ createdTables: Set<string>; prefix: string | null }> {
  const createdTables = new Set<string>();
  let prefix: string | null = null;
  const lines = readline.createInterface({ input: fs.createReadStream(dumpPath), crlfDelay: Infinity });
  for await (const line of lines) {
    const created = line.match(CREATE_TABLE);
    if (created) createdTables.add(created[1].toLowerCase());
    if (prefix === null) {
      const inserted = line.match(INSERT_INTO_STORIES) ?? line.match(CREATE_STORIES);
      if (inserted) prefix = inserted[1];
    }
  }
  return { createdTables, prefix };
}

const STATEMENT_TABLE =
  /^\s*(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+`?([\w$]+)`?|^\s*(?:CREATE|ALTER|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?`?([\w$]+)`?/i;

/**
 * Drops whole-line statements that must not run in the scratch database, and notes which table each
 * line of the client's input belongs to, so that the client's "ERROR … at line N" can be blamed on one.
 */
class DumpFilter extends Transform {
  private pending = '';
  private line: number;
  /** [first line, table] of each statement that names a table, in input order. */
  readonly statements: [number, string][] = [];

  constructor(firstLine: number) {
    super();
    this.line = firstLine;
  }

  private keep(lines: string[]): Buffer {
    let out = '';
    for (const line of lines) {
      if (DROPPED_LINE.test(line)) continue;
      this.line++;
      const named = line.match(STATEMENT_TABLE);
      if (named) this.statements.push([this.line, (named[1] ?? named[2]).toLowerCase()]);
      out += `${line}\n`;
    }
    // Bytes go through as their latin1 image, so that any encoding passes unchanged.
    return Buffer.from(out, 'latin1');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const lines = (this.pending + chunk.toString('latin1')).split('\n');
    this.pending = lines.pop() ?? '';
    this.push(this.keep(lines));
    callback();
  }

  override _flush(callback: () => void): void {
    if (this.pending !== '') this.push(this.keep([this.pending]));
    callback();
  }

  tableAtLine(line: number): string | null {
    let table: string | null = null;
    for (const [first, name] of this.statements) {
      if (first > line) break;
      table = name;
    }
    return table;
  }
}

function runClient(
  client: string,
  options: ConnectionOptions,
  database: string,
  prelude: string,
  dumpPath: string,
  filter: DumpFilter,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const args = [
      `--host=${options.host}`,
      `--port=${options.port}`,
      `--user=${options.user}`,
      '--default-character-set=utf8mb4',
      '--force',
      '--batch',
      database,
    ];
    const child = spawn(client, args, {
      env: { ...process.env, MYSQL_PWD: options.password ?? '' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 1_000_000) stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stderr }));
    child.stdin.on('error', () => {
      // The client exiting early closes its input; its exit status and stderr tell why.
    });
    child.stdin.write(prelude);
    pipeline(fs.createReadStream(dumpPath), filter, child.stdin).catch(() => {
      // Reported through the client's exit status.
    });
  });
}

/**
 * Creates a scratch database with a random name on the server of `mysqlUrl` and loads the .sql dump
 * into it with the `mariadb` (or `mysql`) command-line client. A backup holding only INSERT statements
 * gets the standard eFiction 3.5 tables created first (those it has no CREATE TABLE for). Statements
 * for tables Quire does not read (settings, blocks, …) may fail without stopping the load; they are
 * listed in `notices`. Errors in the tables Quire reads stop it, with the client's messages.
 */
export async function loadDumpIntoScratchDatabase(
  mysqlUrl: string,
  dumpPath: string,
  loadOptions: { tablePrefix?: string } = {},
): Promise<{ url: string; database: string; tablePrefix: string; notices: string[]; drop(): Promise<void> }> {
  const stat = await fs.promises.stat(dumpPath).catch(() => null);
  if (!stat?.isFile()) throw new EfictionSourceError(`The dump file ${dumpPath} does not exist.`);
  const serverOptions = mysqlConnectionOptions(mysqlUrl);
  delete serverOptions.database;
  const { createdTables, prefix: foundPrefix } = await scanDump(dumpPath);
  const prefix = loadOptions.tablePrefix ?? foundPrefix ?? 'fanfiction_';
  if (!isValidTablePrefix(prefix))
    throw new EfictionSourceError(
      `The table prefix "${prefix}" is not valid (letters, digits and underscores only).`,
    );
  const missingTables = Object.keys(EFICTION_TABLES).filter(
    (table) => !createdTables.has(`${prefix}${table}`.toLowerCase()),
  );

  const database = `quire_efiction_${randomBytes(6).toString('hex')}`;
  let admin: Connection;
  try {
    admin = await mysql.createConnection(serverOptions);
  } catch (error) {
    throw new EfictionSourceError(describeMysqlError(error, serverOptions));
  }
  try {
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  } catch (error) {
    throw new EfictionSourceError(
      `Could not create a scratch database on the MySQL server: ${(error as Error).message}`,
    );
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const dropper = await mysql.createConnection(serverOptions);
    try {
      await dropper.query(`DROP DATABASE IF EXISTS \`${database}\``);
    } finally {
      await dropper.end();
    }
  };

  try {
    const prelude = [
      // Non-strict, as mysqldump's own header sets it: old archives hold '' in numeric columns.
      "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO';",
      efictionSchemaSql(prefix, missingTables),
    ].join('\n');
    let result: { status: number | null; stderr: string } | null = null;
    let filter = new DumpFilter(0);
    for (const client of ['mariadb', 'mysql']) {
      filter = new DumpFilter(prelude.split('\n').length);
      try {
        result = await runClient(client, serverOptions, database, `${prelude}\n`, dumpPath, filter);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (!result)
      throw new EfictionSourceError(
        'Loading a dump needs the `mariadb` or `mysql` command-line client on the PATH (Debian: apt-get install mariadb-client).',
      );
    const notices: string[] = [];
    const problems: string[] = [];
    const knownTables = new Set(
      Object.keys(EFICTION_TABLES).map((table) => `${prefix}${table}`.toLowerCase()),
    );
    for (const line of result.stderr.split('\n')) {
      const error = line.trim();
      // Anything but an error (the client's warnings about itself) is no problem of the dump's.
      if (!/^ERROR \d+/.test(error)) continue;
      const lineNumber = Number(error.match(/ at line (\d+)/)?.[1] ?? Number.NaN);
      const table = Number.isNaN(lineNumber) ? null : filter.tableAtLine(lineNumber);
      if (table !== null && !knownTables.has(table)) {
        notices.push(`Skipped statements for table ${table}, which Quire does not read.`);
      } else {
        problems.push(table ? `${table}: ${error}` : error);
      }
    }
    if (problems.length > 0 || (result.status !== 0 && notices.length === 0)) {
      const shown = problems.slice(0, 5).join('\n  ');
      throw new EfictionSourceError(
        `The dump ${path.basename(dumpPath)} did not load cleanly:\n  ${shown || `the client exited with status ${result.status}`}${problems.length > 5 ? `\n  … and ${problems.length - 5} more` : ''}`,
      );
    }
    const url = new URL(mysqlUrl);
    url.pathname = `/${database}`;
    return { url: url.toString(), database, tablePrefix: prefix, notices: [...new Set(notices)], drop };
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
}
