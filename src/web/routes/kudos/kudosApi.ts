import { kudosOf, leaveKudos } from '../../../services/kudos.ts';
import { getWork } from '../../../services/works.ts';
import { type ApiApp, idParams, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { kudosJson, kudosLeftSchema, kudosSchema } from './kudosSchemas.ts';

export function registerKudosApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/works/:id/kudos',
    {
      schema: {
        summary: 'Who left kudos on a work: members by name, guests as a count',
        params: idParams,
        response: { 200: kudosSchema, ...refusals(401, 404) },
      },
    },
    async (request) => {
      const work = await getWork(db, request.viewer, request.params.id);
      return kudosJson(await kudosOf(db, work), archiveSite(config, request).origin);
    },
  );

  api.post(
    '/works/:id/kudos',
    {
      // One budget for the form and the API, per client address. Guests leave kudos through the work
      // page's form, where their visitor cookie tells them apart; the API knows callers by their token.
      ...limitedRoute(config, 'kudos', config.rateLimits.kudos),
      schema: {
        summary: 'Leave kudos on a work (once per user; not on your own work)',
        security: tokenSecurity,
        params: idParams,
        response: { 201: kudosLeftSchema, ...refusals(401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const kudosCount = await leaveKudos(db, requireToken(request), request.params.id, null);
      return reply.status(201).send({ kudos_count: kudosCount });
    },
  );
}
