// Maps an eFiction archive (as read by efictionArchive.ts) onto Quire, the way AO3's Open Doors
// project imports eFiction archives: members become accounts (pennames become pseuds), stories become
// works with AO3's ratings and warnings, categories become fandoms, classes become additional tags,
// series stay series and reviews become comments. Pure: no database, no filesystem.

import { htmlToPlainText, sanitizeWorkHtml } from '../../domain/htmlPolicy.ts';
import {
  ARCHIVE_WARNINGS,
  type ArchiveWarning,
  CATEGORIES,
  type Category,
  RATINGS,
  type Rating,
  TAG_TYPE_LABELS,
  type TagType,
} from '../../domain/vocabulary.ts';
import { LIMITS, tagDisplayName, tagKey } from '../../domain/workRules.ts';
import type { EfictionArchive, EfictionClass, EfictionStory } from './efictionArchive.ts';

// --- the mapping tables (extend these as archives turn up new names) -------------------------------

/**
 * eFiction rating names → AO3 ratings. Names are compared lower-cased with spaces collapsed; a name
 * with an explanation after it ("PG-13 - some violence", "R (adults)") is tried without it as well.
 */
export const RATING_NAMES: Record<Rating, string[]> = {
  'General Audiences': [
    'g',
    'k',
    'u',
    'general',
    'general audiences',
    'gen',
    'all ages',
    'everyone',
    'fr7',
    'fr-7',
    'g/pg',
    'pre-teen',
    'preteen',
  ],
  'Teen And Up Audiences': [
    'pg',
    'pg-13',
    'pg13',
    'pg-15',
    't',
    'k+',
    'teen',
    'teens',
    'teen and up',
    'teen and up audiences',
    'older teens',
    'fr13',
    'fr-13',
    '13+',
  ],
  Mature: ['r', 'm', 'mature', 'fr15', 'fr-15', '15+', '16+', 'nc-15', 'r-15', 'r15'],
  Explicit: [
    'nc-17',
    'nc17',
    'nc-18',
    'x',
    'xx',
    'xxx',
    'ma',
    'adult',
    'adults',
    'adults only',
    'adult only',
    'explicit',
    'fr18',
    'fr-18',
    'fr21',
    'fr-21',
    '18+',
    '18',
    'r-18',
    'r18',
  ],
  'Not Rated': ['not rated', 'unrated', 'none', 'no rating'],
};

/** Warning-class names that clearly name one of AO3's archive warnings. */
export const ARCHIVE_WARNING_NAMES: Record<ArchiveWarning, string[]> = {
  'Major Character Death': ['major character death', 'character death', 'main character death', 'mcd'],
  'Graphic Depictions Of Violence': [
    'graphic depictions of violence',
    'graphic violence',
    'violence (graphic)',
    'graphic depiction of violence',
  ],
  'Rape/Non-Con': [
    'rape/non-con',
    'rape',
    'non-con',
    'noncon',
    'non con',
    'non-consensual',
    'nonconsensual',
    'non-consensual sex',
    'non-consensual sex acts',
    'rape/non-consensual sex',
  ],
  'Underage Sex': ['underage sex', 'underage'],
  'No Archive Warnings Apply': ['no archive warnings apply'],
  'Creator Chose Not To Use Archive Warnings': [
    'creator chose not to use archive warnings',
    'choose not to use archive warnings',
    'chose not to warn',
  ],
};

/** Class names (of any type) that name one of AO3's relationship categories. */
export const CATEGORY_NAMES: Record<Exclude<Category, 'Other'>, string[]> = {
  Gen: ['gen', 'general (no pairing)', 'no pairing'],
  'F/M': ['f/m', 'het', 'heterosexual'],
  'M/M': ['m/m', 'slash'],
  'F/F': ['f/f', 'femslash', 'femmeslash', 'femslash/yuri'],
  Multi: ['multi', 'multiple pairings', 'poly'],
};

const CREATOR_CHOSE_NOT_TO_WARN: ArchiveWarning = 'Creator Chose Not To Use Archive Warnings';

function normalisedName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

function lookup<T extends string>(table: Record<T, string[]>, name: string): T | null {
  const wanted = normalisedName(name);
  const candidates = [wanted, wanted.split(/\s+[-–(:]|\s*\(/)[0].trim()];
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const [value, names] of Object.entries(table) as [T, string[]][]) {
      if (names.includes(candidate) || normalisedName(value) === candidate) return value;
    }
  }
  return null;
}

