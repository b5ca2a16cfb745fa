import { TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { tagKey } from '../domain/workRules.ts';
import { type WorkSet, workSet } from './bitmaps.ts';
import { leadOf } from './pageSelection.ts';

// What filtering, sorting and facet counting read about every work, held in this process's memory as
// typed arrays indexed by work id, plus one compressed set of work ids per tag. indexRows.ts reads it
// from the database; indexFollower.ts keeps it exact as works and tags change.

/** One work as the index reads it from the database (indexRows.ts). */
export interface IndexedWorkRow {
  id: number;
  draft: number;
  restricted: number;
  complete: number;
  word_count: number;
  kudos_count: number;
  hits: number;
  comments_count: number;
  bookmarks_count: number;
  updated_at: string;
  posted_at: string;
  language: string;
  title: string;
  first_pseud: string | null;
  imported_creators: string;
  /** How many distinct canonical fandoms its fandom tags stand for (more than one: a crossover). */
  fandoms: number;
  /** The tags it is found under (work_filter_tags), comma-separated. */
  tag_ids: string | null;
  /** When anything about it last changed: every edit of its text moves it. */
  revised_at: string;
}

export interface IndexedTagRow {
  id: number;
  name: string;
  name_key: string;
  type: string;
  merger_id: number | null;
}

const PRESENT = 1;
const DRAFT = 2;
const RESTRICTED = 4;
const COMPLETE = 8;

const NO_TYPE = 255;
/** Sort keys longer than this add nothing to the order and would only bloat cursors. */
const SORT_KEY_LENGTH = 200;

function grown<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(array: T, size: number): T {
  if (array.length >= size) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2, 1024));
  next.set(array);
  return next;
}

function sortKey(text: string): string {
  return text.trim().toLowerCase().slice(0, SORT_KEY_LENGTH);
}

export class FilterIndex {
  flags = new Uint8Array(0);
  words = new Uint32Array(0);
  kudos = new Uint32Array(0);
  hits = new Uint32Array(0);
  comments = new Uint32Array(0);
  bookmarks = new Uint32Array(0);
  /** Milliseconds since the epoch. */
  updated = new Float64Array(0);
  posted = new Float64Array(0);
  language = new Uint16Array(0);
  fandoms = new Uint8Array(0);
  revised = new Float64Array(0);
  titleKeys: string[] = [];
  creatorKeys: string[] = [];
  /** leadOf each sort key, for comparing by number first. */
  titleLeads = new Float64Array(0);
  creatorLeads = new Float64Array(0);
  /** Each work's filter tags are tagCount[id] entries of tagPool from tagStart[id]. */
  tagStart = new Uint32Array(0);
  tagCount = new Uint16Array(0);
  tagPool = new Uint32Array(1 << 16);
  private poolUsed = 0;
  private poolWasted = 0;
  private readonly languages: string[] = [];
  private readonly languageCodes = new Map<string, number>();
  private readonly creatorNames = new Map<string, string>();

  /** Posted works (no drafts); `open` leaves out restricted ones too: what a guest may see. */
  postedWorks = workSet();
  openWorks = workSet();
  draftWorks = workSet();
  /** Per tag, how many works of postedWorks and of openWorks are found under it. */
  postedCounts = new Uint32Array(0);
  openCounts = new Uint32Array(0);

  tagNames: string[] = [];
  tagTypes = new Uint8Array(0);
  /** The canonical tag a synonym was merged into (0: none). */
  tagMergers = new Uint32Array(0);
  private readonly tagsByKey = new Map<string, number>();
  private tagWorks: Array<WorkSet | undefined> = [];

  /**
   * Moves whenever anything but a work's counters (kudos, hits, comments, bookmarks) changes: what was
   * computed from the works' tags, facts or text at one shape holds until it moves.
   */
  shape = 0;

  get workCount(): number {
    return this.postedWorks.size + this.draftWorks.size;
  }

  get tagCapacity(): number {
    return this.tagTypes.length;
  }

  has(workId: number): boolean {
    return workId < this.flags.length && (this.flags[workId] & PRESENT) !== 0;
  }

