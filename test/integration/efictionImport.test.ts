import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { type EfictionArchive, readEfictionDatabase } from '../../src/importers/efiction/efictionArchive.ts';
import { mapEfictionArchive, mapEfictionRating } from '../../src/importers/efiction/mapEfiction.ts';
import { importEfictionPlan } from '../../src/services/efictionImport.ts';
import { LEGACY_MD5_PREFIX, registerUser } from '../../src/services/users.ts';
import { createWork } from '../../src/services/works.ts';
import { quire } from '../support/quireCommand.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// The eFiction side is always MariaDB at 127.0.0.1:3306 (root, no password): each run creates its own
// database for the "live" archive and drops it afterwards. The Quire side is the usual test archive.

const mysqlServer = process.env.QUIRE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const sourceUrl = 'https://old-archive.example.org';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

const passwords = { wren: 'tidewater-lamp', quill: 'inkwell-morning', tern: 'gull-and-tern' };

// An original little archive: two fandoms (one a subcategory), three members, a guest reviewer.
// Stories carry Unix timestamps; members and reviews DATETIME, as mixed archives do.
const storiesBase = 1_262_304_000; // 2010-01-01T00:00:00Z

/** The archive's own table definitions (eFiction 3.5 with Unix-time story dates). */
const liveSchema = `
CREATE TABLE fanfiction_authors (
  uid int(11) NOT NULL AUTO_INCREMENT, penname varchar(200) NOT NULL DEFAULT '',
  realname varchar(200) NOT NULL DEFAULT '', email varchar(200) NOT NULL DEFAULT '',
  website varchar(200) NOT NULL DEFAULT '', bio text, image varchar(200) NOT NULL DEFAULT '',
  date datetime NOT NULL DEFAULT '2000-01-01 00:00:00', admincreated char(1) NOT NULL DEFAULT '0',
  password varchar(40) NOT NULL DEFAULT '0', PRIMARY KEY (uid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_authorprefs (uid int(11) NOT NULL, level tinyint(1) NOT NULL DEFAULT '0', PRIMARY KEY (uid));
CREATE TABLE fanfiction_stories (
  sid int(11) NOT NULL AUTO_INCREMENT, title varchar(200) NOT NULL DEFAULT '', summary text, storynotes text,
  catid varchar(100) NOT NULL DEFAULT '0', classes varchar(200) DEFAULT NULL,
  charid varchar(250) NOT NULL DEFAULT '0', rid varchar(25) NOT NULL DEFAULT '0',
  date int(10) unsigned NOT NULL DEFAULT '0', updated int(10) unsigned NOT NULL DEFAULT '0',
  uid int(11) NOT NULL DEFAULT '0', coauthors varchar(200) DEFAULT NULL, featured char(1) NOT NULL DEFAULT '0',
  validated char(1) NOT NULL DEFAULT '0', completed char(1) NOT NULL DEFAULT '0', rr char(1) NOT NULL DEFAULT '0',
  wordcount int(11) NOT NULL DEFAULT '0', rating tinyint(4) NOT NULL DEFAULT '0',
  reviews smallint(6) NOT NULL DEFAULT '0', count int(11) NOT NULL DEFAULT '0',
  challenges varchar(200) NOT NULL DEFAULT '0', PRIMARY KEY (sid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_chapters (
  chapid int(11) NOT NULL AUTO_INCREMENT, title varchar(250) NOT NULL DEFAULT '',
  inorder int(11) NOT NULL DEFAULT '0', notes text NOT NULL, storytext text, endnotes text,
  validated char(1) NOT NULL DEFAULT '0', wordcount int(11) NOT NULL DEFAULT '0',
  rating tinyint(4) NOT NULL DEFAULT '0', reviews smallint(6) NOT NULL DEFAULT '0',
  sid int(11) NOT NULL DEFAULT '0', uid int(11) NOT NULL DEFAULT '0', count int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (chapid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_categories (
  catid int(11) NOT NULL AUTO_INCREMENT, parentcatid int(11) NOT NULL DEFAULT '-1',
  category varchar(60) NOT NULL DEFAULT '', description text NOT NULL, image varchar(100) NOT NULL DEFAULT '',
  locked char(1) NOT NULL DEFAULT '0', leveldown tinyint(4) NOT NULL DEFAULT '0',
  displayorder int(11) NOT NULL DEFAULT '0', numitems int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (catid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_characters (
  charid int(11) NOT NULL AUTO_INCREMENT, catid int(11) NOT NULL DEFAULT '0',
  charname varchar(60) NOT NULL DEFAULT '', bio text NOT NULL, image varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (charid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_classes (
  class_id int(11) NOT NULL AUTO_INCREMENT, class_type int(11) NOT NULL DEFAULT '0',
  class_name varchar(100) NOT NULL DEFAULT '', PRIMARY KEY (class_id)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_classtypes (
  classtype_id int(11) NOT NULL AUTO_INCREMENT, classtype_name varchar(50) NOT NULL DEFAULT '',
  classtype_title varchar(50) NOT NULL DEFAULT '', PRIMARY KEY (classtype_id)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_coauthors (sid int(11) NOT NULL DEFAULT '0', uid int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (sid, uid));
CREATE TABLE fanfiction_ratings (
  rid int(11) NOT NULL AUTO_INCREMENT, rating varchar(60) NOT NULL DEFAULT '',
  ratingwarning char(1) NOT NULL DEFAULT '0', warningtext text NOT NULL, PRIMARY KEY (rid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_series (
  seriesid int(11) NOT NULL AUTO_INCREMENT, title varchar(200) NOT NULL DEFAULT '', summary text,
  uid int(11) NOT NULL DEFAULT '0', isopen tinyint(4) NOT NULL DEFAULT '0', catid varchar(200) NOT NULL DEFAULT '0',
  classes varchar(200) DEFAULT NULL, rating tinyint(4) NOT NULL DEFAULT '0',
  warnings varchar(250) NOT NULL DEFAULT '', genres varchar(250) NOT NULL DEFAULT '',
  characters varchar(250) NOT NULL DEFAULT '', reviews smallint(6) NOT NULL DEFAULT '0',
  challenges varchar(200) NOT NULL DEFAULT '', numstories int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (seriesid)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE fanfiction_inseries (
  seriesid int(11) NOT NULL DEFAULT '0', sid int(11) NOT NULL DEFAULT '0', subseriesid int(11) NOT NULL DEFAULT '0',
  confirmed int(11) NOT NULL DEFAULT '0', inorder int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (sid, seriesid, subseriesid));
CREATE TABLE fanfiction_reviews (
  reviewid int(11) NOT NULL AUTO_INCREMENT, item int(11) NOT NULL DEFAULT '0', chapid int(11) NOT NULL DEFAULT '0',
  reviewer varchar(60) NOT NULL DEFAULT '0', uid int(11) NOT NULL DEFAULT '0', review text NOT NULL,
  date datetime NOT NULL DEFAULT '2000-01-01 00:00:00', rating int(11) NOT NULL DEFAULT '0',
  respond char(1) NOT NULL DEFAULT '0', type varchar(2) NOT NULL DEFAULT 'ST',
  PRIMARY KEY (reviewid)) DEFAULT CHARSET=utf8mb4;
`;

