import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { searchableClauses, type TextMatches, type TextSearch } from './textSearch.ts';
import type { TextAlternative, TextQuery } from './workSearch.ts';

// FTS5 over work_search_fts. Every word and phrase goes in double quotes, so nothing a reader types
// is read as FTS5 syntax (column filters, NEAR, prefixes, bare operators).

/** bm25 weights, in the table's column order: title, creators, tags, summary, body. */
const COLUMN_WEIGHTS = sql.raw('10.0, 5.0, 5.0, 3.0, 1.0');

function quoted(alternative: TextAlternative): string {
  const text = alternative.kind === 'word' ? alternative.word : alternative.words.join(' ');
  return `"${text.replaceAll('"', '""')}"`;
}

function anyOf(alternatives: TextAlternative[]): string {
  return `(${alternatives.map(quoted).join(' OR ')})`;
}

/** The FTS5 expression for the query, or null when it has nothing to match with. */
export function ftsExpression(query: TextQuery): { must: string | null; mustNot: string | null } {
  const must = searchableClauses(query.must).map(anyOf);
  const mustNot = searchableClauses(query.mustNot).map(anyOf);
  return {
    must: must.length > 0 ? must.join(' AND ') : null,
    mustNot: mustNot.length > 0 ? mustNot.join(' OR ') : null,
  };
}

export class SqliteTextSearch implements TextSearch {
  constructor(private readonly db: Kysely<Database>) {}

  async find(query: TextQuery): Promise<TextMatches> {
    const { must, mustNot } = ftsExpression(query);
    if (must === null) {
      // FTS5's NOT needs something on its left: the excluded works are left out by the engine instead.
      if (mustNot === null) return { kind: 'excluding', workIds: new Uint32Array(0) };
      const excluded = await sql<{ id: number }>`
        select rowid as id from work_search_fts where work_search_fts match ${mustNot}`.execute(this.db);
      return { kind: 'excluding', workIds: Uint32Array.from(excluded.rows, (row) => row.id) };
    }
    const expression = mustNot === null ? must : `(${must}) NOT (${mustNot})`;
    // bm25 is lower for better matches; the engine sorts higher scores first.
    const result = await sql<{ id: number; score: number }>`
      select rowid as id, -bm25(work_search_fts, ${COLUMN_WEIGHTS}) as score
      from work_search_fts where work_search_fts match ${expression}`.execute(this.db);
    const workIds = new Uint32Array(result.rows.length);
    const scores = new Float64Array(result.rows.length);
    result.rows.forEach((row, index) => {
      workIds[index] = row.id;
      scores[index] = row.score;
    });
    return { kind: 'matching', workIds, scores };
  }
}
