import type { TextAlternative, TextClause, TextQuery } from './workSearch.ts';

// What full-text search hands the engine: the works a text query matches with their scores, or, for a
// query of `-word`s alone, the works to leave out of everything.

export type TextMatches =
  | { kind: 'matching'; workIds: Uint32Array; scores: Float64Array }
  | { kind: 'excluding'; workIds: Uint32Array };

export interface TextSearch {
  /** Scores cost most of the time on large results: they are computed only when `scored` (sorting by relevance). */
  find(query: TextQuery, scored: boolean): Promise<TextMatches>;
}

/** A token that the index holds nothing for (punctuation alone) would match nothing on one engine and anything on the other. */
function searchable(alternative: TextAlternative): boolean {
  const words = alternative.kind === 'word' ? [alternative.word] : alternative.words;
  return words.some((word) => /[\p{L}\p{N}]/u.test(word));
}

/** The clauses with their unsearchable alternatives dropped, and clauses left with none dropped too. */
export function searchableClauses(clauses: readonly TextClause[]): TextAlternative[][] {
  return clauses
    .map((clause) => clause.anyOf.filter(searchable))
    .filter((alternatives) => alternatives.length > 0);
}

/**
 * Work ids from a comma-separated list: the databases hand a large match back as one aggregated string,
 * which costs a fraction of the same ids as one row each.
 */
export function parseIdList(list: string | null): Uint32Array {
  if (!list) return new Uint32Array(0);
  let count = 1;
  for (let index = 0; index < list.length; index++) if (list.charCodeAt(index) === 44) count++;
  const ids = new Uint32Array(count);
  let at = 0;
  let value = 0;
  for (let index = 0; index < list.length; index++) {
    const code = list.charCodeAt(index);
    if (code === 44) {
      ids[at++] = value;
      value = 0;
    } else value = value * 10 + (code - 48);
  }
  ids[at] = value;
  return ids;
}

export function parseScoreList(list: string | null, count: number): Float64Array {
  const scores = new Float64Array(count);
  if (list)
    list.split(',').forEach((score, index) => {
      scores[index] = Number(score);
    });
  return scores;
}