/**
 * The archive's rows as an admin's backup holds them: mysqldump-style INSERTs without column names and
 * without CREATE TABLE, including a table Quire does not read.
 */
const dumpRows = `
/*!40101 SET NAMES utf8mb4 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;

LOCK TABLES \`fanfiction_authors\` WRITE;
INSERT INTO \`fanfiction_authors\` VALUES (1,'Wren Ashdown','W. Ashdown','wren@example.org','','Keeps a lamp lit.','','2008-03-01 10:00:00','0','${md5(passwords.wren)}'),(2,'quillfeather','','Quill@Example.org','','','','2008-04-02 11:30:00','0','${md5(passwords.quill)}'),(3,'Ö-Tern!!','','tern@example.org','','','','2009-01-15 08:00:00','0','${md5(passwords.tern)}');
UNLOCK TABLES;
LOCK TABLES \`fanfiction_authorprefs\` WRITE;
INSERT INTO \`fanfiction_authorprefs\` VALUES (1,1),(2,0),(3,0);
UNLOCK TABLES;
LOCK TABLES \`fanfiction_categories\` WRITE;
INSERT INTO \`fanfiction_categories\` VALUES (1,-1,'The Lighthouse Keepers','A television drama about a remote light.','','0',0,1,3),(2,-1,'Books','','','1',0,2,0),(3,2,'Moonfall Academy','The boarding-school novels.','','0',1,1,2);
UNLOCK TABLES;
LOCK TABLES \`fanfiction_characters\` WRITE;
INSERT INTO \`fanfiction_characters\` VALUES (1,1,'Keeper Odile','',''),(2,1,'Captain Brann','',''),(3,3,'Professor Ives','',''),(4,3,'Sela Marr','','');
UNLOCK TABLES;
LOCK TABLES \`fanfiction_classtypes\` WRITE;
INSERT INTO \`fanfiction_classtypes\` VALUES (1,'genres','Genres'),(2,'warnings','Warnings');
UNLOCK TABLES;
LOCK TABLES \`fanfiction_classes\` WRITE;
INSERT INTO \`fanfiction_classes\` VALUES (1,1,'Angst'),(2,1,'Hurt/Comfort'),(3,1,'Humor'),(4,2,'Character Death'),(5,2,'Mild Language'),(6,1,'Gen');
UNLOCK TABLES;
LOCK TABLES \`fanfiction_ratings\` WRITE;
INSERT INTO \`fanfiction_ratings\` VALUES (1,'G','0',''),(2,'PG-13','0',''),(3,'NC-17','1','Adults only.'),(4,'Spicy','0','');
UNLOCK TABLES;
LOCK TABLES \`fanfiction_stories\` WRITE;
INSERT INTO \`fanfiction_stories\` VALUES (1,'Foghorn Sonata','Odile counts the ships that do not come back. <i>One</i> of them does.','For the Lighthouse Keepers winter exchange.\\n\\nThanks to my beta &amp; friend.','1','1,4','1,2','2',${storiesBase},${storiesBase + 31 * 86400},1,'0','0','1','1','0',60,0,2,412,'0'),(2,'The Keeper&#039;s Ledger','A year of entries, mostly about fog.','','1','3,6','1','1',${storiesBase + 90 * 86400},${storiesBase + 90 * 86400},1,'0','0','1','0','0',9,0,0,57,'0'),(3,'Salt on the Stairs','Two keepers, one broom.','','1','2,5','2','4',${storiesBase + 150 * 86400},${storiesBase + 160 * 86400},1,'1','0','1','1','0',12,0,0,31,'0'),(4,'Detention at Moonrise','Sela is kept late; Professor Ives is kept later.','','3','2,5','3,4','3',${storiesBase + 200 * 86400},${storiesBase + 200 * 86400},3,'0','0','0','0','0',8,0,0,0,'0'),(5,'','A story whose title was lost.','','3','','','1',${storiesBase + 210 * 86400},${storiesBase + 210 * 86400},2,'0','0','1','1','0',2,0,0,0,'0');
UNLOCK TABLES;
LOCK TABLES \`fanfiction_chapters\` WRITE;
INSERT INTO \`fanfiction_chapters\` VALUES (1,'The Second Night',2,'','<p>Brann&#39;s ship came in at dawn.</p>\\n<p>She <b>did not</b> wave.</p><script>alert(1)</script>','The end, for now.','1',13,0,0,1,1,200),(2,'The First Night',1,'Written in one sitting.','The lamp went dark at nine.\\n\\nOdile climbed the stairs anyway, counting each one.','','1',15,0,1,1,1,212),(3,'Entries',1,'','Day one: fog.\\nDay two: more fog.','','1',7,0,0,2,1,57),(4,'Salt',1,'','','','1',12,0,0,3,1,31),(5,'Moonrise',1,'','The clock in the east tower struck eleven, then thirteen.','','0',9,0,0,4,3,0),(6,'Untitled',1,'','Orphaned words.','','1',2,0,0,5,2,0);
UNLOCK TABLES;
LOCK TABLES \`fanfiction_coauthors\` WRITE;
INSERT INTO \`fanfiction_coauthors\` VALUES (3,2);
UNLOCK TABLES;
LOCK TABLES \`fanfiction_series\` WRITE;
INSERT INTO \`fanfiction_series\` VALUES (1,'Tides','Two stories from the <b>lighthouse</b>.',1,0,'1','',0,'','','',1,'',2);
UNLOCK TABLES;
LOCK TABLES \`fanfiction_inseries\` WRITE;
INSERT INTO \`fanfiction_inseries\` VALUES (1,2,0,1,1),(1,3,0,1,2);
UNLOCK TABLES;
LOCK TABLES \`fanfiction_reviews\` WRITE;
INSERT INTO \`fanfiction_reviews\` VALUES (1,1,2,'Lantern Reader',0,'I counted the stairs with her.<br />Lovely.','2010-01-05 12:00:00',5,'0','ST'),(2,1,0,'quillfeather',2,'The ending <b>wrecked</b> me.<img src=x onerror=alert(1)>','2010-02-03 04:05:06',5,'0','ST'),(3,1,0,'Lantern Reader',0,'A fine pair of stories.','2010-07-01 09:00:00',0,'0','SE'),(4,5,6,'Lantern Reader',0,'Where did the title go?','2010-08-01 09:00:00',0,'0','ST');
UNLOCK TABLES;
`;

