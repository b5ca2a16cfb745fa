import { z } from 'zod';
import type { StatsCounts, WriterStats } from '../../../services/writerStats.ts';

// The JSON shape of a writer's statistics in API v1, and how the service's figures become it. Field
// names are the API's contract: they change only with a new version.

const statsCountsShape = {
  hits: z
    .number()
    .int()
    .meta({ description: 'Visitors per day, not reloads; bots and creators not counted' }),
  kudos: z.number().int(),
  comment_threads: z.number().int().meta({ description: 'Visible comments that start a thread' }),
  bookmarks: z.number().int().meta({ description: 'Public bookmarks' }),
  subscriptions: z.number().int(),
  word_count: z.number().int(),
};

export const statsCountsSchema = z.object(statsCountsShape).meta({ id: 'StatsCounts' });

export const workStatsSchema = z
  .object({ id: z.number().int(), title: z.string(), ...statsCountsShape })
  .meta({ id: 'WorkStats' });

export const writerStatsSchema = z
  .object({
    totals: statsCountsSchema,
    works: z.array(workStatsSchema).meta({ description: 'One row per posted work, most hits first' }),
  })
  .meta({ description: 'Totals and one row per posted work' });

function countsJson(counts: StatsCounts): z.output<typeof statsCountsSchema> {
  return {
    hits: counts.hits,
    kudos: counts.kudos,
    comment_threads: counts.comment_threads,
    bookmarks: counts.bookmarks,
    subscriptions: counts.subscriptions,
    word_count: counts.word_count,
  };
}

export function writerStatsJson(stats: WriterStats): z.output<typeof writerStatsSchema> {
  return {
    totals: countsJson(stats.totals),
    works: stats.works.map((work) => ({ id: work.id, title: work.title, ...countsJson(work) })),
  };
}
