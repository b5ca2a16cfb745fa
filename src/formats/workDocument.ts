// The plain shape every export format reads: a work as a reader sees it, with absolute links.
// Formats are pure functions of these objects; services build them from the database.

export interface CreatorDocument {
  name: string;
  /** The creator's works page on this archive. */
  url: string;
}

export interface SeriesPlacement {
  title: string;
  url: string;
  /** 1-based part number of this work in the series. */
  position: number;
}

export interface ChapterDocument {
  id: number;
  position: number;
  title: string;
  /** The next four are sanitised HTML (may be empty strings). */
  summary: string;
  notes: string;
  endNotes: string;
  body: string;
  wordCount: number;
  url: string;
}

export interface WorkDocument {
  id: number;
  url: string;
  title: string;
  /** Sanitised HTML, may be empty. */
  summary: string;
  notes: string;
  endNotes: string;
  rating: string;
  warnings: string[];
  categories: string[];
  fandoms: string[];
  relationships: string[];
  characters: string[];
  freeforms: string[];
  /** BCP 47 code, e.g. "en". */
  language: string;
  complete: boolean;
  expectedChapters: number | null;
  wordCount: number;
  chapterCount: number;
  kudosCount: number;
  commentsCount: number;
  bookmarksCount: number;
  hits: number;
  creators: CreatorDocument[];
  /** ISO-8601 timestamps. */
  publishedAt: string;
  updatedAt: string;
  /** Changes whenever anything about the work changes: use it as a cache key or EPUB modified date. */
  revisedAt: string;
  series: SeriesPlacement[];
  chapters: ChapterDocument[];
  /** Where it was downloaded from: the archive's name and origin (e.g. https://fic.example.org). */
  archiveName: string;
  archiveUrl: string;
}

export interface SeriesDocument {
  id: number;
  url: string;
  title: string;
  summary: string;
  notes: string;
  complete: boolean;
  creators: CreatorDocument[];
  updatedAt: string;
  /** The parts in reading order. */
  works: WorkDocument[];
  archiveName: string;
  archiveUrl: string;
}
