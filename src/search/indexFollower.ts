import { sql } from 'kysely';
import type { ArchiveDatabase } from '../db/database.ts';
import { FilterIndex } from './filterIndex.ts';
import { highestWorkId, readAllTags, readTags, readWorkRange, readWorks, WORK_ID_SPAN } from './indexRows.ts';

// Keeps one process's filter index exact while any instance writes: triggers append every change to
// search_index_changes, and before each search the follower applies the rows it has not seen yet.

interface LogHead {
  newest: number;
  oldest: number;
  /** PostgreSQL only: every transaction below xmin has ended; none at or above xmax had begun. */
  xmin?: number;
  xmax?: number;
}

/** A log id missing when read: PostgreSQL may still commit it, until every transaction open then ends. */
interface Gap {
  id: number;
  horizon: number;
}

/** Change-log ids read per statement. */
const LOG_ID_SPAN = 100_000;
/** After a rebuild, the changes this far back are applied again, for writes committed during it. */
const REBUILD_OVERLAP = 2_000;
/** Named gaps per statement; past this many the follower reads their whole id range. */
const GAPS_PER_STATEMENT = 500;

export class IndexFollower {
  private index: FilterIndex | null = null;
  private lastSeen = 0;
  private gaps: Gap[] = [];
  private queued: Promise<FilterIndex> | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly archive: ArchiveDatabase) {}

  /**
   * The index with every change committed before this call applied. Calls that arrive while a catch-up
   * is queued share it; one that arrives while it runs waits for the next, which starts after it.
   */
  current(): Promise<FilterIndex> {
    if (this.queued) return this.queued;
    const next = this.tail.then(() => {
      this.queued = null;
      return this.catchUp();
    });
    this.queued = next;
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async catchUp(): Promise<FilterIndex> {
    const head = await this.readHead();
    // A pruned log no longer holds every change since we last looked: only a rebuild is exact.
    if (!this.index || head.oldest > this.lastSeen + 1) return this.rebuild(head);
    if (head.newest <= this.lastSeen && this.gaps.length === 0) return this.index;
    return this.applyChanges(this.index, head);
  }

  private async rebuild(head: LogHead): Promise<FilterIndex> {
    const { db, dialect } = this.archive;
    const index = new FilterIndex();
    const top = await highestWorkId(db);
    for (let after = 0; after < top; after += WORK_ID_SPAN) {
      for (const row of await readWorkRange(db, dialect, after, after + WORK_ID_SPAN))
        index.putWork(row, false);
    }
    for (const row of await readAllTags(db)) index.putTag(row);
    index.finishBulkLoad();
    this.index = index;
    this.gaps = [];
    this.lastSeen = Math.max(0, head.oldest - 1, head.newest - REBUILD_OVERLAP);
    return this.applyChanges(index, head);
  }

  private async applyChanges(index: FilterIndex, head: LogHead): Promise<FilterIndex> {
    /** How many log rows name each work: a work named once was changed by one statement. */
    const workIds = new Map<number, number>();
    const tagIds = new Set<number>();
    const seen = new Set<number>();
    const note = (row: { id: number; work_id: number | null; tag_id: number | null }) => {
      if (seen.has(row.id)) return;
      seen.add(row.id);
      if (row.work_id !== null) workIds.set(row.work_id, (workIds.get(row.work_id) ?? 0) + 1);
      if (row.tag_id !== null) tagIds.add(row.tag_id);
    };
    for (let after = this.lastSeen; after < head.newest; after += LOG_ID_SPAN) {
      for (const row of await this.readLog(after, Math.min(head.newest, after + LOG_ID_SPAN))) note(row);
    }
    for (const row of await this.readGaps()) note(row);

    if (head.xmin !== undefined && head.xmax !== undefined) {
      const open = this.gaps.filter((gap) => !seen.has(gap.id) && gap.horizon > (head.xmin as number));
      for (let id = this.lastSeen + 1; id <= head.newest; id++) {
        if (!seen.has(id)) open.push({ id, horizon: head.xmax });
      }
      this.gaps = open;
    }
    this.lastSeen = Math.max(this.lastSeen, head.newest);

    if (workIds.size > Math.max(50_000, index.workCount / 3)) return this.rebuild(await this.readHead());
    const { db, dialect } = this.archive;
    const tags = await readTags(db, [...tagIds]);
    const rows = await readWorks(db, dialect, [...workIds.keys()]);
    // Everything read: the index changes in one synchronous step, so no search sees half of it.
    for (const tag of tags) index.putTag(tag);
    for (const row of rows) {
      index.putWork(row, true, workIds.get(row.id) === 1);
      workIds.delete(row.id);
    }
    for (const deleted of workIds.keys()) index.removeWork(deleted);
    return index;
  }

  private async readHead(): Promise<LogHead> {
    const { db, dialect } = this.archive;
    const snapshot =
      dialect === 'postgres'
        ? sql`, pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin,
            pg_snapshot_xmax(pg_current_snapshot())::text::bigint as xmax`
        : sql``;
    const result = await sql<{ newest: number | null; oldest: number | null; xmin?: number; xmax?: number }>`
      select max(id) as newest, min(id) as oldest ${snapshot} from search_index_changes`.execute(db);
    const row = result.rows[0];
    return {
      newest: Number(row?.newest ?? 0),
      oldest: Number(row?.oldest ?? 0),
      ...(row?.xmin !== undefined ? { xmin: Number(row.xmin), xmax: Number(row.xmax) } : {}),
    };
  }

  private async readLog(after: number, upTo: number) {
    return this.archive.db
      .selectFrom('search_index_changes')
      .select(['id', 'work_id', 'tag_id'])
      .where('id', '>', after)
      .where('id', '<=', upTo)
      .execute();
  }

  private async readGaps() {
    if (this.gaps.length === 0) return [];
    const query = this.archive.db.selectFrom('search_index_changes').select(['id', 'work_id', 'tag_id']);
    if (this.gaps.length <= GAPS_PER_STATEMENT)
      return query
        .where(
          'id',
          'in',
          this.gaps.map((gap) => gap.id),
        )
        .execute();
    const wanted = new Set(this.gaps.map((gap) => gap.id));
    let lowest = this.lastSeen;
    for (const id of wanted) lowest = Math.min(lowest, id);
    const rows = await query.where('id', '>=', lowest).where('id', '<=', this.lastSeen).execute();
    return rows.filter((row) => wanted.has(row.id));
  }
}
