import {
  listSubscriptions,
  parseSubscriptionTarget,
  subscribe,
  unsubscribe,
} from '../../../services/subscriptions.ts';
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
  newSubscriptionSchema,
  subscriptionJson,
  subscriptionListSchema,
  subscriptionSchema,
} from './subscriptionSchemas.ts';

export function registerSubscriptionApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/subscriptions',
    {
      schema: {
        summary: 'Your subscriptions, newest first',
        security: tokenSecurity,
        response: { 200: subscriptionListSchema, ...refusals(401) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const origin = archiveSite(config, request).origin;
      const subscriptions = await listSubscriptions(db, viewer, viewer.id);
      return { subscriptions: subscriptions.map((subscription) => subscriptionJson(subscription, origin)) };
    },
  );

  api.post(
    '/subscriptions',
    {
      schema: {
        summary: 'Subscribe to a work (new chapters), a series (new parts) or a creator (new works)',
        description:
          'A second subscription to the same thing is refused with 409; one to your own work, series or self with 400.',
        security: tokenSecurity,
        body: newSubscriptionSchema,
        response: { 201: subscriptionSchema, ...refusals(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const subscription = await subscribe(db, viewer, await parseSubscriptionTarget(db, request.body));
      return reply.status(201).send(subscriptionJson(subscription, archiveSite(config, request).origin));
    },
  );

  api.delete(
    '/subscriptions/:id',
    {
      schema: {
        summary: 'End one of your subscriptions',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 404) },
      },
    },
    async (request, reply) => {
      await unsubscribe(db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
