import { z } from 'zod';
import { TAG_TYPES } from '../../../domain/vocabulary.ts';
import { suggestTags } from '../../../services/tagAutocomplete.ts';
import { tagTypeFilter } from '../../../services/tags.ts';
import { type ApiApp, refusals } from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';

// Tag autocomplete for the tag fields of the work and wrangling forms (and any client's). The type is
// checked by the tag service's own rule, which names the types a client may send.

const autocompleteQuery = z.object({
  term: z
    .string()
    .optional()
    .meta({ description: 'What was typed so far; an empty (or missing) term gives an empty list' }),
  type: z
    .string()
    .optional()
    .meta({
      description: `Only tags of this type: one of ${TAG_TYPES.join(', ')}, or any (the default)`,
    }),
});

export const tagSuggestionSchema = z
  .object({
    name: z.string(),
    type: z.enum(TAG_TYPES),
    canonical: z.boolean(),
  })
  .meta({ id: 'TagSuggestion' });

const suggestionsSchema = z.object({
  tags: z
    .array(tagSuggestionSchema)
    .max(10)
    .meta({ description: 'At most 10; a synonym is never offered: its canonical tag is, in its place' }),
});

export function registerTagApi(api: ApiApp, { archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/tags/autocomplete',
    {
      schema: {
        summary: 'Tags that start with (or have a word starting with) what was typed, for tag fields',
        description:
          'At most 10: names starting with the term first, then names with a word starting with it; canonical tags first. Synonyms are never offered: their canonical tag is, in their place.',
        querystring: autocompleteQuery,
        response: { 200: suggestionsSchema, ...refusals(400) },
      },
    },
    async (request) => {
      const type = tagTypeFilter(request.query.type ?? '');
      return { tags: await suggestTags(db, request.viewer, request.query.term ?? '', type) };
    },
  );
}
