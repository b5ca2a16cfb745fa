import type { CorpusSetting } from './archiveSpec.ts';
import type { Row, TableSpec } from './corpusRows.ts';

/** Times one named step of the load. */
export type Phase = (name: string, step: () => Promise<void>) => Promise<void>;

/** The fast path into one dialect: what a million works need that row-by-row services cannot give. */
export interface BulkWriter {
  /** Takes secondary indexes and triggers off the loaded tables (finish puts them back). */
  start(): Promise<void>;
  /** Runs the inserts of one batch in one transaction. */
  transaction(fill: () => Promise<void>): Promise<void>;
  insert(table: TableSpec, rows: Row[]): Promise<void>;
  /**
   * Restores indexes and triggers, builds the full-text index, empties the search change log (the
   * engine builds from the tables), records the corpus and updates the planner's statistics.
   */
  finish(setting: CorpusSetting, phase: Phase): Promise<void>;
  /** Bytes the archive takes on disk. */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** Every table the loader writes: their indexes and triggers are what start() lifts. */
export const LOADED_TABLES = [
  'users',
  'pseuds',
  'tags',
  'tag_parents',
  'works',
  'work_creators',
  'chapters',
  'work_tags',
  'work_filter_tags',
  'work_search_texts',
];
