// The eFiction 3.5 tables Quire reads, for admin backups that hold only INSERT statements. Columns are
// in eFiction 3.5.3's order, because mysqldump's `INSERT INTO t VALUES (...)` names no columns.
//
// Types are deliberately loose: eFiction versions disagree on them (dates are DATETIME in some archives
// and Unix integers in others; flags are char '1'/'Y' or tinyint), and a backup's values must load
// whatever the original column type was. Dates and flags are therefore text here; the reader
// (efictionArchive.ts) normalises both kinds.

/** Table name (without prefix) → column definitions. */
export const EFICTION_TABLES: Record<string, string> = {
  authors: `
  uid int(11) NOT NULL AUTO_INCREMENT,
  penname varchar(200) NOT NULL DEFAULT '',
  realname varchar(200) NOT NULL DEFAULT '',
  email varchar(200) NOT NULL DEFAULT '',
  website varchar(200) NOT NULL DEFAULT '',
  bio text,
  image varchar(200) NOT NULL DEFAULT '',
  date varchar(32) DEFAULT NULL,
  admincreated varchar(10) NOT NULL DEFAULT '0',
  password varchar(64) NOT NULL DEFAULT '0',
  PRIMARY KEY (uid)`,
  stories: `
  sid int(11) NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL DEFAULT '',
  summary text,
  storynotes text,
  catid varchar(100) NOT NULL DEFAULT '0',
  classes varchar(200) DEFAULT NULL,
  charid varchar(250) NOT NULL DEFAULT '0',
  rid varchar(25) NOT NULL DEFAULT '0',
  date varchar(32) DEFAULT NULL,
  updated varchar(32) DEFAULT NULL,
  uid int(11) NOT NULL DEFAULT '0',
  coauthors varchar(200) DEFAULT NULL,
  featured varchar(10) NOT NULL DEFAULT '0',
  validated varchar(10) NOT NULL DEFAULT '0',
  completed varchar(10) NOT NULL DEFAULT '0',
  rr varchar(10) NOT NULL DEFAULT '0',
  wordcount int(11) NOT NULL DEFAULT '0',
  rating varchar(10) NOT NULL DEFAULT '0',
  reviews int(11) NOT NULL DEFAULT '0',
  count int(11) NOT NULL DEFAULT '0',
  challenges varchar(200) NOT NULL DEFAULT '0',
  PRIMARY KEY (sid)`,
  chapters: `
  chapid int(11) NOT NULL AUTO_INCREMENT,
  title varchar(250) NOT NULL DEFAULT '',
  inorder int(11) NOT NULL DEFAULT '0',
  notes text,
  storytext mediumtext,
  endnotes text,
  validated varchar(10) NOT NULL DEFAULT '0',
  wordcount int(11) NOT NULL DEFAULT '0',
  rating varchar(10) NOT NULL DEFAULT '0',
  reviews int(11) NOT NULL DEFAULT '0',
  sid int(11) NOT NULL DEFAULT '0',
  uid int(11) NOT NULL DEFAULT '0',
  count int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (chapid),
  KEY sid (sid)`,
  categories: `
  catid int(11) NOT NULL AUTO_INCREMENT,
  parentcatid int(11) NOT NULL DEFAULT '-1',
  category varchar(200) NOT NULL DEFAULT '',
  description text,
  image varchar(200) NOT NULL DEFAULT '',
  locked varchar(10) NOT NULL DEFAULT '0',
  leveldown int(11) NOT NULL DEFAULT '0',
  displayorder int(11) NOT NULL DEFAULT '0',
  numitems int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (catid)`,
  characters: `
  charid int(11) NOT NULL AUTO_INCREMENT,
  catid int(11) NOT NULL DEFAULT '0',
  charname varchar(200) NOT NULL DEFAULT '',
  bio text,
  image varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (charid)`,
  classes: `
  class_id int(11) NOT NULL AUTO_INCREMENT,
  class_type int(11) NOT NULL DEFAULT '0',
  class_name varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (class_id)`,
  classtypes: `
  classtype_id int(11) NOT NULL AUTO_INCREMENT,
  classtype_name varchar(50) NOT NULL DEFAULT '',
  classtype_title varchar(50) NOT NULL DEFAULT '',
  PRIMARY KEY (classtype_id)`,
  coauthors: `
  sid int(11) NOT NULL DEFAULT '0',
  uid int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (sid, uid)`,
  ratings: `
  rid int(11) NOT NULL AUTO_INCREMENT,
  rating varchar(60) NOT NULL DEFAULT '',
  ratingwarning varchar(10) NOT NULL DEFAULT '0',
  warningtext text,
  PRIMARY KEY (rid)`,
  series: `
  seriesid int(11) NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL DEFAULT '',
  summary text,
  uid int(11) NOT NULL DEFAULT '0',
  isopen varchar(10) NOT NULL DEFAULT '0',
  catid varchar(200) NOT NULL DEFAULT '0',
  classes varchar(200) DEFAULT NULL,
  rating varchar(10) NOT NULL DEFAULT '0',
  warnings varchar(250) NOT NULL DEFAULT '',
  genres varchar(250) NOT NULL DEFAULT '',
  characters varchar(250) NOT NULL DEFAULT '',
  reviews int(11) NOT NULL DEFAULT '0',
  challenges varchar(200) NOT NULL DEFAULT '',
  numstories int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (seriesid)`,
  inseries: `
  seriesid int(11) NOT NULL DEFAULT '0',
  sid int(11) NOT NULL DEFAULT '0',
  subseriesid int(11) NOT NULL DEFAULT '0',
  confirmed int(11) NOT NULL DEFAULT '0',
  inorder int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (sid, seriesid, subseriesid)`,
  reviews: `
  reviewid int(11) NOT NULL AUTO_INCREMENT,
  item int(11) NOT NULL DEFAULT '0',
  chapid int(11) NOT NULL DEFAULT '0',
  reviewer varchar(200) NOT NULL DEFAULT '0',
  uid int(11) NOT NULL DEFAULT '0',
  review text,
  date varchar(32) DEFAULT NULL,
  rating int(11) NOT NULL DEFAULT '0',
  respond varchar(10) NOT NULL DEFAULT '0',
  type varchar(10) NOT NULL DEFAULT 'ST',
  PRIMARY KEY (reviewid)`,
};

/** The tables the importer needs; the others it can do without. */
export const REQUIRED_EFICTION_TABLES = ['authors', 'stories', 'chapters'] as const;

/** A table prefix is spliced into SQL, so it is held to what eFiction's installer allows. */
export function isValidTablePrefix(prefix: string): boolean {
  return /^[A-Za-z0-9_]{0,40}$/.test(prefix);
}

/** CREATE TABLE IF NOT EXISTS statements for the given tables (default: all of them), prefix applied. */
export function efictionSchemaSql(prefix: string, tables: string[] = Object.keys(EFICTION_TABLES)): string {
  if (!isValidTablePrefix(prefix)) throw new Error(`Invalid eFiction table prefix "${prefix}".`);
  return tables
    .filter((table) => table in EFICTION_TABLES)
    .map(
      (table) =>
        `CREATE TABLE IF NOT EXISTS \`${prefix}${table}\` (${EFICTION_TABLES[table]}\n) DEFAULT CHARSET=utf8mb4;\n`,
    )
    .join('\n');
}