/** The AO3 rating for an eFiction rating name, or null when the tables do not know it. */
export function mapEfictionRating(name: string): Rating | null {
  return lookup(RATING_NAMES, name);
}

export function mapEfictionWarning(name: string): ArchiveWarning | null {
  return lookup(ARCHIVE_WARNING_NAMES, name);
}

function mapEfictionCategory(name: string): Category | null {
  const wanted = normalisedName(name);
  for (const [category, names] of Object.entries(CATEGORY_NAMES) as [Category, string[]][]) {
    if (names.includes(wanted)) return category;
  }
  return null;
}

function isWarningClass(klass: EfictionClass): boolean {
  return /warn/i.test(klass.typeName) || /warn/i.test(klass.typeTitle);
}

// --- the plan ----------------------------------------------------------------------------------------

export interface PlannedPseud {
  /** The eFiction member this pseud stands for. */
  uid: number;
  name: string;
}

export interface PlannedUser {
  username: string;
  email: string;
  /** eFiction's MD5 hex (lower case), or null when the member had no usable password. */
  legacyMd5: string | null;
  createdAt: string | null;
  /** One pseud per penname; the first is the account's default. */
  pseuds: PlannedPseud[];
}

/** The fields createWork takes. */
export interface PlannedWorkFields {
  title: string;
  summary: string;
  notes: string;
  end_notes: string;
  rating: Rating;
  warnings: ArchiveWarning[];
  categories: Category[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  language: string;
  complete: boolean;
  expected_chapters: number | null;
  draft: boolean;
}

export interface PlannedChapter {
  chapid: number;
  title: string;
  summary: string;
  notes: string;
  end_notes: string;
  body: string;
  format: 'html';
}

export interface PlannedComment {
  reviewid: number;
  /** The eFiction chapter the review was on, or null for the whole work. */
  chapid: number | null;
  /** The member who wrote it (null for guests). */
  uid: number | null;
  guestName: string | null;
  /** As written (HTML-ish); the importer sanitises it. */
  body: string;
  createdAt: string | null;
}

export interface PlannedWork {
  sid: number;
  /** For reports: "story 12 “Title”". */
  label: string;
  /** Main author first, then co-authors, in the archive's order. */
  creatorUids: number[];
  fields: PlannedWorkFields;
  chapters: PlannedChapter[];
  postedAt: string | null;
  updatedAt: string | null;
  importedFrom: string | null;
  hits: number;
  series: { seriesid: number; position: number }[];
  comments: PlannedComment[];
}

export interface PlannedSeries {
  seriesid: number;
  title: string;
  summary: string;
  ownerUid: number;
}

export type SkippedKind =
  | 'author'
  | 'story'
  | 'chapter'
  | 'review'
  | 'series'
  | 'category'
  | 'character'
  | 'class';

export interface MappingReport {
  counts: {
    authors: number;
    users: number;
    stories: number;
    works: number;
    drafts: number;
    chapters: number;
    series: number;
    reviews: number;
    comments: number;
  };
  /** Rating names no table entry knows; their stories are "Not Rated". */
  unmappedRatings: { name: string; stories: number }[];
  /** Warning classes that name no AO3 archive warning: kept as additional tags only. */
  unmappedClasses: { name: string; type: string; stories: number }[];
  /** Warning classes that did name an AO3 archive warning. */
  mappedWarnings: { name: string; warning: ArchiveWarning }[];
  renamedUsernames: { uid: number; penname: string; username: string; reason: string }[];
  renamedTags: { from: string; to: string; reason: string }[];
  /** Members that share an email address: one account, one pseud per penname. */
  mergedAuthors: { uid: number; penname: string; intoUsername: string }[];
  skipped: { kind: SkippedKind; id: number; label: string; reason: string }[];
  /** Changes made so that a story fits Quire's limits (texts moved or shortened). */
  adjustments: { sid: number; label: string; note: string }[];
}

export interface EfictionImportPlan {
  users: PlannedUser[];
  works: PlannedWork[];
  series: PlannedSeries[];
  /** The archive reader's notices (missing tables, missing chapter files). */
  notices: string[];
  report: MappingReport;
}

export interface EfictionMappingOptions {
  /** The old archive's address (http or https): works get `${sourceUrl}/viewstory.php?sid=N`. */
  sourceUrl?: string;
  /** Language code for every work (eFiction has none per story); default 'en'. */
  language?: string;
}

// --- helpers -----------------------------------------------------------------------------------------

/** eFiction stores names HTML-escaped more often than not ("Tom &amp; Jerry"); Quire keeps plain text. */
function plain(value: string): string {
  return htmlToPlainText(value).trim();
}

const FORBIDDEN_TAG_CHARACTERS = /[,^*<>{}=\\%`]/g;

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

function validEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(value);
}

/** A penname as a Quire login: 3–40 of [A-Za-z0-9_], starting with a letter or digit. */
export function usernameFromPenname(penname: string, uid: number): string {
  let base = plain(penname)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (base === '') base = `author_${uid}`;
  if (base.length < 3) base = `${base}_${uid}`;
  if (base.length < 3) base = `${base}_member`;
  return base.slice(0, 40).replace(/_+$/, '');
}

function withSuffix(base: string, suffix: string, max: number): string {
  return `${base.slice(0, max - suffix.length).replace(/_+$/, '')}${suffix}`;
}

// --- mapping -----------------------------------------------------------------------------------------

interface AuthorAccount {
  user: PlannedUser;
}

function planUsers(archive: EfictionArchive, report: MappingReport): Map<number, AuthorAccount> {
  const byUid = new Map<number, AuthorAccount>();
  const byEmail = new Map<string, PlannedUser>();
  const takenUsernames = new Set<string>();
  const authors = [...archive.authors].sort((a, b) => a.uid - b.uid);
  for (const author of authors) {
    if (author.uid <= 0) {
      report.skipped.push({
        kind: 'author',
        id: author.uid,
        label: author.penname,
        reason: 'member id 0 is eFiction’s guest placeholder',
      });
      continue;
    }
    const penname = plain(author.penname);
    const pseudName = cut(penname || `author ${author.uid}`, 40);
    const email = author.email.trim();
    const emailKey = email.toLowerCase();
    const sameEmail = validEmail(email) ? byEmail.get(emailKey) : undefined;
    if (sameEmail) {
      // One person, several pennames: AO3's answer is one account with a pseud per name.
      let name = pseudName;
      if (sameEmail.pseuds.some((pseud) => pseud.name.toLowerCase() === name.toLowerCase()))
        name = withSuffix(pseudName, ` (${author.uid})`, 40);
      sameEmail.pseuds.push({ uid: author.uid, name });
      byUid.set(author.uid, { user: sameEmail });
      report.mergedAuthors.push({ uid: author.uid, penname, intoUsername: sameEmail.username });
      continue;
    }
    let username = usernameFromPenname(author.penname, author.uid);
    let reason = username === penname ? '' : 'usernames are 3–40 letters, digits and underscores';
    if (takenUsernames.has(username.toLowerCase())) {
      username = withSuffix(username, `_${author.uid}`, 40);
      for (let n = 2; takenUsernames.has(username.toLowerCase()); n++)
        username = withSuffix(username, `_${n}`, 40);
      reason = 'another penname makes the same username';
    }
    takenUsernames.add(username.toLowerCase());
    if (reason) report.renamedUsernames.push({ uid: author.uid, penname, username, reason });
    const md5 = author.password.toLowerCase();
    const user: PlannedUser = {
      username,
      email: validEmail(email) ? email : `${username.toLowerCase()}.efiction-${author.uid}@imported.invalid`,
      legacyMd5: /^[0-9a-f]{32}$/.test(md5) ? md5 : null,
      createdAt: author.date,
      pseuds: [{ uid: author.uid, name: pseudName }],
    };
    if (!validEmail(email))
      report.adjustments.push({
        sid: 0,
        label: `member ${author.uid} “${penname}”`,
        note: `has no valid email address; the account gets ${user.email} until an administrator changes it`,
      });
    if (validEmail(email)) byEmail.set(emailKey, user);
    byUid.set(author.uid, { user });
  }
  return byUid;
}

/** A tag name Quire accepts: plain text, none of the characters tags cannot have, at most 150 long. */
function cleanTag(raw: string, report: MappingReport): string {
  const decoded = plain(raw);
  const cleaned = cut(tagDisplayName(decoded.replace(FORBIDDEN_TAG_CHARACTERS, ' ')), LIMITS.tagName);
  if (cleaned !== tagDisplayName(decoded) && cleaned !== '') {
    if (!report.renamedTags.some((entry) => entry.from === decoded))
      report.renamedTags.push({
        from: decoded,
        to: cleaned,
        reason: 'tags cannot have commas or any of ^ * < > { } = \\ % `',
      });
  }
  return cleaned;
}