  isComplete(workId: number): boolean {
    return (this.flags[workId] & COMPLETE) !== 0;
  }

  languageCode(code: string): number | undefined {
    return this.languageCodes.get(code);
  }

  tagType(tagId: number): TagType | undefined {
    const type = this.tagTypes[tagId];
    return type === NO_TYPE || type === undefined ? undefined : TAG_TYPES[type];
  }

  /** The tag a name means, case-insensitively; a synonym means its canonical tag. */
  resolveTagName(name: string): number | undefined {
    const id = this.tagsByKey.get(tagKey(name));
    return id === undefined ? undefined : this.canonicalOf(id);
  }

  canonicalOf(tagId: number): number | undefined {
    let id = tagId;
    // Merges are one step deep by the wranglers' rules; the bound only guards against a bad row.
    for (let step = 0; step < 8; step++) {
      if (id >= this.tagTypes.length || this.tagNames[id] === undefined) return undefined;
      const merger = this.tagMergers[id];
      if (merger === 0) return id;
      id = merger;
    }
    return id;
  }

  worksUnder(tagId: number): WorkSet {
    return this.tagWorks[tagId] ?? workSet();
  }

  private ensureWorkCapacity(workId: number): void {
    if (workId < this.flags.length) return;
    const size = workId + 1;
    this.flags = grown(this.flags, size);
    this.words = grown(this.words, size);
    this.kudos = grown(this.kudos, size);
    this.hits = grown(this.hits, size);
    this.comments = grown(this.comments, size);
    this.bookmarks = grown(this.bookmarks, size);
    this.updated = grown(this.updated, size);
    this.posted = grown(this.posted, size);
    this.language = grown(this.language, size);
    this.fandoms = grown(this.fandoms, size);
    this.revised = grown(this.revised, size);
    this.titleLeads = grown(this.titleLeads, size);
    this.creatorLeads = grown(this.creatorLeads, size);
    this.tagStart = grown(this.tagStart, size);
    this.tagCount = grown(this.tagCount, size);
  }

  private ensureTagCapacity(tagId: number): void {
    if (tagId < this.tagTypes.length) return;
    const size = tagId + 1;
    const before = this.tagTypes.length;
    this.tagTypes = grown(this.tagTypes, size);
    this.tagTypes.fill(NO_TYPE, before);
    this.tagMergers = grown(this.tagMergers, size);
    this.postedCounts = grown(this.postedCounts, size);
    this.openCounts = grown(this.openCounts, size);
  }

  putTag(row: IndexedTagRow): void {
    this.shape++;
    this.ensureTagCapacity(row.id);
    const previous = this.tagNames[row.id];
    if (previous !== undefined && this.tagsByKey.get(tagKey(previous)) === row.id)
      this.tagsByKey.delete(tagKey(previous));
    this.tagNames[row.id] = row.name;
    this.tagsByKey.set(row.name_key, row.id);
    const type = (TAG_TYPES as readonly string[]).indexOf(row.type);
    this.tagTypes[row.id] = type < 0 ? NO_TYPE : type;
    this.tagMergers[row.id] = row.merger_id ?? 0;
  }

