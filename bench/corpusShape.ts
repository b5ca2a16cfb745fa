import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import type { Corpus } from './corpus.ts';

// The loaded corpus as measured in the database (not as the generator intends it): what the README
// quotes when it says what the figures were measured on.

export interface CorpusShape {
  works: number;
  /** Posted and unrestricted: what a guest's listings start from. */
  visibleWorks: number;
  tags: number;
  synonyms: number;
  metaLinks: number;
  tagsPerWork: number;
  filterTagsPerWork: number;
  largestFandomShare: number;
  /** The most common freeforms and the share of works found under each. */
  commonFreeforms: Array<{ name: string; share: number }>;
  crossoverShare: number;
  medianWords: number;
  maxWords: number;
}

export async function measureShape(db: Kysely<Database>, corpus: Corpus): Promise<CorpusShape> {
  const count = async (query: ReturnType<typeof sql<{ n: number | string }>>): Promise<number> =>
    Number((await query.execute(db)).rows[0].n);
  const works = await count(sql`select count(*) as n from works`);
  const underTag = (tagId: number) =>
    count(sql`select count(*) as n from work_filter_tags where tag_id = ${tagId}`);
  const commonFreeforms = [];
  for (const tagId of corpus.freeformsByRank.slice(0, 4)) {
    commonFreeforms.push({ name: corpus.tag(tagId).name, share: (await underTag(tagId)) / works });
  }
  return {
    works,
    visibleWorks: await count(sql`select count(*) as n from works where draft = 0 and restricted = 0`),
    tags: await count(sql`select count(*) as n from tags`),
    synonyms: await count(sql`select count(*) as n from tags where merger_id is not null`),
    metaLinks: await count(sql`select count(*) as n from tag_parents where kind = 'meta'`),
    tagsPerWork: (await count(sql`select count(*) as n from work_tags`)) / works,
    filterTagsPerWork: (await count(sql`select count(*) as n from work_filter_tags`)) / works,
    largestFandomShare: (await underTag(corpus.fandoms[0].tagId)) / works,
    commonFreeforms,
    crossoverShare:
      (await count(sql`select count(*) as n from (
        select wt.work_id from work_tags wt join tags t on t.id = wt.tag_id
        where t.type = 'fandom' group by wt.work_id having count(*) > 1) crossovers`)) / works,
    medianWords: await count(
      sql`select word_count as n from works order by word_count limit 1 offset ${Math.floor(works / 2)}`,
    ),
    maxWords: await count(sql`select max(word_count) as n from works`),
  };
}