/** Text fields over Quire's limits move into the chapter text rather than being cut. */
function fitText(value: string, limit: number): { kept: string; overflow: string } {
  return value.trim().length <= limit ? { kept: value, overflow: '' } : { kept: '', overflow: value };
}

/**
 * Texts put one after another with a rule between them. Each is made HTML on its own first, so that
 * plain text with blank lines still becomes paragraphs (Quire only does that for markup-free text).
 */
function joinTexts(parts: string[]): string {
  const present = parts.filter((part) => part.trim() !== '');
  return present.length === 1 ? present[0] : present.map((part) => sanitizeWorkHtml(part)).join('\n<hr />\n');
}

function storyLabel(story: EfictionStory): string {
  return `story ${story.sid} “${plain(story.title) || '(no title)'}”`;
}

export function mapEfictionArchive(
  archive: EfictionArchive,
  options: EfictionMappingOptions = {},
): EfictionImportPlan {
  const report: MappingReport = {
    counts: {
      authors: archive.authors.length,
      users: 0,
      stories: archive.stories.length,
      works: 0,
      drafts: 0,
      chapters: 0,
      series: archive.series.length,
      reviews: archive.reviews.length,
      comments: 0,
    },
    unmappedRatings: [],
    unmappedClasses: [],
    mappedWarnings: [],
    renamedUsernames: [],
    renamedTags: [],
    mergedAuthors: [],
    skipped: [],
    adjustments: [],
  };
  const accounts = planUsers(archive, report);
  const users = [...new Set([...accounts.values()].map((account) => account.user))];
  report.counts.users = users.length;

  const sourceUrl = options.sourceUrl?.replace(/\/+$/, '');
  const language = options.language ?? 'en';
  const categoriesById = new Map(archive.categories.map((category) => [category.catid, category]));
  const charactersById = new Map(archive.characters.map((character) => [character.charid, character]));
  const classesById = new Map(archive.classes.map((klass) => [klass.classId, klass]));
  const ratingsById = new Map(archive.ratings.map((rating) => [String(rating.rid), rating]));
  const chaptersBySid = new Map<number, typeof archive.chapters>();
  for (const chapter of archive.chapters) {
    const list = chaptersBySid.get(chapter.sid) ?? [];
    list.push(chapter);
    chaptersBySid.set(chapter.sid, list);
  }
  const reviewsBySid = new Map<number, typeof archive.reviews>();
  let seriesReviews = 0;
  for (const review of archive.reviews) {
    if (review.type !== 'ST') {
      if (review.type === 'SE') seriesReviews++;
      else
        report.skipped.push({
          kind: 'review',
          id: review.reviewid,
          label: `review ${review.reviewid}`,
          reason: `reviews of type “${review.type}” have no place in Quire`,
        });
      continue;
    }
    const list = reviewsBySid.get(review.item) ?? [];
    list.push(review);
    reviewsBySid.set(review.item, list);
  }
  if (seriesReviews > 0)
    report.skipped.push({
      kind: 'review',
      id: 0,
      label: `${seriesReviews} series review(s)`,
      reason: 'Quire has comments on works, not on series',
    });

  const unmappedRatings = new Map<string, number>();
  const unmappedClasses = new Map<string, { type: string; stories: number }>();
  const mappedWarnings = new Map<string, ArchiveWarning>();
  const missingReported = new Set<string>();
  function missing(kind: SkippedKind, id: number, story: EfictionStory) {
    const key = `${kind}:${id}`;
    if (missingReported.has(key)) return;
    missingReported.add(key);
    report.skipped.push({
      kind,
      id,
      label: `${kind} ${id}`,
      reason: `${storyLabel(story)} refers to it, but the archive has no such ${kind}`,
    });
  }

  function ratingOf(story: EfictionStory): Rating {
    const rid = story.rid;
    if (rid === '' || rid === '0') return 'Not Rated';
    const name = ratingsById.get(rid)?.rating ?? (/^\d+$/.test(rid) ? null : rid);
    if (name === null) {
      unmappedRatings.set(`(rating id ${rid})`, (unmappedRatings.get(`(rating id ${rid})`) ?? 0) + 1);
      return 'Not Rated';
    }
    const mapped = mapEfictionRating(plain(name));
    if (mapped) return mapped;
    unmappedRatings.set(plain(name), (unmappedRatings.get(plain(name)) ?? 0) + 1);
    return 'Not Rated';
  }

  const works: PlannedWork[] = [];
  const plannedSids = new Set<number>();
  for (const story of [...archive.stories].sort((a, b) => a.sid - b.sid)) {
    const label = storyLabel(story);
    const skip = (reason: string) => report.skipped.push({ kind: 'story', id: story.sid, label, reason });
    const adjust = (note: string) => report.adjustments.push({ sid: story.sid, label, note });
    if (!accounts.has(story.uid)) {
      skip(`its author (member ${story.uid}) is not in the archive’s authors table`);
      continue;
    }
    let title = plain(story.title);
    if (title === '') {
      skip('it has no title');
      continue;
    }
    if (title.length > LIMITS.title) {
      title = cut(title, LIMITS.title);
      adjust(`title shortened to ${LIMITS.title} characters`);
    }

    const allChapters = [...(chaptersBySid.get(story.sid) ?? [])].sort(
      (a, b) => a.inorder - b.inorder || a.chapid - b.chapid,
    );
    // A posted story shows only its validated chapters, as eFiction did; a draft keeps them all.
    const chapters = story.validated ? allChapters.filter((chapter) => chapter.validated) : allChapters;
    for (const chapter of allChapters) {
      if (!chapters.includes(chapter))
        report.skipped.push({
          kind: 'chapter',
          id: chapter.chapid,
          label: `${label}, chapter ${chapter.chapid}`,
          reason: 'it was never validated (still awaiting approval on the old archive)',
        });
    }
    if (chapters.length === 0) {
      skip(allChapters.length === 0 ? 'it has no chapters' : 'it has no validated chapters');
      continue;
    }
    const empty = chapters.find((chapter) => chapter.storytext.trim() === '');
    if (empty) {
      skip(
        empty.textSource === 'missing'
          ? `chapter ${empty.chapid} has no text (none in the database, and no stories/${empty.uid || story.uid}/${empty.chapid}.txt file)`
          : `chapter ${empty.chapid} has no text`,
      );
      continue;
    }

    const plannedChapters: PlannedChapter[] = chapters.map((chapter) => {
      const notes = fitText(chapter.notes, LIMITS.notes);
      const endNotes = fitText(chapter.endnotes, LIMITS.notes);
      if (notes.overflow || endNotes.overflow)
        adjust(
          `chapter ${chapter.chapid}: notes longer than ${LIMITS.notes} characters were moved into the chapter text`,
        );
      const body = joinTexts([notes.overflow, chapter.storytext, endNotes.overflow]);
      return {
        chapid: chapter.chapid,
        title: cut(plain(chapter.title), LIMITS.chapterTitle),
        summary: '',
        notes: notes.kept,
        end_notes: endNotes.kept,
        body,
        format: 'html',
      };
    });
    const tooLong = plannedChapters.find((chapter) => chapter.body.length > LIMITS.chapterBody);
    if (tooLong) {
      skip(
        `chapter ${tooLong.chapid} is longer than ${LIMITS.chapterBody.toLocaleString('en')} characters; split it on the old archive first`,
      );
      continue;
    }

    let summary = story.summary;
    if (summary.trim().length > LIMITS.summary) {
      summary = cut(plain(summary), LIMITS.summary);
      adjust(`summary shortened to ${LIMITS.summary} characters`);
    }
    const storyNotes = fitText(story.storynotes, LIMITS.notes);
    if (storyNotes.overflow) {
      plannedChapters[0].body = joinTexts([storyNotes.overflow, plannedChapters[0].body]);
      adjust(`story notes longer than ${LIMITS.notes} characters were moved to the top of chapter 1`);
    }

    const fandoms: string[] = [];
    for (const catid of story.catids) {
      const category = categoriesById.get(catid);
      if (!category) missing('category', catid, story);
      else fandoms.push(cleanTag(category.category, report));
    }
    const characters: string[] = [];
    for (const charid of story.charids) {
      const character = charactersById.get(charid);
      if (!character) missing('character', charid, story);
      else characters.push(cleanTag(character.charname, report));
    }
    const warnings: ArchiveWarning[] = [];
    const categories: Category[] = [];
    const freeforms: string[] = [];
    for (const classId of story.classIds) {
      const klass = classesById.get(classId);
      if (!klass) {
        missing('class', classId, story);
        continue;
      }
      const name = cleanTag(klass.name, report);
      if (name === '') continue;
      if (isWarningClass(klass)) {
        const warning = mapEfictionWarning(name);
        if (warning) {
          warnings.push(warning);
          mappedWarnings.set(name, warning);
          // "Character Death" stays visible as written; "Major Character Death" is the warning itself.
          if (tagKey(name) !== tagKey(warning)) freeforms.push(name);
        } else {
          freeforms.push(name);
          const entry = unmappedClasses.get(name) ?? { type: klass.typeTitle || klass.typeName, stories: 0 };
          entry.stories++;
          unmappedClasses.set(name, entry);
        }
        continue;
      }
      const category = mapEfictionCategory(name);
      if (category) categories.push(category);
      else freeforms.push(name);
    }

    // AO3's limit of 75 user tags; fandoms first, since a work needs one.
    let room = LIMITS.userTags;
    const within = (names: string[]) => {
      const unique = [...new Map(names.filter(Boolean).map((name) => [tagKey(name), name])).values()];
      const kept = unique.slice(0, Math.max(0, room));
      room -= kept.length;
      if (kept.length < unique.length) adjust(`${unique.length - kept.length} tag(s) left out (75 at most)`);
      return kept;
    };
    const keptFandoms = within(fandoms);

    const postedAt = story.date ?? story.updated;
    const updatedAt =
      story.updated && postedAt && story.updated > postedAt ? story.updated : (postedAt ?? null);
    const creatorUids = [story.uid];
    for (const uid of story.coauthorUids) {
      if (!accounts.has(uid)) {
        adjust(`co-author member ${uid} is not in the authors table and is left out`);
        continue;
      }
      if (!creatorUids.includes(uid)) creatorUids.push(uid);
    }

    const chapterIds = new Set(plannedChapters.map((chapter) => chapter.chapid));
    const comments: PlannedComment[] = [];
    const reviews = [...(reviewsBySid.get(story.sid) ?? [])].sort(
      (a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.reviewid - b.reviewid,
    );
    for (const review of reviews) {
      if (review.review.trim() === '') {
        report.skipped.push({
          kind: 'review',
          id: review.reviewid,
          label: `review ${review.reviewid} of ${label}`,
          reason: 'it has no text (a rating only)',
        });
        continue;
      }
      const member = review.uid > 0 && accounts.has(review.uid);
      const onChapter = review.chapid > 0 && chapterIds.has(review.chapid);
      if (review.chapid > 0 && !onChapter)
        adjust(
          `review ${review.reviewid} was on chapter ${review.chapid}, which is not imported; it is on the work`,
        );
      comments.push({
        reviewid: review.reviewid,
        chapid: onChapter ? review.chapid : null,
        uid: member ? review.uid : null,
        guestName: member ? null : cut(plain(review.reviewer) || 'Anonymous', 100),
        body: review.review,
        createdAt: review.date ?? postedAt,
      });
    }

    works.push({
      sid: story.sid,
      label,
      creatorUids,
      fields: {
        title,
        summary,
        notes: storyNotes.kept,
        end_notes: '',
        rating: ratingOf(story),
        warnings: warnings.length > 0 ? [...new Set(warnings)] : [CREATOR_CHOSE_NOT_TO_WARN],
        categories: [...new Set(categories)],
        fandoms: keptFandoms.length > 0 ? keptFandoms : ['Unsorted Fandom'],
        relationships: [],
        characters: within(characters),
        freeforms: within(freeforms),
        language,
        complete: story.completed,
        expected_chapters: null,
        draft: !story.validated,
      },
      chapters: plannedChapters,
      postedAt,
      updatedAt,
      importedFrom: sourceUrl ? `${sourceUrl}/viewstory.php?sid=${story.sid}` : null,
      hits: Math.max(0, story.count),
      series: [],
      comments,
    });
    plannedSids.add(story.sid);
  }

  const orphanReviews = [...reviewsBySid]
    .filter(([sid]) => !plannedSids.has(sid))
    .reduce((sum, [, reviews]) => sum + reviews.length, 0);
  if (orphanReviews > 0)
    report.skipped.push({
      kind: 'review',
      id: 0,
      label: `${orphanReviews} review(s)`,
      reason: 'their stories are not imported',
    });

  disambiguateTags(works, report);

  const series: PlannedSeries[] = [];
  const worksBySid = new Map(works.map((work) => [work.sid, work]));
  for (const entry of archive.series) {
    const label = `series ${entry.seriesid} “${plain(entry.title) || '(no title)'}”`;
    const title = cut(plain(entry.title), 255);
    if (title === '') {
      report.skipped.push({ kind: 'series', id: entry.seriesid, label, reason: 'it has no title' });
      continue;
    }
    if (!accounts.has(entry.uid)) {
      report.skipped.push({
        kind: 'series',
        id: entry.seriesid,
        label,
        reason: `its owner (member ${entry.uid}) is not in the authors table`,
      });
      continue;
    }
    const parts = [...entry.stories]
      .filter((part) => plannedSids.has(part.sid))
      .sort((a, b) => a.inorder - b.inorder || a.sid - b.sid);
    if (parts.length === 0) {
      report.skipped.push({
        kind: 'series',
        id: entry.seriesid,
        label,
        reason: 'none of its stories are imported',
      });
      continue;
    }
    series.push({ seriesid: entry.seriesid, title, summary: entry.summary, ownerUid: entry.uid });
    // Positions count from 1 in the archive's order, whatever numbers eFiction stored.
    parts.forEach((part, index) => {
      worksBySid.get(part.sid)?.series.push({ seriesid: entry.seriesid, position: index + 1 });
    });
  }

  report.unmappedRatings = [...unmappedRatings].map(([name, stories]) => ({ name, stories }));
  report.unmappedClasses = [...unmappedClasses].map(([name, entry]) => ({ name, ...entry }));
  report.mappedWarnings = [...mappedWarnings].map(([name, warning]) => ({ name, warning }));
  report.counts.works = works.length;
  report.counts.drafts = works.filter((work) => work.fields.draft).length;
  report.counts.chapters = works.reduce((sum, work) => sum + work.chapters.length, 0);
  report.counts.comments = works.reduce((sum, work) => sum + work.comments.length, 0);
  report.counts.series = series.length;

  return { users, works, series, notices: [...archive.notices], report };
}

// --- tag names unique across types ---------------------------------------------------------------------

const USER_TAG_FIELDS = [
  ['fandom', 'fandoms'],
  ['character', 'characters'],
  ['freeform', 'freeforms'],
] as const;

/**
 * The name a tag takes when its name already belongs to a tag of another type (Quire's tag names are
 * unique across types, as AO3's are): characters get their fandom in brackets, the way AO3 wranglers
 * name them; other tags their type.
 */
export function disambiguatedTagName(name: string, type: TagType, fandom: string | undefined): string {
  const qualifier = type === 'character' || type === 'relationship' ? fandom : undefined;
  const suffix = ` (${qualifier ?? TAG_TYPE_LABELS[type].one})`;
  return `${name.slice(0, LIMITS.tagName - suffix.length).trimEnd()}${suffix}`;
}

/**
 * One type per tag name across the whole archive: the fixed sets first, then fandoms, characters and
 * additional tags; a later use of a name under another type is renamed.
 */
function disambiguateTags(works: PlannedWork[], report: MappingReport): void {
  const owner = new Map<string, TagType>();
  for (const name of RATINGS) owner.set(tagKey(name), 'rating');
  for (const name of ARCHIVE_WARNINGS) owner.set(tagKey(name), 'warning');
  for (const name of CATEGORIES) owner.set(tagKey(name), 'category');
  for (const [type, field] of USER_TAG_FIELDS) {
    for (const work of works)
      for (const name of work.fields[field]) if (!owner.has(tagKey(name))) owner.set(tagKey(name), type);
  }
  for (const work of works) {
    for (const [type, field] of USER_TAG_FIELDS) {
      work.fields[field] = work.fields[field].map((name) => {
        if (owner.get(tagKey(name)) === type) return name;
        let renamed = disambiguatedTagName(name, type, work.fields.fandoms[0]);
        if (owner.has(tagKey(renamed)) && owner.get(tagKey(renamed)) !== type)
          renamed = disambiguatedTagName(name, type, undefined);
        if (!owner.has(tagKey(renamed))) owner.set(tagKey(renamed), type);
        if (!report.renamedTags.some((entry) => entry.from === name && entry.to === renamed))
          report.renamedTags.push({
            from: name,
            to: renamed,
            reason: `“${name}” is already a ${TAG_TYPE_LABELS[owner.get(tagKey(name)) ?? type].one} tag`,
          });
        return renamed;
      });
    }
  }
}
