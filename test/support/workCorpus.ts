import { ApiWriter } from './apiClient.ts';
import type { TestArchive } from './testArchive.ts';

// A small archive with one work at each end of every filter and sort, for the works listings' tests.
// Counters and dates are set in the database, so every sort has one right order.

export interface CorpusWork {
  title: string;
  writer: 'quill' | 'inkwell';
  fandoms: string[];
  rating: string;
  warnings: string[];
  categories: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  summary: string;
  /** The chapter's opening sentence; the rest is filler up to `words`. */
  opening: string;
  words: number;
  complete: boolean;
  language: string;
  kudos: number;
  hits: number;
  comments: number;
  bookmarks: number;
  posted: string;
  updated: string;
  restricted?: boolean;
}

const FILLER_WORD = 'wave';

export const CORPUS: CorpusWork[] = [
  {
    title: 'Winter Harbour',
    writer: 'quill',
    fandoms: ['Tidewater Chronicles'],
    rating: 'Teen And Up Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['F/M'],
    relationships: ['Mara Voss/Elias Quill'],
    characters: ['Mara Voss', 'Elias Quill'],
    freeforms: ['Slow Burn', 'Lighthouses'],
    summary: 'Two keepers, one lamp, and a winter that will not end.',
    opening: 'The lamp turned all night, and Mara counted every sweep of the beam.',
    words: 1200,
    complete: true,
    language: 'en',
    kudos: 50,
    hits: 900,
    comments: 7,
    bookmarks: 3,
    posted: '2024-01-10T09:00:00.000Z',
    updated: '2024-03-01T09:00:00.000Z',
  },
  {
    title: 'Fog Signal',
    writer: 'quill',
    fandoms: ['Tidewater Chronicles'],
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    relationships: [],
    characters: ['Elias Quill'],
    freeforms: ['Fluff'],
    summary: 'Elias and the fog horn.',
    opening:
      'Elias came up the stairs with the kettle and a <b>lantern</b>, &lt;script&gt;alert(1)&lt;/script&gt;.',
    words: 300,
    complete: false,
    language: 'en',
    kudos: 5,
    hits: 100,
    comments: 1,
    bookmarks: 0,
    posted: '2024-02-01T09:00:00.000Z',
    updated: '2024-05-20T09:00:00.000Z',
  },
  {
    title: 'Salt Roads',
    writer: 'inkwell',
    fandoms: ['Tidewater Chronicles', 'Starfall Saga'],
    rating: 'Mature',
    warnings: ['Major Character Death'],
    categories: ['F/M'],
    relationships: ['Mara Voss/Elias Quill'],
    characters: ['Mara Voss', 'Captain Orin'],
    freeforms: ['Angst'],
    summary: 'Where the roads end, the stars begin.',
    opening: 'The salt road ran north past the lighthouse where the lamp turned slowly.',
    words: 3000,
    complete: true,
    language: 'en',
    kudos: 120,
    hits: 2000,
    comments: 30,
    bookmarks: 12,
    posted: '2023-06-01T09:00:00.000Z',
    updated: '2023-07-15T09:00:00.000Z',
  },
  {
    title: 'Starlit Archive',
    writer: 'inkwell',
    fandoms: ['Starfall Saga'],
    rating: 'Explicit',
    warnings: ['No Archive Warnings Apply'],
    categories: ['M/M'],
    relationships: ['Captain Orin/Navigator Sel'],
    characters: ['Captain Orin', 'Navigator Sel'],
    freeforms: ['Slow Burn'],
    summary: 'Un capitaine, une carte du ciel.',
    opening: 'Orin charted the stars above the archive of light.',
    words: 600,
    complete: true,
    language: 'fr',
    kudos: 80,
    hits: 1500,
    comments: 12,
    bookmarks: 20,
    posted: '2023-09-09T09:00:00.000Z',
    updated: '2024-02-14T09:00:00.000Z',
  },
  {
    title: 'Quiet Orbit',
    writer: 'quill',
    fandoms: ['Starfall Saga'],
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    relationships: [],
    characters: ['Navigator Sel'],
    freeforms: ['Fluff'],
    summary: 'Sel keeps the night watch.',
    opening: 'A quiet orbit around a sleeping moon, and a kettle of tea.',
    words: 10_500,
    complete: false,
    language: 'en',
    kudos: 30,
    hits: 400,
    comments: 3,
    bookmarks: 6,
    posted: '2024-04-04T09:00:00.000Z',
    updated: '2024-06-30T09:00:00.000Z',
  },
  {
    title: 'Locked Lighthouse',
    writer: 'inkwell',
    fandoms: ['Tidewater Chronicles'],
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    relationships: [],
    characters: ['Mara Voss'],
    freeforms: ['Lighthouses'],
    summary: 'For members only.',
    opening: 'The keeper locked the door.',
    words: 200,
    complete: true,
    language: 'en',
    kudos: 1,
    hits: 10,
    comments: 0,
    bookmarks: 0,
    posted: '2022-01-01T09:00:00.000Z',
    updated: '2022-01-01T09:00:00.000Z',
    restricted: true,
  },
];

/** The posted works a guest can see, by title. */
export const PUBLIC_TITLES = CORPUS.filter((work) => !work.restricted).map((work) => work.title);

function chapterBody(work: CorpusWork): string {
  const openingWords = work.opening.replace(/<[^>]+>/g, '').split(/\s+/).length;
  const filler = Array.from({ length: Math.max(0, work.words - openingWords) }, () => FILLER_WORD).join(' ');
  return `<p>${work.opening}</p><p>${filler}</p>`;
}

export interface LoadedCorpus {
  writers: Record<CorpusWork['writer'], ApiWriter>;
  /** Work id by title. */
  ids: Map<string, number>;
}

export async function loadWorkCorpus(archive: TestArchive): Promise<LoadedCorpus> {
  const writers = {
    quill: await ApiWriter.signUp(archive.app, 'quill'),
    inkwell: await ApiWriter.signUp(archive.app, 'inkwell'),
  };
  const ids = new Map<string, number>();
  for (const work of CORPUS) {
    const posted = await writers[work.writer].postWork({
      title: work.title,
      summary: work.summary,
      rating: work.rating,
      warnings: work.warnings,
      categories: work.categories,
      fandoms: work.fandoms,
      relationships: work.relationships,
      characters: work.characters,
      freeforms: work.freeforms,
      language: work.language,
      complete: work.complete,
      restricted: work.restricted ?? false,
      chapters: [{ body: chapterBody(work) }],
    });
    ids.set(work.title, posted.id);
    await archive.archive.db
      .updateTable('works')
      .set({
        kudos_count: work.kudos,
        hits: work.hits,
        comments_count: work.comments,
        bookmarks_count: work.bookmarks,
        published_at: work.posted,
        updated_at: work.updated,
      })
      .where('id', '=', posted.id)
      .execute();
  }
  return { writers, ids };
}

/** `count` small works in one fandom, with few distinct kudos counts so that sorting meets many ties. */
export async function loadManyWorks(
  archive: TestArchive,
  writer: ApiWriter,
  fandom: string,
  count: number,
): Promise<string[]> {
  const titles: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const title = `${fandom} Story ${String(index).padStart(3, '0')}`;
    const posted = await writer.postWork({ title, fandoms: [fandom] });
    await archive.archive.db
      .updateTable('works')
      .set({ kudos_count: index % 3, updated_at: '2021-05-05T05:05:05.000Z' })
      .where('id', '=', posted.id)
      .execute();
    titles.push(title);
  }
  return titles;
}
