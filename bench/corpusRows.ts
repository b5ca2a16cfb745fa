import { CORPUS_EPOCH, type Corpus, type CorpusWork } from './corpus.ts';

// The corpus as table rows, in one column order both loaders share. Each row is what the services
// would have written for the same work: the filter closure as rebuildFilterTags computes it and the
// search text as writeWorkSearchTexts assembles it (the loader checks a sample against both).

/** A column and the PostgreSQL array type its values travel in. */
type Column = readonly [name: string, postgresType: 'int' | 'text' | 'timestamptz'];

export interface TableSpec {
  name: string;
  columns: readonly Column[];
}

const timestamp = (name: string): Column => [name, 'timestamptz'];
const int = (name: string): Column => [name, 'int'];
const text = (name: string): Column => [name, 'text'];

export const TABLES = {
  users: {
    name: 'users',
    columns: [
      int('id'),
      text('username'),
      text('username_key'),
      text('email'),
      text('email_key'),
      text('password_hash'),
      timestamp('created_at'),
    ],
  },
  pseuds: {
    name: 'pseuds',
    columns: [
      int('id'),
      int('user_id'),
      text('name'),
      text('name_key'),
      int('is_default'),
      timestamp('created_at'),
    ],
  },
  tags: {
    name: 'tags',
    columns: [
      int('id'),
      text('name'),
      text('name_key'),
      text('type'),
      int('canonical'),
      int('merger_id'),
      timestamp('created_at'),
    ],
  },
  tagParents: { name: 'tag_parents', columns: [int('parent_id'), int('child_id'), text('kind')] },
  works: {
    name: 'works',
    columns: [
      int('id'),
      text('title'),
      text('summary'),
      text('language'),
      int('complete'),
      int('expected_chapters'),
      int('restricted'),
      int('draft'),
      int('word_count'),
      int('chapter_count'),
      int('kudos_count'),
      int('comments_count'),
      int('bookmarks_count'),
      int('hits'),
      timestamp('created_at'),
      timestamp('published_at'),
      timestamp('updated_at'),
      timestamp('revised_at'),
    ],
  },
  workCreators: { name: 'work_creators', columns: [int('work_id'), int('pseud_id'), int('position')] },
  chapters: {
    name: 'chapters',
    columns: [
      int('id'),
      int('work_id'),
      int('position'),
      text('title'),
      text('body'),
      int('word_count'),
      timestamp('created_at'),
      timestamp('updated_at'),
    ],
  },
  workTags: { name: 'work_tags', columns: [int('work_id'), int('tag_id'), int('position')] },
  workFilterTags: { name: 'work_filter_tags', columns: [int('work_id'), int('tag_id')] },
  workSearchTexts: {
    name: 'work_search_texts',
    columns: [int('work_id'), text('title'), text('creators'), text('tags'), text('summary'), text('body')],
  },
} as const satisfies Record<string, TableSpec>;

export type TableKey = keyof typeof TABLES;
export type Row = Array<string | number | null>;

/** The tables a batch of works fills, in the order they are written. */
export const WORK_TABLES: readonly TableKey[] = [
  'works',
  'workCreators',
  'chapters',
  'workTags',
  'workFilterTags',
  'workSearchTexts',
];

export function tagRows(corpus: Corpus): Row[] {
  return corpus.tags.map((tag) => [
    tag.id,
    tag.name,
    tag.name.toLowerCase(),
    tag.type,
    tag.canonical ? 1 : 0,
    tag.mergerId,
    CORPUS_EPOCH,
  ]);
}

export function tagParentRows(corpus: Corpus): Row[] {
  return corpus.parents.map((parent) => [parent.parentId, parent.childId, parent.kind]);
}

/** Users `first` to `last` (inclusive) with their default pseuds, which share their ids. */
export function userRows(
  corpus: Corpus,
  first: number,
  last: number,
  passwordHash: string,
): { users: Row[]; pseuds: Row[] } {
  const users: Row[] = [];
  const pseuds: Row[] = [];
  for (let id = first; id <= last; id++) {
    const { username } = corpus.user(id);
    const key = username.toLowerCase();
    users.push([
      id,
      username,
      key,
      `${username}@bench.invalid`,
      `${key}@bench.invalid`,
      passwordHash,
      CORPUS_EPOCH,
    ]);
    pseuds.push([id, id, username, key, 1, CORPUS_EPOCH]);
  }
  return { users, pseuds };
}

/** Rows for a run of works; chapter ids continue from `firstChapterId`. */
export function workRows(
  corpus: Corpus,
  works: readonly CorpusWork[],
  firstChapterId: number,
): { rows: Record<TableKey, Row[]>; nextChapterId: number } {
  const rows = Object.fromEntries(Object.keys(TABLES).map((key) => [key, []])) as unknown as Record<
    TableKey,
    Row[]
  >;
  let chapterId = firstChapterId;
  for (const work of works) {
    rows.works.push([
      work.id,
      work.title,
      work.summaryHtml,
      work.language,
      work.complete ? 1 : 0,
      work.expectedChapters,
      work.restricted ? 1 : 0,
      work.draft ? 1 : 0,
      work.wordCount,
      work.chapters.length,
      work.kudos,
      work.comments,
      work.bookmarks,
      work.hits,
      work.postedAt,
      work.draft ? null : work.postedAt,
      work.updatedAt,
      work.updatedAt,
    ]);
    for (const [position, pseudId] of work.creatorIds.entries())
      rows.workCreators.push([work.id, pseudId, position]);
    for (const [index, chapter] of work.chapters.entries()) {
      rows.chapters.push([
        chapterId++,
        work.id,
        index + 1,
        chapter.title,
        chapter.html,
        chapter.wordCount,
        chapter.postedAt,
        chapter.postedAt,
      ]);
    }
    for (const [position, tagId] of work.tagIds.entries()) rows.workTags.push([work.id, tagId, position]);
    for (const tagId of corpus.filterTagIds(work)) rows.workFilterTags.push([work.id, tagId]);
    rows.workSearchTexts.push([
      work.id,
      work.title,
      work.creatorIds.map((id) => corpus.user(id).username).join(', '),
      work.tagIds.map((id) => corpus.tag(id).name).join(', '),
      work.summaryText,
      work.chapters.map((chapter) => `${chapter.title}\n${chapter.text}`).join('\n\n'),
    ]);
  }
  return { rows, nextChapterId: chapterId };
}
