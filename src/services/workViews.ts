import type { Kysely } from 'kysely';
import type { Database, WorkRow } from '../db/schema.ts';
import type { CommentPolicy } from '../domain/commentRules.ts';
import type { TagType } from '../domain/vocabulary.ts';

// The read models the web layer and the API render: plain objects, already grouped for display.

export interface CreatorCredit {
  pseud: string;
  username: string;
  userId: number;
}

export interface WorkTags {
  rating: string;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
}

export interface WorkSummary extends WorkTags {
  id: number;
  title: string;
  summary: string;
  notes: string;
  endNotes: string;
  language: string;
  complete: boolean;
  expectedChapters: number | null;
  wordCount: number;
  chapterCount: number;
  kudosCount: number;
  commentsCount: number;
  bookmarksCount: number;
  hits: number;
  restricted: boolean;
  draft: boolean;
  creators: CreatorCredit[];
  publishedAt: string | null;
  updatedAt: string;
  revisedAt: string;
  /** For imported works: where they came from, and the original creators credited instead of the importer. */
  importedFrom: string | null;
  importedCreators: string[];
  /** Who may comment, and whether new comments wait for a creator's approval. */
  commentPolicy: CommentPolicy;
  moderateComments: boolean;
}

const TAG_LIST_BY_TYPE: Record<Exclude<TagType, 'rating'>, keyof Omit<WorkTags, 'rating'>> = {
  warning: 'warnings',
  category: 'categories',
  fandom: 'fandoms',
  relationship: 'relationships',
  character: 'characters',
  freeform: 'freeforms',
};

function emptyTags(): WorkTags {
  return {
    rating: 'Not Rated',
    warnings: [],
    categories: [],
    fandoms: [],
    relationships: [],
    characters: [],
    freeforms: [],
  };
}

/** Turns work rows into summaries, loading the tags and creators of all of them in two queries. */
export async function summariseWorks(db: Kysely<Database>, works: WorkRow[]): Promise<WorkSummary[]> {
  if (works.length === 0) return [];
  const ids = works.map((work) => work.id);
  const [tagRows, creatorRows] = await Promise.all([
    db
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select(['work_tags.work_id', 'tags.name', 'tags.type'])
      .where('work_tags.work_id', 'in', ids)
      .orderBy('work_tags.work_id')
      .orderBy('work_tags.position')
      .execute(),
    db
      .selectFrom('work_creators')
      .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
      .innerJoin('users', 'users.id', 'pseuds.user_id')
      .select(['work_creators.work_id', 'pseuds.name as pseud', 'users.username', 'users.id as userId'])
      .where('work_creators.work_id', 'in', ids)
      .orderBy('work_creators.work_id')
      .orderBy('work_creators.position')
      .execute(),
  ]);
  const tagsByWork = new Map<number, WorkTags>();
  for (const row of tagRows) {
    const tags = tagsByWork.get(row.work_id) ?? emptyTags();
    tagsByWork.set(row.work_id, tags);
    if (row.type === 'rating') tags.rating = row.name;
    else tags[TAG_LIST_BY_TYPE[row.type as Exclude<TagType, 'rating'>]]?.push(row.name);
  }
  const creatorsByWork = new Map<number, CreatorCredit[]>();
  for (const row of creatorRows) {
    const creators = creatorsByWork.get(row.work_id) ?? [];
    creatorsByWork.set(row.work_id, creators);
    creators.push({ pseud: row.pseud, username: row.username, userId: row.userId });
  }
  return works.map((work) => ({
    id: work.id,
    title: work.title,
    summary: work.summary,
    notes: work.notes,
    endNotes: work.end_notes,
    language: work.language,
    complete: work.complete === 1,
    expectedChapters: work.expected_chapters,
    wordCount: work.word_count,
    chapterCount: work.chapter_count,
    kudosCount: work.kudos_count,
    commentsCount: work.comments_count,
    bookmarksCount: work.bookmarks_count,
    hits: work.hits,
    restricted: work.restricted === 1,
    draft: work.draft === 1,
    creators: creatorsByWork.get(work.id) ?? [],
    publishedAt: work.published_at,
    updatedAt: work.updated_at,
    revisedAt: work.revised_at,
    importedFrom: work.imported_from,
    importedCreators: work.imported_creators ? work.imported_creators.split(', ') : [],
    commentPolicy: work.comment_policy,
    moderateComments: work.moderate_comments === 1,
    ...(tagsByWork.get(work.id) ?? emptyTags()),
  }));
}
