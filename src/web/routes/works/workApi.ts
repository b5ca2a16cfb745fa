import { z } from 'zod';
import { RATINGS } from '../../../domain/vocabulary.ts';
import { workFieldsShape } from '../../../domain/workRules.ts';
import { parseWorkQuery } from '../../../search/queryParams.ts';
import { CROSSOVER_CHOICES, WORK_SORTS } from '../../../search/workSearch.ts';
import { ValidationError } from '../../../services/errors.ts';
import { findWorks } from '../../../services/workFinder.ts';
import { createWork, deleteWork, getWork, updateWork, workForEditing } from '../../../services/works.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import {
  facetsJson,
  facetsSchema,
  newWorkSchema,
  workDetailJson,
  workDetailSchema,
  workJson,
  workPseudField,
  workSchema,
} from './workSchemas.ts';

/** A listing parameter: one value, a repeated one, or commas between values. */
const listParameter = (description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .meta({ description });
const textParameter = (description: string) => z.string().optional().meta({ description });

// The names and meanings of the listing parameters; their grammar is the search layer's (parseWorkQuery),
// shared with the pages' filter sidebar, so it is not repeated here.
const workListingQuery = z.object({
  include: listParameter('Tags every work must have (canonical tags also find their synonyms and subtags)'),
  exclude: listParameter('Tags no work may have'),
  q: textParameter('Search text: words, "phrases", -word, OR, and fields such as words>1000 or fandom:"…"'),
  rating: listParameter(`Any of: ${RATINGS.join(', ')}`),
  complete: textParameter('true: complete works only; false: works in progress only'),
  crossover: textParameter(`One of ${CROSSOVER_CHOICES.join(', ')}`),
  words_from: textParameter('At least this many words'),
  words_to: textParameter('At most this many words'),
  updated_from: textParameter('Updated on or after this day (YYYY-MM-DD)'),
  updated_to: textParameter('Updated on or before this day (YYYY-MM-DD)'),
  language: textParameter('A language code such as en or pt-BR'),
  sort: textParameter(`One of ${WORK_SORTS.join(', ')}`),
  cursor: textParameter('The next_cursor of the previous page'),
  page: textParameter('Not used: pages are reached by cursor, and sending page is refused'),
});

export function registerWorkApi(api: ApiApp, { config, archive, search }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/works',
    {
      schema: {
        summary: 'Find works: filter by tags, rating, completion, words, dates and language, search, sort',
        querystring: workListingQuery,
        response: {
          200: z.object({
            works: z.array(workSchema),
            next_cursor: z.string().nullable().meta({ description: 'Send as cursor for the next page' }),
            total: z.number().int(),
            facets: facetsSchema,
            unknown_tags: z.array(z.string()),
          }),
          ...refusals(400),
        },
      },
    },
    async (request) => {
      const { query, problems } = parseWorkQuery(request.query);
      // Pages carry on without what they cannot use; a program is told, so it can fix its request. A client
      // still counting pages would otherwise be given the first page again and again.
      if (request.query.page !== undefined)
        problems.page = 'Pages are reached by cursor: send the next_cursor you got.';
      if (Object.keys(problems).length > 0) {
        throw new ValidationError('Some query parameters could not be used.', problems);
      }
      const found = await findWorks(db, search, request.viewer, query, {}, { snippets: false });
      const origin = archiveSite(config, request).origin;
      return {
        works: found.works.map(({ work }) => workJson(work, origin)),
        next_cursor: found.nextCursor,
        total: found.total,
        facets: facetsJson(found.facets),
        unknown_tags: found.unknownTags,
      };
    },
  );

  api.post(
    '/works',
    {
      schema: {
        summary: 'Post a work (or save it as a draft) with its chapters',
        security: tokenSecurity,
        body: newWorkSchema,
        response: { 201: workDetailSchema, ...refusals(400, 401) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const { chapters, ...fields } = request.body;
      const site = archiveSite(config, request);
      const work = await createWork(db, viewer, fields, chapters, { announceAt: site });
      return reply.status(201).send(workDetailJson(await getWork(db, viewer, work.id), site.origin));
    },
  );

  api.get(
    '/works/:id',
    {
      schema: {
        summary: 'A work with its chapter list (drafts for their creators, restricted works for members)',
        params: idParams,
        response: { 200: workDetailSchema, ...refusals(401, 404) },
      },
    },
    async (request) =>
      workDetailJson(
        await getWork(db, request.viewer, request.params.id),
        archiveSite(config, request).origin,
      ),
  );

  api.patch(
    '/works/:id',
    {
      schema: {
        summary: 'Change a work: the fields sent change, the rest stay as they are (its creators only)',
        security: tokenSecurity,
        params: idParams,
        body: workFieldsShape.partial().extend(workPseudField),
        response: { 200: workDetailSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const workId = request.params.id;
      const current = await workForEditing(db, viewer, workId);
      const site = archiveSite(config, request);
      // A change applies to the work as GET answers it; fields that are not the work form's are ignored.
      await updateWork(db, viewer, workId, { ...workJson(current, site.origin), ...request.body }, site);
      return workDetailJson(await getWork(db, viewer, workId), site.origin);
    },
  );

  api.delete(
    '/works/:id',
    {
      schema: {
        summary: 'Delete a work with its chapters, comments, kudos and bookmarks (its creators only)',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteWork(db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
