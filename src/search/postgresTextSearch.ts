import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { searchableClauses, type TextMatches, type TextSearch } from './textSearch.ts';
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

  async find(query: TextQuery): Promise<TextMatches> {
    const must = searchableClauses(query.must).map(anyOf);
    const mustNot = searchableClauses(query.mustNot).map(anyOf);
    if (must.length === 0) {
      if (mustNot.length === 0) return { kind: 'excluding', workIds: new Uint32Array(0) };
      const excluded = await sql<{ id: number }>`
        select work_id as id from work_search_texts
        where document @@ (${sql.join(mustNot, sql` || `)})`.execute(this.db);
      return { kind: 'excluding', workIds: Uint32Array.from(excluded.rows, (row) => row.id) };
    }
    const wanted = sql.join(must, sql` && `);
    const tsquery = mustNot.length > 0 ? sql`(${wanted}) && !!(${sql.join(mustNot, sql` || `)})` : wanted;
    const result = await sql<{ id: number; score: number }>`
      select work_id as id, ts_rank(${WEIGHTS}, document, query) as score
      from work_search_texts, (select ${tsquery} as query) as wanted
      where document @@ query`.execute(this.db);
    const workIds = new Uint32Array(result.rows.length);
    const scores = new Float64Array(result.rows.length);
    result.rows.forEach((row, index) => {
      workIds[index] = row.id;
      scores[index] = row.score;
    });
    return { kind: 'matching', workIds, scores };
  }
}
