import { z } from 'zod';
import { bidiControlMessage, hasNoBidiControl } from './textNormalisation.ts';
import { flag, LIMITS, optionalText } from './workRules.ts';

// What a series' owner may change about it; its parts come and go through the work form and its order.

export const seriesFieldsSchema = z.object({
  title: z
    .string({ error: 'Give the series a title.' })
    .trim()
    .min(1, 'Give the series a title.')
    .max(LIMITS.title, `Titles can be at most ${LIMITS.title} characters.`)
    .refine(hasNoBidiControl, bidiControlMessage('Titles')),
  summary: optionalText('The summary', LIMITS.summary),
  notes: optionalText('Notes', LIMITS.notes),
  complete: flag,
});

export type SeriesFields = z.infer<typeof seriesFieldsSchema>;