const chapterFileText = Buffer.from(
  'Salt crusted every step of the caf\xe9 stairs.\n\nThey swept it together, saying nothing.',
  'latin1',
);

async function tableCounts(archive: TestArchive): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'users',
    'pseuds',
    'works',
    'work_creators',
    'chapters',
    'tags',
    'work_tags',
    'series',
    'series_works',
    'comments',
  ] as const) {
    const row = await archive.archive.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.total);
  }
  return counts;
}

async function workIdByTitle(archive: TestArchive, title: string): Promise<number> {
  const row = await archive.archive.db
    .selectFrom('works')
    .select('id')
    .where('title', '=', title)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function apiWork(archive: TestArchive, id: number, token?: string) {
  const response = await archive.app.inject({
    method: 'GET',
    url: `/api/v1/works/${id}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.statusCode, body: response.json() };
}

async function login(archive: TestArchive, username: string, password: string) {
  const response = await archive.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { username, password },
  });
  return { status: response.statusCode, token: response.statusCode === 201 ? response.json().token : '' };
}

/** The works of the sample archive as they should land, whichever way they were read. */
async function checkImportedArchive(archive: TestArchive, expectedSource: string | null): Promise<void> {
  const db = archive.archive.db;
  const users = await db
    .selectFrom('users')
    .select(['username', 'email', 'password_hash'])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    users.map((user) => user.username),
    ['Wren_Ashdown', 'quillfeather', 'O_Tern'],
  );
  assert.equal(users[0].password_hash, `${LEGACY_MD5_PREFIX}${md5(passwords.wren)}`);
  const pseuds = await db.selectFrom('pseuds').select(['name', 'is_default']).orderBy('id').execute();
  assert.deepEqual(
    pseuds.map((pseud) => pseud.name),
    ['Wren Ashdown', 'quillfeather', 'Ö-Tern!!'],
  );

  // A posted, two-chapter, complete story with both kinds of class.
  const foghornId = await workIdByTitle(archive, 'Foghorn Sonata');
  const foghorn = (await apiWork(archive, foghornId)).body;
  assert.equal(foghorn.rating, 'Teen And Up Audiences');
  assert.deepEqual(foghorn.warnings, ['Major Character Death']);
  assert.deepEqual(foghorn.fandoms, ['The Lighthouse Keepers']);
  assert.deepEqual(foghorn.characters, ['Keeper Odile', 'Captain Brann']);
  assert.deepEqual(foghorn.freeforms, ['Angst', 'Character Death']);
  assert.deepEqual(foghorn.categories, []);
  assert.equal(foghorn.complete, true);
  assert.equal(foghorn.draft, false);
  assert.deepEqual(foghorn.creators, ['Wren Ashdown']);
  assert.equal(foghorn.published_at, '2010-01-01T00:00:00.000Z');
  assert.equal(foghorn.updated_at, '2010-02-01T00:00:00.000Z');
  assert.equal(foghorn.hits, 412);
  assert.equal(foghorn.comments_count, 2);
  assert.equal(foghorn.imported_from, expectedSource ? `${expectedSource}/viewstory.php?sid=1` : null);
  assert.match(foghorn.summary, /<i>One<\/i> of them does\./);
  assert.match(foghorn.notes, /<p>For the Lighthouse Keepers winter exchange\.<\/p>/);
  assert.match(foghorn.notes, /Thanks to my beta &amp; friend\./);
  assert.deepEqual(
    foghorn.chapters.map((chapter: { title: string }) => chapter.title),
    ['The First Night', 'The Second Night'],
  );
  const [firstChapter, secondChapter] = foghorn.chapters as { id: number }[];
  const first = (
    await archive.app.inject({ method: 'GET', url: `/api/v1/works/${foghornId}/chapters/${firstChapter.id}` })
  ).json();
  assert.match(first.body, /<p>The lamp went dark at nine\.<\/p>/);
  assert.match(first.notes, /Written in one sitting\./);
  const second = (
    await archive.app.inject({
      method: 'GET',
      url: `/api/v1/works/${foghornId}/chapters/${secondChapter.id}`,
    })
  ).json();
  assert.match(second.body, /Brann's ship came in at dawn\./);
  assert.doesNotMatch(second.body, /script|alert/);
  assert.match(second.end_notes, /The end, for now\./);

  // Reviews: a guest's on the first chapter, a member's on the story; the series review and the review
  // of the story that was skipped stay out.
  const comments = await db
    .selectFrom('comments')
    .selectAll()
    .where('work_id', '=', foghornId)
    .orderBy('created_at')
    .execute();
  assert.equal(comments.length, 2);
  assert.equal(comments[0].guest_name, 'Lantern Reader');
  assert.equal(comments[0].user_id, null);
  assert.equal(comments[0].chapter_id, firstChapter.id);
  assert.equal(comments[0].status, 'visible');
  assert.equal(comments[0].created_at, '2010-01-05T12:00:00.000Z');
  assert.match(comments[0].body, /I counted the stairs with her\.<br \/>Lovely\./);
  const quill = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'quillfeather')
    .executeTakeFirstOrThrow();
  assert.equal(comments[1].user_id, quill.id);
  assert.ok(comments[1].pseud_id);
  assert.equal(comments[1].guest_name, null);
  assert.equal(comments[1].chapter_id, null);
  assert.equal(comments[1].created_at, '2010-02-03T04:05:06.000Z');
  assert.match(comments[1].body, /The ending <b>wrecked<\/b> me\./);
  assert.doesNotMatch(comments[1].body, /onerror/);
  const allComments = await db.selectFrom('comments').select('id').execute();
  assert.equal(allComments.length, 2);

  // Part 1 of the series: a genre class that names an AO3 category, a G rating, in progress.
  const ledgerId = await workIdByTitle(archive, "The Keeper's Ledger");
  const ledger = (await apiWork(archive, ledgerId)).body;
  assert.equal(ledger.rating, 'General Audiences');
  assert.deepEqual(ledger.categories, ['Gen']);
  assert.deepEqual(ledger.freeforms, ['Humor']);
  assert.deepEqual(ledger.warnings, ['Creator Chose Not To Use Archive Warnings']);
  assert.equal(ledger.complete, false);
  assert.equal(ledger.expected_chapters, null);

  // Part 2: co-authored, unmappable rating, chapter text from a Windows-1252 file.
  const saltId = await workIdByTitle(archive, 'Salt on the Stairs');
  const salt = (await apiWork(archive, saltId)).body;
  assert.equal(salt.rating, 'Not Rated');
  assert.deepEqual(salt.creators, ['Wren Ashdown', 'quillfeather']);
  assert.deepEqual(salt.freeforms, ['Hurt/Comfort', 'Mild Language']);
  assert.deepEqual(salt.warnings, ['Creator Chose Not To Use Archive Warnings']);
  assert.equal(salt.published_at, new Date((storiesBase + 150 * 86400) * 1000).toISOString());
  assert.equal(salt.updated_at, new Date((storiesBase + 160 * 86400) * 1000).toISOString());
  const saltChapter = (
    await archive.app.inject({
      method: 'GET',
      url: `/api/v1/works/${saltId}/chapters/${salt.chapters[0].id}`,
    })
  ).json();
  assert.match(saltChapter.body, /<p>Salt crusted every step of the café stairs\.<\/p>/);
  const page = await archive.app.inject({ method: 'GET', url: `/works/${saltId}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Part 2 of <a href="\/series\/\d+">Tides<\/a>/);
  const ledgerPage = await archive.app.inject({ method: 'GET', url: `/works/${ledgerId}` });
  assert.match(ledgerPage.body, /Part 1 of <a href="\/series\/\d+">Tides<\/a>/);
  const series = await db.selectFrom('series').selectAll().execute();
  assert.equal(series.length, 1);
  assert.match(series[0].summary, /<b>lighthouse<\/b>/);

  // The unvalidated story is its author's draft: invisible to others.
  const draftId = await workIdByTitle(archive, 'Detention at Moonrise');
  assert.equal((await apiWork(archive, draftId)).status, 404);
  const draftRow = await db
    .selectFrom('works')
    .select(['draft', 'published_at'])
    .where('id', '=', draftId)
    .executeTakeFirstOrThrow();
  assert.equal(draftRow.draft, 1);
  assert.equal(draftRow.published_at, null);

  // The story without a title was skipped, the rest went on.
  const works = await db.selectFrom('works').select('title').execute();
  assert.equal(works.length, 4);
}

describe(`quire import efiction (${testDialect})`, () => {
  let archive: TestArchive;
  let admin: mysql.Connection;
  let liveDatabase: string;
  let folder: string;
  let storiesDir: string;
  let dumpFile: string;

  before(async () => {
    archive = await startTestArchive();
    liveDatabase = `quire_test_efiction_${randomBytes(5).toString('hex')}`;
    admin = await mysql.createConnection({
      uri: mysqlServer,
      multipleStatements: true,
    });
    await admin.query(`CREATE DATABASE \`${liveDatabase}\` CHARACTER SET utf8mb4`);
    await admin.query(`USE \`${liveDatabase}\``);
    await admin.query(liveSchema);
    await admin.query(dumpRows);

    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-efiction-'));
    storiesDir = path.join(folder, 'stories');
    fs.mkdirSync(path.join(storiesDir, '1'), { recursive: true });
    fs.writeFileSync(path.join(storiesDir, '1', '4.txt'), chapterFileText);
    dumpFile = path.join(folder, 'efiction-backup.sql');
    // The backup names the database it came from; the import must not follow it there.
    fs.writeFileSync(dumpFile, `-- eFiction backup\nUSE \`old_archive\`;\n${dumpRows}`);
  });

  after(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS \`${liveDatabase}\``);
    await admin?.end();
    await archive?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('imports a live eFiction database: members, works, chapters, series and comments', async () => {
    const result = await quire(
      archive,
      'import',
      'efiction',
      '--mysql-url',
      `mysql://root@127.0.0.1:3306/${liveDatabase}`,
      '--stories-dir',
      storiesDir,
      '--source-url',
      `${sourceUrl}/`,
    );
    // The story without a title is reported and makes the exit status 1; the others are imported.
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /Users: 3 created, 0 matched/);
    assert.match(
      result.stdout,
      /Works: 4 imported \(1 as a draft[^)]*\), 0 skipped as already imported, 1 failed/,
    );
    assert.match(result.stdout, /1 series review\(s\): Quire has comments on works, not on series/);
    assert.match(result.stdout, /1 review\(s\): their stories are not imported/);
    assert.match(result.stdout, /story 5 “\(no title\)”: it has no title/);
    assert.match(result.stdout, /Comments: 2 imported/);
    assert.match(result.stdout, /Series: 1 created, 2 parts placed/);
    assert.match(result.stdout, /Ratings not mapped[^\n]*\n\s+Spicy \(1 story\)/);
    assert.match(result.stdout, /Warning classes not mapped[^\n]*\n\s+Mild Language \(2 stories\)/);
    assert.match(result.stdout, /Character Death → Major Character Death/);
    assert.match(result.stdout, /“Ö-Tern!!” → O_Tern/);
    await checkImportedArchive(archive, sourceUrl);
  });

  it('lets an imported member log in with the old password: once by MD5, then by argon2', async () => {
    const db = archive.archive.db;
    const hashOf = async () =>
      (
        await db
          .selectFrom('users')
          .select('password_hash')
          .where('username', '=', 'Wren_Ashdown')
          .executeTakeFirstOrThrow()
      ).password_hash;
    assert.ok((await hashOf()).startsWith(LEGACY_MD5_PREFIX));
    assert.equal((await login(archive, 'Wren_Ashdown', 'not the password')).status, 401);
    assert.ok((await hashOf()).startsWith(LEGACY_MD5_PREFIX), 'a wrong password changes nothing');
    assert.equal((await login(archive, 'wren@example.org', passwords.wren)).status, 201);
    const upgraded = await hashOf();
    assert.ok(upgraded.startsWith('$argon2id$'), upgraded);
    assert.equal((await login(archive, 'Wren_Ashdown', passwords.wren)).status, 201);
    assert.equal(await hashOf(), upgraded, 'the argon2 hash stays once set');
    assert.equal((await login(archive, 'Wren_Ashdown', 'not the password')).status, 401);

    // The draft's author sees it, with its mapped tags.
    const tern = await login(archive, 'O_Tern', passwords.tern);
    assert.equal(tern.status, 201);
    const draft = await apiWork(archive, await workIdByTitle(archive, 'Detention at Moonrise'), tern.token);
    assert.equal(draft.status, 200);
    assert.equal(draft.body.rating, 'Explicit');
    assert.equal(draft.body.draft, true);
    assert.deepEqual(draft.body.fandoms, ['Moonfall Academy']);
    assert.deepEqual(draft.body.characters, ['Professor Ives', 'Sela Marr']);
  });

  it('changes nothing when run again', async () => {
    const before = await tableCounts(archive);
    const result = await quire(
      archive,
      'import',
      'efiction',
      '--mysql-url',
      `mysql://root@127.0.0.1:3306/${liveDatabase}`,
      '--stories-dir',
      storiesDir,
      '--source-url',
      sourceUrl,
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /Users: 0 created, 3 matched/);
    assert.match(result.stdout, /Works: 0 imported, 4 skipped as already imported, 1 failed/);
    assert.match(result.stdout, /Comments: 0 imported/);
    assert.deepEqual(await tableCounts(archive), before);
    const foghorn = (await apiWork(archive, await workIdByTitle(archive, 'Foghorn Sonata'))).body;
    assert.equal(foghorn.comments_count, 2);
  });

  it('imports an admin backup holding only INSERT statements, through a scratch database', async () => {
    const fresh = await startTestArchive();
    try {
      const result = await quire(
        fresh,
        'import',
        'efiction',
        '--dump',
        dumpFile,
        '--stories-dir',
        storiesDir,
      );
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stdout, /Works: 4 imported/);
      assert.match(result.stdout, /Skipped statements for table fanfiction_authorprefs/);
      await checkImportedArchive(fresh, null);

      // Without a source URL, works are recognised by title and author on the next run.
      const before = await tableCounts(fresh);
      const again = await quire(fresh, 'import', 'efiction', '--dump', dumpFile, '--stories-dir', storiesDir);
      assert.equal(again.status, 1, again.stderr);
      assert.match(again.stdout, /Works: 0 imported, 4 skipped as already imported/);
      assert.deepEqual(await tableCounts(fresh), before);
    } finally {
      await fresh.close();
    }
  });

  it('reports a story that cannot be written and goes on with the rest', async () => {
    const fresh = await startTestArchive();
    const connection = await mysql.createConnection({
      uri: `${mysqlServer.replace(/\/$/, '')}/${liveDatabase}`,
    });
    try {
      const read = await readEfictionDatabase(connection, { tablePrefix: 'fanfiction_', storiesDir });
      const plan = mapEfictionArchive(read);
      // A summary over Quire's limit slipped past the mapping: createWork refuses that story.
      const broken = plan.works.find((work) => work.fields.title === "The Keeper's Ledger");
      assert.ok(broken);
      broken.fields.summary = 'fog '.repeat(400);
      const summary = await importEfictionPlan(fresh.archive.db, plan);
      assert.equal(summary.works.failed.length, 1);
      assert.equal(summary.works.failed[0].sid, 2);
      assert.match(summary.works.failed[0].reason, /summary/i);
      assert.equal(summary.works.imported.length, 3);
      // The series still gets its other part, numbered as on the old archive.
      const salt = await fresh.archive.db
        .selectFrom('series_works')
        .select('position')
        .executeTakeFirstOrThrow();
      assert.equal(salt.position, 2);
    } finally {
      await connection.end();
      await fresh.close();
    }
  });

  it('joins members to accounts already here by email, and keeps names unique', async () => {
    const fresh = await startTestArchive();
    const connection = await mysql.createConnection({
      uri: `${mysqlServer.replace(/\/$/, '')}/${liveDatabase}`,
    });
    try {
      const db = fresh.archive.db;
      // Wren already has an account under another name; someone else already calls themself quillfeather.
      const wren = await registerUser(
        db,
        { username: 'lamplighter', email: 'WREN@example.org', password: 'a long enough password' },
        { mode: 'open' },
      );
      const other = await registerUser(
        db,
        { username: 'QuillFeather', email: 'someone.else@example.org', password: 'a long enough password' },
        { mode: 'open' },
      );
      // …and "Keeper Odile" is already an additional tag here.
      await createWork(
        db,
        { id: other.id, username: other.username, isAdmin: false },
        {
          title: 'Unrelated',
          rating: 'General Audiences',
          warnings: ['No Archive Warnings Apply'],
          fandoms: ['Original Work'],
          freeforms: ['Keeper Odile'],
        },
        [{ body: 'Some text.' }],
      );
      const plan = mapEfictionArchive(
        await readEfictionDatabase(connection, { tablePrefix: 'fanfiction_', storiesDir }),
      );
      const summary = await importEfictionPlan(db, plan);
      assert.deepEqual(summary.users.matched, ['lamplighter']);
      assert.deepEqual(summary.users.created, ['quillfeather_2', 'O_Tern']);
      assert.deepEqual(summary.users.renamed, [{ from: 'quillfeather', to: 'quillfeather_2' }]);
      assert.equal(summary.works.imported.length, 4);

      const foghorn = (await apiWork(fresh, await workIdByTitle(fresh, 'Foghorn Sonata'))).body;
      assert.deepEqual(foghorn.creators, ['Wren Ashdown']);
      assert.deepEqual(foghorn.characters, ['Keeper Odile (The Lighthouse Keepers)', 'Captain Brann']);
      assert.ok(summary.renamedTags.some((entry) => entry.from === 'Keeper Odile'));
      const credit = await db
        .selectFrom('work_creators')
        .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
        .select(['pseuds.user_id', 'pseuds.name', 'pseuds.is_default'])
        .where('work_creators.work_id', '=', foghorn.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(credit, { user_id: wren.id, name: 'Wren Ashdown', is_default: 0 });
      const wrenAccount = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', wren.id)
        .executeTakeFirstOrThrow();
      assert.ok(wrenAccount.password_hash.startsWith('$argon2id$'), 'an existing account keeps its password');
    } finally {
      await connection.end();
      await fresh.close();
    }
  });

  it('maps ratings by name and skips stories it cannot import, saying why', () => {
    assert.equal(mapEfictionRating('K+'), 'Teen And Up Audiences');
    assert.equal(mapEfictionRating('All Ages'), 'General Audiences');
    assert.equal(mapEfictionRating('R (violence)'), 'Mature');
    assert.equal(mapEfictionRating('MA'), 'Explicit');
    assert.equal(mapEfictionRating('Spicy'), null);

    const archiveWithoutChapters: EfictionArchive = {
      database: 'sample',
      tablePrefix: 'fanfiction_',
      authors: [
        {
          uid: 7,
          penname: 'Li',
          realname: '',
          email: '',
          website: '',
          bio: '',
          image: '',
          date: null,
          admincreated: false,
          password: '',
        },
      ],
      stories: [
        {
          sid: 9,
          title: 'Empty Shelf',
          summary: '',
          storynotes: '',
          catids: [],
          classIds: [],
          charids: [],
          rid: '0',
          date: null,
          updated: null,
          uid: 7,
          coauthorUids: [],
          featured: false,
          validated: true,
          completed: false,
          rr: false,
          wordcount: 0,
          reviews: 0,
          count: 0,
        },
      ],
      chapters: [],
      categories: [],
      characters: [],
      classes: [],
      ratings: [],
      series: [],
      reviews: [],
      notices: [],
    };
    const plan = mapEfictionArchive(archiveWithoutChapters);
    assert.equal(plan.works.length, 0);
    assert.deepEqual(
      plan.report.skipped.map((entry) => [entry.kind, entry.id, entry.reason]),
      [['story', 9, 'it has no chapters']],
    );
    assert.equal(plan.users[0].username, 'Li_7');
    assert.equal(plan.users[0].legacyMd5, null);
    assert.match(plan.users[0].email, /@imported\.invalid$/);
  });

  it('exits with a clear message when the MySQL server or database is wrong', async () => {
    const unreachable = await quire(
      archive,
      'import',
      'efiction',
      '--mysql-url',
      'mysql://root@127.0.0.1:1/efiction',
    );
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /Could not connect to the MySQL server at 127\.0\.0\.1:1/);
    assert.doesNotMatch(unreachable.stderr, /\n\s+at /, 'no stack trace');

    const noDatabase = await quire(
      archive,
      'import',
      'efiction',
      '--mysql-url',
      'mysql://root@127.0.0.1:3306/no_such_efiction_archive',
    );
    assert.equal(noDatabase.status, 1);
    assert.match(noDatabase.stderr, /database "no_such_efiction_archive" does not exist/);

    const wrongPrefix = await quire(
      archive,
      'import',
      'efiction',
      '--mysql-url',
      `mysql://root@127.0.0.1:3306/${liveDatabase}`,
      '--prefix',
      'efic_',
    );
    assert.equal(wrongPrefix.status, 1);
    assert.match(wrongPrefix.stderr, /No eFiction tables in database/);
    assert.match(wrongPrefix.stderr, /prefix "fanfiction_"/);

    const notMysql = await quire(archive, 'import', 'efiction', '--mysql-url', 'postgres://somewhere/db');
    assert.equal(notMysql.status, 1);
    assert.match(notMysql.stderr, /must start with mysql:\/\//);

    const nothing = await quire(archive, 'import', 'efiction');
    assert.equal(nothing.status, 1);
    assert.match(nothing.stderr, /--mysql-url/);
  });
});