  /**
   * Writes a work's facts. While loading in bulk (`linked` false) the per-tag sets are left for
   * finishBulkLoad to build in one pass; afterwards every change updates them at once. `alone` says the
   * change log named the work once since it was last read: one statement changed it.
   */
  putWork(row: IndexedWorkRow, linked = true, alone = false): void {
    const id = row.id;
    const existed = this.has(id);
    const before = existed ? this.shapeOf(id) : '';
    const countersBefore = existed ? this.countersOf(id) : '';
    if (linked && existed) this.unlink(id);
    this.ensureWorkCapacity(id);
    this.flags[id] =
      PRESENT | (row.draft ? DRAFT : 0) | (row.restricted ? RESTRICTED : 0) | (row.complete ? COMPLETE : 0);
    this.words[id] = row.word_count;
    this.kudos[id] = row.kudos_count;
    this.hits[id] = row.hits;
    this.comments[id] = row.comments_count;
    this.bookmarks[id] = row.bookmarks_count;
    this.updated[id] = Date.parse(row.updated_at);
    this.posted[id] = Date.parse(row.posted_at);
    this.language[id] = this.languageIndex(row.language);
    this.fandoms[id] = Math.min(255, Number(row.fandoms));
    this.revised[id] = Date.parse(row.revised_at);
    this.titleKeys[id] = sortKey(row.title);
    this.creatorKeys[id] = this.creatorKey(row);
    this.titleLeads[id] = leadOf(this.titleKeys[id]);
    this.creatorLeads[id] = leadOf(this.creatorKeys[id]);
    this.writeTags(id, row.tag_ids ?? '');
    if (linked) this.link(id);
    // Hits and kudos change works all day long; they leave cached tag counts and text results standing.
    // Their statement changes a counter and nothing else. Anything else that the log names a work for
    // (a new search text, a renamed pseud) may show nowhere in its row, so it moves the shape.
    const countersOnly =
      existed && alone && this.shapeOf(id) === before && this.countersOf(id) !== countersBefore;
    if (!countersOnly) this.shape++;
  }

  private countersOf(workId: number): string {
    return `${this.kudos[workId]},${this.hits[workId]},${this.comments[workId]},${this.bookmarks[workId]}`;
  }

  /** Everything the index holds about a work except its counters, for telling a counter change apart. */
  private shapeOf(workId: number): string {
    const start = this.tagStart[workId];
    const tags = Array.from(this.tagPool.subarray(start, start + this.tagCount[workId])).sort(
      (a, b) => a - b,
    );
    return [
      this.flags[workId],
      this.words[workId],
      this.updated[workId],
      this.posted[workId],
      this.language[workId],
      this.fandoms[workId],
      this.revised[workId],
      this.titleKeys[workId],
      this.creatorKeys[workId],
      tags.join(','),
    ].join('\u0000');
  }

  removeWork(workId: number): void {
    if (!this.has(workId)) return;
    this.shape++;
    this.unlink(workId);
    this.flags[workId] = 0;
    this.poolWasted += this.tagCount[workId];
    this.tagCount[workId] = 0;
    this.titleKeys[workId] = '';
    this.creatorKeys[workId] = '';
  }

  /** Builds the per-tag sets and counts after a bulk load, by counting sort over the tag pool. */
  finishBulkLoad(): void {
    let highestTag = 0;
    for (let at = 0; at < this.poolUsed; at++) highestTag = Math.max(highestTag, this.tagPool[at]);
    this.ensureTagCapacity(highestTag);
    const tagSize = this.tagTypes.length;
    const counts = new Uint32Array(tagSize + 1);
    const posted: number[] = [];
    const open: number[] = [];
    const drafts: number[] = [];
    for (let id = 0; id < this.flags.length; id++) {
      const flags = this.flags[id];
      if ((flags & PRESENT) === 0) continue;
      if (flags & DRAFT) drafts.push(id);
      else {
        posted.push(id);
        if ((flags & RESTRICTED) === 0) open.push(id);
      }
      const start = this.tagStart[id];
      const end = start + this.tagCount[id];
      for (let at = start; at < end; at++) {
        const tagId = this.tagPool[at];
        counts[tagId]++;
        if ((flags & DRAFT) === 0) {
          this.postedCounts[tagId]++;
          if ((flags & RESTRICTED) === 0) this.openCounts[tagId]++;
        }
      }
    }
    const offsets = new Uint32Array(tagSize + 2);
    for (let tagId = 0; tagId <= tagSize; tagId++) offsets[tagId + 1] = offsets[tagId] + counts[tagId];
    const fill = offsets.slice(0, tagSize + 1);
    const members = new Uint32Array(offsets[tagSize + 1]);
    for (let id = 0; id < this.flags.length; id++) {
      if ((this.flags[id] & PRESENT) === 0) continue;
      const start = this.tagStart[id];
      const end = start + this.tagCount[id];
      for (let at = start; at < end; at++) members[fill[this.tagPool[at]]++] = id;
    }
    for (let tagId = 0; tagId <= tagSize; tagId++) {
      if (counts[tagId] > 0)
        this.tagWorks[tagId] = workSet(members.subarray(offsets[tagId], offsets[tagId + 1]));
    }
    // Loading grew the pool by doubling; what it keeps beyond the works' tags is room for changes.
    this.tagPool = this.tagPool.slice(0, this.poolUsed + Math.max(1 << 16, this.poolUsed >> 4));
    this.postedWorks = workSet(posted);
    this.openWorks = workSet(open);
    this.draftWorks = workSet(drafts);
    for (const set of [this.postedWorks, this.openWorks]) set.runOptimize();
  }

