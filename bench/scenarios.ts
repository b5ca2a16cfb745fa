import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../src/db/database.ts';
import type { Corpus } from './corpus.ts';
import { mixSeed, Random } from './random.ts';

// The listings the benchmark times, each with the straightforward SQL a developer would write for its
// core query (the floor the engine is measured against). Parameters vary per iteration, chosen from
// the corpus generator's own tags, so every run of one corpus asks the same questions.

/** One timed request: the listing's address as a reader would type it, and its raw-SQL twin. */
export interface ScenarioRequest {
  /** Query-string parameters, read by the same parser pages and the API use. */
  params: Record<string, string>;
  raw: RawBuilder<unknown>;
  /** Pages to follow (untimed) before the timed one. */
  skipPages?: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** What the raw-SQL floor runs. */
  rawDescription: string;
  request(iteration: number): ScenarioRequest;
}

/** Phrases in 2–60% of works (body text is drawn from Zipf-weighted word lists). */
const COMMON_PHRASES = [
  'looked at the',
  'at the door',
  'the old door',
  'turned toward the',
  'looked at the door',
];
/** Pairs of the commonest nouns: each pair is in 40–99% of works. */
const COMMON_WORD_PAIRS = [
  ['door', 'light'],
  ['hand', 'window'],
  ['room', 'voice'],
  ['night', 'morning'],
];
/** Fandoms the fandom scenarios cycle through: the largest few (about 10%, 5%, 3.5%, 2.7% of works). */
const BIG_FANDOMS = 4;
const DEEP_PAGES = 50;
const PAGE = 20;

const VISIBLE = sql.raw('w.draft = 0 and w.restricted = 0');

export function benchScenarios(corpus: Corpus, dialect: DialectName): Scenario[] {
  const fandom = (iteration: number) => corpus.fandoms[iteration % BIG_FANDOMS];
  const freeform = (rank: number) => corpus.tag(corpus.freeformsByRank[rank]);
  const textOrder = textOrdering(dialect);

  return [
    {
      name: 'tag by kudos',
      description: `one big fandom (the ${BIG_FANDOMS} largest in turn), top ${PAGE} by kudos, with facets and total`,
      rawDescription: 'join work_filter_tags → works, ORDER BY kudos_count DESC LIMIT 20',
      request: (iteration) => ({
        params: { include: fandom(iteration).name, sort: 'kudos' },
        raw: sql`select w.id from work_filter_tags f join works w on w.id = f.work_id
          where f.tag_id = ${fandom(iteration).tagId} and ${VISIBLE}
          order by w.kudos_count desc, w.id desc limit ${PAGE}`,
      }),
    },
    {
      name: 'include 2, exclude 1, words',
      description:
        'a big fandom + a common freeform included, another common freeform excluded, a word-count range, top 20 by kudos, with facets',
      rawDescription: 'two joins + NOT EXISTS + word_count BETWEEN, ORDER BY kudos_count DESC LIMIT 20',
      request: (iteration) => {
        const included = freeform(1 + (iteration % 3));
        const excluded = freeform(1 + ((iteration + 1) % 3));
        const [from, to] = [
          [1000, 50_000],
          [5000, 100_000],
          [500, 20_000],
        ][iteration % 3];
        return {
          params: {
            include: `${fandom(iteration).name},${included.name}`,
            exclude: excluded.name,
            words_from: String(from),
            words_to: String(to),
            sort: 'kudos',
          },
          raw: sql`select w.id from works w
            join work_filter_tags a on a.work_id = w.id and a.tag_id = ${fandom(iteration).tagId}
            join work_filter_tags b on b.work_id = w.id and b.tag_id = ${included.id}
            where ${VISIBLE} and w.word_count between ${from} and ${to}
              and not exists (select 1 from work_filter_tags x where x.work_id = w.id and x.tag_id = ${excluded.id})
            order by w.kudos_count desc, w.id desc limit ${PAGE}`,
        };
      },
    },
    {
      name: 'facets, largest fandom',
      description:
        'the largest fandom listed newest first: what the sidebar counts (top 10 tags of each type)',
      rawDescription: 'self-join work_filter_tags GROUP BY tag_id, top 10 per tag type (window function)',
      request: () => ({
        params: { include: corpus.fandoms[0].name },
        raw: sql`select type, tag_id, n from (
            select t.type, c.tag_id, c.n, row_number() over (partition by t.type order by c.n desc, c.tag_id) as r
            from (
              select o.tag_id, count(*) as n from work_filter_tags f
              join works w on w.id = f.work_id
              join work_filter_tags o on o.work_id = f.work_id
              where f.tag_id = ${corpus.fandoms[0].tagId} and ${VISIBLE}
              group by o.tag_id
            ) c join tags t on t.id = c.tag_id where t.merger_id is null
          ) ranked where r <= 10`,
      }),
    },
    {
      name: 'phrase, common',
      description: `a quoted phrase found in 2–60% of works (${COMMON_PHRASES.length} in turn), by relevance`,
      rawDescription: textOrder.description,
      request: (iteration) => {
        const phrase = COMMON_PHRASES[iteration % COMMON_PHRASES.length];
        return { params: { q: `"${phrase}"` }, raw: textOrder.query({ phrase }) };
      },
    },
    {
      name: 'phrase, rare',
      description:
        'four consecutive words from one generated work (a different visible work each time), by relevance',
      rawDescription: textOrder.description,
      request: (iteration) => {
        const phrase = rarePhrase(corpus, iteration);
        return { params: { q: `"${phrase}"` }, raw: textOrder.query({ phrase }) };
      },
    },
    {
      name: 'two common words',
      description: 'two of the commonest words (in 40–99% of works), ranked by relevance',
      rawDescription: textOrder.description,
      request: (iteration) => {
        const words = COMMON_WORD_PAIRS[iteration % COMMON_WORD_PAIRS.length];
        return { params: { q: words.join(' ') }, raw: textOrder.query({ words }) };
      },
    },
    {
      name: 'deep page',
      description: `page ${DEEP_PAGES + 1} of a big fandom by kudos, reached by following cursors (only the last page is timed)`,
      rawDescription: 'the keyset twin: (kudos_count, id) < (position after 1,000 works), LIMIT 20',
      request: (iteration) => {
        const tagId = fandom(iteration).tagId;
        const position = sql`(select w.kudos_count as kudos, w.id from work_filter_tags f join works w on w.id = f.work_id
          where f.tag_id = ${tagId} and ${VISIBLE}
          order by w.kudos_count desc, w.id desc limit 1 offset ${DEEP_PAGES * PAGE - 1})`;
        return {
          params: { include: fandom(iteration).name, sort: 'kudos' },
          skipPages: DEEP_PAGES,
          raw: sql`select w.id from work_filter_tags f join works w on w.id = f.work_id, ${position} p
            where f.tag_id = ${tagId} and ${VISIBLE}
              and (w.kudos_count < p.kudos or (w.kudos_count = p.kudos and w.id < p.id))
            order by w.kudos_count desc, w.id desc limit ${PAGE}`,
        };
      },
    },
    {
      name: 'all works, newest',
      description: 'every visible work, newest update first, with facets over the whole archive',
      rawDescription: 'works WHERE draft = 0 AND restricted = 0 ORDER BY updated_at DESC LIMIT 20',
      request: () => ({
        params: { sort: 'updated' },
        raw: sql`select w.id from works w where ${VISIBLE} order by w.updated_at desc, w.id desc limit ${PAGE}`,
      }),
    },
  ];
}

