import type { FilterIndex } from './filterIndex.ts';
import type { TextMatches, TextSearch } from './textSearch.ts';
import type { TextQuery } from './workSearch.ts';

// A common word or phrase matches a fifth of a large archive, and the database takes hundreds of
// milliseconds to list those works, most of it again for every page and every change of filter. The
// list stays right until a work's text changes, which the filter index notices (its shape moves), so
// each result is kept until then: kudos and hits, the changes that never stop, leave it standing.

/** Text results kept, most recently used last. */
const ENTRIES = 32;
/** Work ids kept across all results (a few megabytes). */
const WORK_IDS = 4_000_000;
/** Scores also depend on the whole archive's word statistics: recomputed now and then even if unchanged. */
const MAX_AGE_MS = 10 * 60_000;

interface Entry {
  index: FilterIndex;
  shape: number;
  at: number;
  matches: TextMatches;
}

export class CachedTextSearch {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly inner: TextSearch) {}

  async find(index: FilterIndex, query: TextQuery, scored: boolean): Promise<TextMatches> {
    const key = JSON.stringify([scored, query.must, query.mustNot]);
    const cached = this.entries.get(key);
    if (cached) this.forget(key, cached);
    if (
      cached &&
      cached.index === index &&
      cached.shape === index.shape &&
      Date.now() - cached.at < MAX_AGE_MS
    ) {
      this.remember(key, cached);
      return cached.matches;
    }
    // The shape is read before the query: a text change applied meanwhile makes the result stale at once.
    const shape = index.shape;
    const matches = await this.inner.find(query, scored);
    this.remember(key, { index, shape, at: Date.now(), matches });
    return matches;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.size += entry.matches.workIds.length;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.entries.size <= ENTRIES && this.size <= WORK_IDS) break;
      this.forget(oldKey, oldEntry);
    }
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.size -= entry.matches.workIds.length;
  }
}