  private languageIndex(code: string): number {
    let index = this.languageCodes.get(code);
    if (index === undefined) {
      index = this.languages.length;
      this.languages.push(code);
      this.languageCodes.set(code, index);
    }
    return index;
  }

  /** An imported work is credited to its original creators, so it sorts under the first of them. */
  private creatorKey(row: IndexedWorkRow): string {
    const name = sortKey(
      row.imported_creators ? row.imported_creators.split(', ')[0] : (row.first_pseud ?? ''),
    );
    let shared = this.creatorNames.get(name);
    if (shared === undefined) {
      shared = name;
      this.creatorNames.set(name, name);
    }
    return shared;
  }

  /** Parses "12,5,7" straight into the pool: a million works' tags without a million arrays. */
  private writeTags(workId: number, list: string): void {
    this.poolWasted += this.tagCount[workId];
    this.tagCount[workId] = 0;
    this.reservePool(Math.ceil((list.length + 1) / 2));
    const start = this.poolUsed;
    let at = start;
    let value = -1;
    for (let index = 0; index <= list.length; index++) {
      const code = index < list.length ? list.charCodeAt(index) : 44;
      if (code >= 48 && code <= 57) value = (value < 0 ? 0 : value * 10) + (code - 48);
      else if (value >= 0) {
        this.tagPool[at++] = value;
        value = -1;
      }
    }
    this.tagStart[workId] = start;
    this.tagCount[workId] = at - start;
    this.poolUsed = at;
  }

  /** Makes room for `room` more entries, leaving out what changed and deleted works left behind. */
  private reservePool(room: number): void {
    if (this.poolUsed + room <= this.tagPool.length) return;
    const live = this.poolUsed - this.poolWasted;
    const pool = new Uint32Array(Math.max(1 << 16, (live + room) * 2));
    let used = 0;
    for (let id = 0; id < this.tagCount.length; id++) {
      const count = this.tagCount[id];
      if (count === 0) continue;
      const start = this.tagStart[id];
      pool.set(this.tagPool.subarray(start, start + count), used);
      this.tagStart[id] = used;
      used += count;
    }
    this.tagPool = pool;
    this.poolUsed = used;
    this.poolWasted = 0;
  }

  private link(workId: number): void {
    this.changeMembership(workId, 1);
  }

  private unlink(workId: number): void {
    this.changeMembership(workId, -1);
  }

  private changeMembership(workId: number, direction: 1 | -1): void {
    const flags = this.flags[workId];
    const posted = (flags & DRAFT) === 0;
    const open = posted && (flags & RESTRICTED) === 0;
    const start = this.tagStart[workId];
    const end = start + this.tagCount[workId];
    for (let at = start; at < end; at++) {
      const tagId = this.tagPool[at];
      this.ensureTagCapacity(tagId);
      let works = this.tagWorks[tagId];
      if (direction === 1) {
        if (!works) {
          works = workSet();
          this.tagWorks[tagId] = works;
        }
        works.add(workId);
      } else works?.remove(workId);
      if (posted) this.postedCounts[tagId] += direction;
      if (open) this.openCounts[tagId] += direction;
    }
    const sets: Array<[WorkSet, boolean]> = [
      [this.postedWorks, posted],
      [this.openWorks, open],
      [this.draftWorks, !posted],
    ];
    for (const [set, member] of sets) {
      if (!member) continue;
      if (direction === 1) set.add(workId);
      else set.remove(workId);
    }
  }
}