/** The ranked full-text query as written by hand: FTS5 MATCH with bm25, or tsvector @@ with ts_rank. */
function textOrdering(dialect: DialectName): {
  description: string;
  query(text: { phrase: string } | { words: string[] }): RawBuilder<unknown>;
} {
  if (dialect === 'sqlite') {
    return {
      description: 'FTS5 MATCH joined to works, ORDER BY bm25 (same column weights) LIMIT 20',
      query: (text) => {
        const match =
          'phrase' in text ? `"${text.phrase}"` : text.words.map((word) => `"${word}"`).join(' AND ');
        return sql`select w.id from work_search_fts s join works w on w.id = s.rowid
          where work_search_fts match ${match} and ${VISIBLE}
          order by bm25(work_search_fts, 10.0, 5.0, 5.0, 3.0, 1.0), w.id desc limit ${PAGE}`;
      },
    };
  }
  return {
    description: "document @@ phraseto_tsquery('simple', …) joined to works, ORDER BY ts_rank (same weights) DESC LIMIT 20",
    query: (text) => {
      const wanted =
        'phrase' in text
          ? sql`phraseto_tsquery('simple', ${text.phrase})`
          : sql`plainto_tsquery('simple', ${text.words.join(' ')})`;
      return sql`select w.id from work_search_texts s join works w on w.id = s.work_id, ${wanted} q
        where s.document @@ q and ${VISIBLE}
        order by ts_rank('{0.1, 0.3, 0.5, 1.0}', s.document, q) desc, w.id desc limit ${PAGE}`;
    },
  };
}

/** Four consecutive words of one sentence of a generated work, chosen by the iteration. */
function rarePhrase(corpus: Corpus, iteration: number): string {
  const random = new Random(mixSeed(corpus.seed ^ 0x9a11, iteration));
  for (;;) {
    const work = corpus.work(1 + random.int(corpus.workCount));
    if (work.draft || work.restricted) continue;
    const clauses = work.chapters[0].text
      .toLowerCase()
      .split(/[.,"]/)
      .map((clause) => clause.trim().split(/\s+/))
      .filter((clause) => clause.length >= 4);
    if (clauses.length === 0) continue;
    const clause = random.pick(clauses);
    const start = random.int(clause.length - 3);
    return clause.slice(start, start + 4).join(' ');
  }
}
