import { TAG_TYPES } from '../domain/vocabulary.ts';
import type { FilterIndex } from './filterIndex.ts';
import type { TagFacet, WorkFacets } from './workSearch.ts';

/** Tags shown per type beside a result. */
const FACETS_PER_TYPE = 10;

export function emptyFacets(): WorkFacets {
  return Object.fromEntries(TAG_TYPES.map((type) => [type, []])) as unknown as WorkFacets;
}

/**
 * Counts the tags of a result's works. Reused across searches (one process, one search computing at a
 * time), so that counting a large result allocates nothing.
 */
export class FacetCounter {
  private counts = new Uint32Array(0);
  private touched = new Uint32Array(0);
  private touchedCount = 0;

  /** Facets of exactly these works. */
  ofWorks(index: FilterIndex, works: Uint32Array, leaveOut: ReadonlySet<number>): WorkFacets {
    this.tally(index, works);
    return this.finish(index, leaveOut, (tagId) => this.counts[tagId]);
  }

  /**
   * Facets of a set that is a whole base set (whose per-tag counts the index keeps) minus `missing`:
   * cheaper when the result is most of the base, e.g. all works or a very common tag.
   */
  ofBaseWithout(
    index: FilterIndex,
    baseCounts: Uint32Array,
    missing: Uint32Array,
    leaveOut: ReadonlySet<number>,
  ): WorkFacets {
    this.tally(index, missing);
    const facets = emptyFacets();
    const limit = Math.min(baseCounts.length, index.tagCapacity);
    const tops = this.collector(index, leaveOut, facets);
    for (let tagId = 1; tagId < limit; tagId++) {
      const count = baseCounts[tagId] - this.counts[tagId];
      if (count > 0) tops(tagId, count);
    }
    this.reset();
    return facets;
  }

  private tally(index: FilterIndex, works: Uint32Array): void {
    if (this.counts.length < index.tagCapacity) {
      this.counts = new Uint32Array(index.tagCapacity);
      this.touched = new Uint32Array(index.tagCapacity);
    }
    const { counts, touched } = this;
    const { tagPool, tagStart, tagCount } = index;
    let touchedCount = 0;
    for (let at = 0; at < works.length; at++) {
      const workId = works[at];
      const start = tagStart[workId];
      const end = start + tagCount[workId];
      for (let entry = start; entry < end; entry++) {
        const tagId = tagPool[entry];
        if (counts[tagId]++ === 0) touched[touchedCount++] = tagId;
      }
    }
    this.touchedCount = touchedCount;
  }

  private finish(
    index: FilterIndex,
    leaveOut: ReadonlySet<number>,
    countOf: (tagId: number) => number,
  ): WorkFacets {
    const facets = emptyFacets();
    const tops = this.collector(index, leaveOut, facets);
    for (let at = 0; at < this.touchedCount; at++) {
      const tagId = this.touched[at];
      tops(tagId, countOf(tagId));
    }
    this.reset();
    return facets;
  }

  private reset(): void {
    for (let at = 0; at < this.touchedCount; at++) this.counts[this.touched[at]] = 0;
    this.touchedCount = 0;
  }

  /**
   * Keeps each type's most frequent tags (ties by name), skipping synonyms (their works are counted
   * under the canonical tag too) and the tags the reader already filters by.
   */
  private collector(
    index: FilterIndex,
    leaveOut: ReadonlySet<number>,
    facets: WorkFacets,
  ): (tagId: number, count: number) => void {
    return (tagId, count) => {
      if (index.tagMergers[tagId] !== 0 || leaveOut.has(tagId)) return;
      const type = index.tagType(tagId);
      const name = index.tagNames[tagId];
      if (type === undefined || name === undefined) return;
      const list: TagFacet[] = facets[type];
      if (list.length === FACETS_PER_TYPE) {
        const last = list[list.length - 1];
        if (count < last.count || (count === last.count && name >= last.name)) return;
        list.pop();
      }
      let at = list.length;
      while (
        at > 0 &&
        (list[at - 1].count < count || (list[at - 1].count === count && list[at - 1].name > name))
      )
        at--;
      list.splice(at, 0, { tagId, name, count });
    };
  }
}
