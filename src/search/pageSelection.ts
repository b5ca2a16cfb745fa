import type { WorkCursor } from './cursor.ts';

// One page of a sorted result without sorting the result: a bounded heap keeps the best `limit + 1`
// works after the cursor, so a deep page costs what the first does.

/** A listing order: by a key, ties by work id, newest id first. */
export interface WorkOrder {
  key(workId: number): number | string;
  /** Whether the position (keyA, idA) comes before (keyB, idB). */
  precedes(keyA: number | string, idA: number, keyB: number | string, idB: number): boolean;
  /** The type of key a cursor for this order must carry. */
  keyType: 'number' | 'string';
  /**
   * Text orders only: each work's lead (leadOf its key), compared before the text itself, since
   * comparing two numbers is what makes a heap over a million titles quick.
   */
  leads?: ArrayLike<number>;
  /** Descending number orders only: the keys, so that most works are turned away without a call. */
  values?: ArrayLike<number>;
}

/** The first three UTF-16 units of a text as one number: ordered as the texts are, ties aside. */
export function leadOf(text: string): number {
  return (
    (text.charCodeAt(0) || 0) * 2 ** 32 + (text.charCodeAt(1) || 0) * 2 ** 16 + (text.charCodeAt(2) || 0)
  );
}

export function descending(keys: ArrayLike<number>): WorkOrder {
  return {
    key: (workId) => keys[workId],
    precedes: (keyA, idA, keyB, idB) => keyA > keyB || (keyA === keyB && idA > idB),
    keyType: 'number',
    values: keys,
  };
}

export function ascending(keys: readonly string[], leads: ArrayLike<number>): WorkOrder {
  return {
    key: (workId) => keys[workId],
    precedes: (keyA, idA, keyB, idB) => keyA < keyB || (keyA === keyB && idA > idB),
    keyType: 'string',
    leads,
  };
}

export interface SelectedPage {
  workIds: number[];
  /** Whether more works follow the page. */
  more: boolean;
}

export function selectPage(
  works: Uint32Array,
  order: WorkOrder,
  cursor: WorkCursor | null,
  limit: number,
): SelectedPage {
  const { key, precedes } = order;
  const { leads, values } = order;
  const cursorLead = cursor && leads ? leadOf(String(cursor.value)) : 0;
  const capacity = limit + 1;
  // heap[0] is the kept work that comes last in the order: the first to give way to a better one.
  const heap: number[] = [];
  const keys: Array<number | string> = [];
  const heapLeads: number[] = [];
  const comesBefore = (
    keyA: number | string,
    idA: number,
    leadA: number,
    keyB: number | string,
    idB: number,
    leadB: number,
  ) => (leadA !== leadB ? leadA < leadB : precedes(keyA, idA, keyB, idB));
  const later = (a: number, b: number) =>
    comesBefore(keys[b], heap[b], heapLeads[b], keys[a], heap[a], heapLeads[a]);
  const swap = (a: number, b: number) => {
    [heap[a], heap[b]] = [heap[b], heap[a]];
    [keys[a], keys[b]] = [keys[b], keys[a]];
    [heapLeads[a], heapLeads[b]] = [heapLeads[b], heapLeads[a]];
  };
  const siftDown = (from: number) => {
    let at = from;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let latest = at;
      if (left < heap.length && later(left, latest)) latest = left;
      if (right < heap.length && later(right, latest)) latest = right;
      if (latest === at) return;
      swap(at, latest);
      at = latest;
    }
  };
  for (let index = 0; index < works.length; index++) {
    const workId = works[index];
    if (heap.length === capacity && values) {
      const value = values[workId];
      const last = keys[0] as number;
      if (value < last || (value === last && workId < heap[0])) continue;
    }
    const workLead = leads ? leads[workId] : 0;
    if (heap.length === capacity && leads && workLead > heapLeads[0]) continue;
    const workKey = key(workId);
    if (cursor && !comesBefore(cursor.value, cursor.workId, cursorLead, workKey, workId, workLead)) continue;
    if (heap.length < capacity) {
      heap.push(workId);
      keys.push(workKey);
      heapLeads.push(workLead);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!later(at, parent)) break;
        swap(at, parent);
        at = parent;
      }
    } else if (comesBefore(workKey, workId, workLead, keys[0], heap[0], heapLeads[0])) {
      heap[0] = workId;
      keys[0] = workKey;
      heapLeads[0] = workLead;
      siftDown(0);
    }
  }
  const ordered = heap
    .map((workId, index) => ({ workId, key: keys[index] }))
    .sort((a, b) => (precedes(a.key, a.workId, b.key, b.workId) ? -1 : 1));
  return { workIds: ordered.slice(0, limit).map((entry) => entry.workId), more: ordered.length > limit };
}
