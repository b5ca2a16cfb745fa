import { WORK_SORTS, type WorkSort } from './workSearch.ts';

/**
 * Where a page of works ends: the sort it was made under, the last work's sort value and its id (the
 * tie-breaker). The next page starts strictly after it, so pages stay stable while works are added.
 */
export interface WorkCursor {
  sort: WorkSort;
  value: number | string;
  workId: number;
}

/** Opaque to readers: base64url of a small JSON array. */
export function encodeCursor(cursor: WorkCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.workId]), 'utf8').toString(
    'base64url',
  );
}

/** The cursor a link carried, or null when it was not one of ours (tampered, truncated, from another sort). */
export function decodeCursor(text: string, sort: WorkSort): WorkCursor | null {
  if (text.length > 600 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [cursorSort, value, workId] = parsed as unknown[];
  if (cursorSort !== sort || !(WORK_SORTS as readonly unknown[]).includes(cursorSort)) return null;
  const valueFits =
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 400);
  if (!valueFits || !Number.isSafeInteger(workId) || (workId as number) < 1) return null;
  return { sort, value: value as number | string, workId: workId as number };
}
