import type { TextAlternative, TextClause, TextQuery } from './workSearch.ts';

// What full-text search hands the engine: the works a text query matches with their scores, or, for a
// query of `-word`s alone, the works to leave out of everything.

export type TextMatches =
  | { kind: 'matching'; workIds: Uint32Array; scores: Float64Array }
  | { kind: 'excluding'; workIds: Uint32Array };

export interface TextSearch {
  find(query: TextQuery): Promise<TextMatches>;
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
