import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  parseIdList,
  parseScoreList,
  searchableClauses,
  type TextMatches,
  type TextSearch,
} from './textSearch.ts';
import type { TextAlternative, TextQuery } from './workSearch.ts';

// tsvector search over work_search_texts.document. Each word or phrase reaches PostgreSQL as a bound
// parameter of phraseto_tsquery, which reads it as plain words (never as tsquery operators); the
// operators between them are ours.

/** ts_rank's weights for D (body), C (summary), B (creators, tags), A (title), as bm25's on SQLite. */
const WEIGHTS = sql.raw(`'{0.1, 0.3, 0.5, 1.0}'`);

function lexemes(alternative: TextAlternative): RawBuilder<unknown> {
  const text = alternative.kind === 'word' ? alternative.word : alternative.words.join(' ');
  return sql`phraseto_tsquery('simple', ${text})`;
}

function anyOf(alternatives: TextAlternative[]): RawBuilder<unknown> {
  return sql`(${sql.join(alternatives.map(lexemes), sql` || `)})`;
}

export class PostgresTextSearch implements TextSearch {
  constructor(private readonly db: Kysely<Database>) {}

  async find(query: TextQuery, scored: boolean): Promise<TextMatches> {
    const must = searchableClauses(query.must).map(anyOf);
    const mustNot = searchableClauses(query.mustNot).map(anyOf);
    if (must.length === 0) {
      if (mustNot.length === 0) return { kind: 'excluding', workIds: new Uint32Array(0) };
      const excluded = await sql<{ ids: string | null }>`
        select string_agg(work_id::text, ',') as ids from work_search_texts
        where document @@ (${sql.join(mustNot, sql` || `)})`.execute(this.db);
      return { kind: 'excluding', workIds: parseIdList(excluded.rows[0]?.ids ?? null) };
    }
    const wanted = sql.join(must, sql` && `);
    const tsquery = mustNot.length > 0 ? sql`(${wanted}) && !!(${sql.join(mustNot, sql` || `)})` : wanted;
    // ts_rank reads every matching document again: only when sorting by relevance.
    const score = scored ? sql`ts_rank(${WEIGHTS}, document, query)` : sql`0`;
    const result = await sql<{ ids: string | null; scores: string | null }>`
      select string_agg(id::text, ',') as ids, string_agg(score::text, ',') as scores from (
        select work_id as id, ${score} as score
        from work_search_texts, (select ${tsquery} as query) as wanted
        where document @@ query
      ) as matched`.execute(this.db);
    const workIds = parseIdList(result.rows[0]?.ids ?? null);
    return {
      kind: 'matching',
      workIds,
      scores: parseScoreList(result.rows[0]?.scores ?? null, workIds.length),
    };
  }
}
