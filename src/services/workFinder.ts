import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { TAG_TYPES, type TagType } from '../domain/vocabulary.ts';
import { tagKey } from '../domain/workRules.ts';
import { highlightSnippet, type SnippetPart } from '../search/snippets.ts';
import type { TextQuery, WorkFacets, WorkQuery, WorkSearch, WorkSearchScope } from '../search/workSearch.ts';
import { summariseWorks, type WorkSummary } from './workViews.ts';

// One page of a works listing as readers see it: the search engine picks and orders the works, this
// turns them into summaries and, for a text search, shows where each one matched.

export type Snippet = SnippetPart[];

export interface FoundWork {
  work: WorkSummary;
  /** The passage of the summary (or else the chapter text) that matched a text search. */
  snippet: Snippet | null;
}

export interface FoundWorks {
  works: FoundWork[];
  total: number;
  nextCursor: string | null;
  facets: WorkFacets;
  unknownTags: string[];
}

export async function findWorks(
  db: Kysely<Database>,
  search: WorkSearch,
  viewer: Viewer | null,
  query: WorkQuery,
  scope: WorkSearchScope,
  { limit = 20, snippets = true }: { limit?: number; snippets?: boolean } = {},
): Promise<FoundWorks> {
  const page = await search.findWorks({ viewer, query, scope, limit });
  const ids = page.workIds;
  const rows =
    ids.length === 0 ? [] : await db.selectFrom('works').selectAll().where('id', 'in', ids).execute();
  const position = new Map(ids.map((id, index) => [id, index]));
  rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  const summaries = await summariseWorks(db, rows);
  const passages =
    snippets && query.text ? await matchedPassages(db, ids, query.text) : new Map<number, Snippet>();
  return {
    works: summaries.map((work) => ({ work, snippet: passages.get(work.id) ?? null })),
    total: page.total,
    nextCursor: page.nextCursor,
    facets: page.facets,
    unknownTags: page.unknownTags,
  };
}

/** The summary's passage where it matched, else the chapter text's; bodies are read only when needed. */
async function matchedPassages(
  db: Kysely<Database>,
  workIds: number[],
  text: TextQuery,
): Promise<Map<number, Snippet>> {
  const found = new Map<number, Snippet>();
  if (workIds.length === 0) return found;
  const summaries = await db
    .selectFrom('work_search_texts')
    .select(['work_id', 'summary'])
    .where('work_id', 'in', workIds)
    .execute();
  for (const row of summaries) {
    const snippet = highlightSnippet(row.summary, text);
    if (snippet) found.set(row.work_id, snippet);
  }
  const unmatched = workIds.filter((id) => !found.has(id));
  if (unmatched.length === 0) return found;
  const bodies = await db
    .selectFrom('work_search_texts')
    .select(['work_id', 'body'])
    .where('work_id', 'in', unmatched)
    .execute();
  for (const row of bodies) {
    const snippet = highlightSnippet(row.body, text);
    if (snippet) found.set(row.work_id, snippet);
  }
  return found;
}

export interface ChosenTag {
  /** As filters know it: a synonym's canonical tag. */
  name: string;
  type: TagType;
  /** As the reader wrote it. */
  typed: string;
}

/**
 * The tags a reader included or excluded, as filters know them, so the sidebar can show each one
 * ticked under its type. Names that are no tag here are left out.
 */
export async function chosenTags(
  db: Kysely<Database>,
  query: Pick<WorkQuery, 'includeTags' | 'excludeTags'>,
): Promise<{ include: ChosenTag[]; exclude: ChosenTag[] }> {
  const keys = [...new Set([...query.includeTags, ...query.excludeTags].map(tagKey))];
  if (keys.length === 0) return { include: [], exclude: [] };
  const rows = await db
    .selectFrom('tags')
    .leftJoin('tags as canonical', 'canonical.id', 'tags.merger_id')
    .select(['tags.name_key', 'tags.name', 'tags.type', 'canonical.name as canonicalName'])
    .where('tags.name_key', 'in', keys)
    .execute();
  const byKey = new Map(
    rows
      .filter((row) => (TAG_TYPES as readonly string[]).includes(row.type))
      .map((row) => [row.name_key, { name: row.canonicalName ?? row.name, type: row.type as TagType }]),
  );
  const known = (names: string[]) =>
    names.flatMap((typed) => {
      const tag = byKey.get(tagKey(typed));
      return tag ? [{ ...tag, typed }] : [];
    });
  return { include: known(query.includeTags), exclude: known(query.excludeTags) };
}
