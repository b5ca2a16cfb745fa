import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  parseIdList,
  parseScoreList,
  searchableClauses,
  type TextMatches,
  type TextSearch,
} from './textSearch.ts';
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
function ftsExpression(query: TextQuery): { must: string | null; mustNot: string | null } {
  const must = searchableClauses(query.must).map(anyOf);
  const mustNot = searchableClauses(query.mustNot).map(anyOf);
  return {
    must: must.length > 0 ? must.join(' AND ') : null,
    mustNot: mustNot.length > 0 ? mustNot.join(' OR ') : null,
  };
}

export class SqliteTextSearch implements TextSearch {
  constructor(private readonly db: Kysely<Database>) {}

  async find(query: TextQuery, scored: boolean): Promise<TextMatches> {
    const { must, mustNot } = ftsExpression(query);
    if (must === null) {
      // FTS5's NOT needs something on its left: the excluded works are left out by the engine instead.
      if (mustNot === null) return { kind: 'excluding', workIds: new Uint32Array(0) };
      const excluded = await sql<{ ids: string | null }>`
        select group_concat(rowid) as ids from work_search_fts where work_search_fts match ${mustNot}`.execute(
        this.db,
      );
      return { kind: 'excluding', workIds: parseIdList(excluded.rows[0]?.ids ?? null) };
    }
    const expression = mustNot === null ? must : `(${must}) NOT (${mustNot})`;
    if (!scored) {
      const result = await sql<{ ids: string | null }>`
        select group_concat(rowid) as ids from work_search_fts where work_search_fts match ${expression}`.execute(
        this.db,
      );
      const workIds = parseIdList(result.rows[0]?.ids ?? null);
      return { kind: 'matching', workIds, scores: new Float64Array(workIds.length) };
    }
    // bm25 is lower for better matches; the engine sorts higher scores first. (`limit -1` keeps the
    // subquery from being merged into the aggregate, where FTS5 cannot compute bm25.)
    const result = await sql<{ ids: string | null; scores: string | null }>`
      select group_concat(id) as ids, group_concat(score) as scores from (
        select rowid as id, -bm25(work_search_fts, ${COLUMN_WEIGHTS}) as score
        from work_search_fts where work_search_fts match ${expression} limit -1
      )`.execute(this.db);
    const workIds = parseIdList(result.rows[0]?.ids ?? null);
    return {
      kind: 'matching',
      workIds,
      scores: parseScoreList(result.rows[0]?.scores ?? null, workIds.length),
    };
  }
}
