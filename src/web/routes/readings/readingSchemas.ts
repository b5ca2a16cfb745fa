import { z } from 'zod';
import type { ReadingItem, ReadingListing } from '../../../services/readings.ts';
import { isoTime, pageParameter, pagePosition } from '../../api/apiContract.ts';

// The JSON shapes of a reader's history in API v1 (private to its reader), and how the service's
// readings become them. Field names are the API's contract: they change only with a new version.

export const readingSchema = z
  .object({
    work_id: z.number().int(),
    title: z.string(),
    chapter_id: z.number().int().nullable().meta({ description: 'Where you stopped' }),
    visits: z.number().int(),
    marked_for_later: z.boolean(),
    last_read_at: isoTime,
    update_available: z.boolean().meta({ description: 'A chapter was added since your last visit' }),
  })
  .meta({ id: 'Reading' });

export const historyQuery = z.object({
  show: z
    .string()
    .optional()
    .meta({ description: 'to-read: only the works Marked for Later; anything else: the whole history' }),
  page: pageParameter(),
});

export const historyPageSchema = z
  .object({
    items: z.array(readingSchema),
    total: z.number().int(),
    ...pagePosition,
    history_enabled: z
      .boolean()
      .meta({ description: 'Whether visits are recorded; Marked for Later works either way' }),
  })
  .meta({ description: 'One page of the history' });

export function readingJson(item: ReadingItem): z.output<typeof readingSchema> {
  return {
    work_id: item.work.id,
    title: item.work.title,
    chapter_id: item.chapter?.id ?? null,
    visits: item.visits,
    marked_for_later: item.markedForLater,
    last_read_at: item.lastReadAt,
    update_available: item.updateAvailable,
  };
}

export function historyPageJson(listing: ReadingListing): z.output<typeof historyPageSchema> {
  return {
    items: listing.items.map(readingJson),
    total: listing.total,
    page: listing.page,
    pages: listing.pages,
    history_enabled: listing.historyEnabled,
  };
}
