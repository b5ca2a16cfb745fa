import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../src/db/database.ts';
import type { Corpus } from './corpus.ts';
import { mixSeed, Random } from './random.ts';
import * as words from './words.ts';

// The listings the benchmark times, each with the straightforward SQL a developer would write for its
// core query (the floor the engine is measured against). Parameters come from the corpus generator's
// own tags and words, so every run on one corpus asks the same questions; and every iteration asks a
// question the engine has not seen in this process (another phrase, another cut-off day), so a timed
// answer never comes out of a cache filled by an earlier iteration. The runner times a repeat apart.

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

/** Common phrases are "<preposition> the <noun>" from the most common of each: in about 1–40% of works. */
const PHRASE_PREPOSITIONS = 4;
const PHRASE_NOUNS = 16;
/** Two-word searches pair the most common nouns: each pair is in roughly 20–99% of works. */
const PAIRED_NOUNS = 12;
/** Fandoms the fandom scenarios cycle through: the largest few (about 10%, 5%, 3.5%, 2.7% of works). */
const BIG_FANDOMS = 4;
const DEEP_PAGES = 50;
const PAGE = 20;
/** The corpus's last update day: "updated on or before" cut-offs count back from it, one day per question. */
const LAST_DAY = Date.UTC(2025, 4, 31);

/** The cut-off that makes iteration `n`'s question new: the day n days before the corpus's last. */
function cutoff(iteration: number): { day: string; end: string } {
  const day = new Date(LAST_DAY - iteration * 86_400_000).toISOString().slice(0, 10);
  return { day, end: `${day}T23:59:59.999Z` };
}

const VISIBLE = sql.raw('w.draft = 0 and w.restricted = 0');

/** How many distinct questions a scenario can ask before it repeats one. */
export const DISTINCT_QUESTIONS = Math.min(
  PHRASE_PREPOSITIONS * PHRASE_NOUNS,
  (PAIRED_NOUNS * (PAIRED_NOUNS - 1)) / 2,
);

export function benchScenarios(corpus: Corpus, dialect: DialectName): Scenario[] {
  const fandom = (iteration: number) => corpus.fandoms[iteration % BIG_FANDOMS];
  const freeform = (rank: number) => corpus.tag(corpus.freeformsByRank[rank]);
  const textOrder = textOrdering(dialect);
  // A small corpus's smaller big fandoms hold fewer works than the deep page lies past.
  const deepEnough = (share: number) => share * corpus.workCount * 0.9 > 1.25 * (DEEP_PAGES + 1) * PAGE;
  const deepFandoms = corpus.fandoms.slice(0, BIG_FANDOMS).filter((each) => deepEnough(each.share));
  if (deepFandoms.length === 0) deepFandoms.push(corpus.fandoms[0]);

  return [
    {
      name: 'tag by kudos',
      description: `one big fandom (the ${BIG_FANDOMS} largest in turn) updated up to a cut-off day, top ${PAGE} by kudos, with facets and total`,
      rawDescription:
        'join work_filter_tags → works, updated_at ≤ cut-off, ORDER BY kudos_count DESC LIMIT 20',
      request: (iteration) => ({
        params: { include: fandom(iteration).name, updated_to: cutoff(iteration).day, sort: 'kudos' },
        raw: sql`select w.id from work_filter_tags f join works w on w.id = f.work_id
          where f.tag_id = ${fandom(iteration).tagId} and ${VISIBLE} and w.updated_at <= ${cutoff(iteration).end}
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
        const from = [1000, 5000, 500][iteration % 3] + 10 * iteration;
        const to = [50_000, 100_000, 20_000][iteration % 3];
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
        'the largest fandom updated up to a cut-off day, newest first: what the sidebar counts (top 10 tags of each type)',
      rawDescription: 'self-join work_filter_tags GROUP BY tag_id, top 10 per tag type (window function)',
      request: (iteration) => ({
        params: { include: corpus.fandoms[0].name, updated_to: cutoff(iteration).day },
        raw: sql`select type, tag_id, n from (
            select t.type, c.tag_id, c.n, row_number() over (partition by t.type order by c.n desc, c.tag_id) as r
            from (
              select o.tag_id, count(*) as n from work_filter_tags f
              join works w on w.id = f.work_id
              join work_filter_tags o on o.work_id = f.work_id
              where f.tag_id = ${corpus.fandoms[0].tagId} and ${VISIBLE} and w.updated_at <= ${cutoff(iteration).end}
              group by o.tag_id
            ) c join tags t on t.id = c.tag_id where t.merger_id is null
          ) ranked where r <= 10`,
      }),
    },
    {
      name: 'phrase, common',
      description:
        'a quoted phrase such as "at the door" (a different one each time; in about 1–40% of works), by relevance',
      rawDescription: textOrder.description,
      request: (iteration) => {
        const preposition = words.PREPOSITIONS[iteration % PHRASE_PREPOSITIONS];
        const noun = words.NOUNS[Math.floor(iteration / PHRASE_PREPOSITIONS) % PHRASE_NOUNS];
        const phrase = `${preposition} the ${noun}`;
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
      description:
        'two of the commonest nouns (a different pair each time; together in 20–99% of works), by relevance',
      rawDescription: textOrder.description,
      request: (iteration) => {
        const pair = nounPair(iteration);
        return { params: { q: pair.join(' ') }, raw: textOrder.query({ words: pair }) };
      },
    },
    {
      name: 'deep page',
      description: `page ${DEEP_PAGES + 1} of a big fandom (the largest ${deepFandoms.length} in turn) by kudos, reached by following cursors (only the last page is timed)`,
      rawDescription: 'the keyset twin: (kudos_count, id) < (position after 1,000 works), LIMIT 20',
      request: (iteration) => {
        const deepFandom = deepFandoms[iteration % deepFandoms.length];
        const tagId = deepFandom.tagId;
        const position = sql`(select w.kudos_count as kudos, w.id from work_filter_tags f join works w on w.id = f.work_id
          where f.tag_id = ${tagId} and ${VISIBLE}
          order by w.kudos_count desc, w.id desc limit 1 offset ${DEEP_PAGES * PAGE - 1})`;
        return {
          params: { include: deepFandom.name, sort: 'kudos' },
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
      description:
        'every visible work updated up to a cut-off day, newest first, with facets over the whole archive',
      rawDescription: 'works WHERE visible AND updated_at ≤ cut-off ORDER BY updated_at DESC LIMIT 20',
      request: (iteration) => ({
        params: { sort: 'updated', updated_to: cutoff(iteration).day },
        raw: sql`select w.id from works w where ${VISIBLE} and w.updated_at <= ${cutoff(iteration).end}
          order by w.updated_at desc, w.id desc limit ${PAGE}`,
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
    description:
      "document @@ phraseto_tsquery('simple', …) joined to works, ORDER BY ts_rank (same weights) DESC LIMIT 20",
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

/** The iteration's pair of common nouns, every pair once before any repeats. */
function nounPair(iteration: number): [string, string] {
  const pairs: Array<[string, string]> = [];
  for (let first = 0; first < PAIRED_NOUNS; first++) {
    for (let second = first + 1; second < PAIRED_NOUNS; second++)
      pairs.push([words.NOUNS[first], words.NOUNS[second]]);
  }
  return pairs[iteration % pairs.length];
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
