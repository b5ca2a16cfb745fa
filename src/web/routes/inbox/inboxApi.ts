import { deleteInboxItems, getInboxItem, listInbox, markInboxItems } from '../../../services/inbox.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import {
  inboxItemChange,
  inboxItemJson,
  inboxItemSchema,
  inboxPageJson,
  inboxPageSchema,
  inboxQuery,
} from './inboxSchemas.ts';

export function registerInboxApi(api: ApiApp, { archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/inbox',
    {
      schema: {
        summary: 'Your inbox, newest first: comments on your works, replies to you, subscription news',
        security: tokenSecurity,
        querystring: inboxQuery,
        response: { 200: inboxPageSchema, ...refusals(401) },
      },
    },
    async (request) => {
      const inbox = await listInbox(db, requireToken(request), {
        unreadOnly: request.query.filter === 'unread',
        page: request.query.page,
      });
      return inboxPageJson(inbox);
    },
  );

  api.patch(
    '/inbox/:id',
    {
      schema: {
        summary: 'Mark one of your inbox items read or unread',
        security: tokenSecurity,
        params: idParams,
        body: inboxItemChange,
        response: { 200: inboxItemSchema, ...refusals(400, 401, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const itemId = request.params.id;
      await getInboxItem(db, viewer, itemId);
      await markInboxItems(db, viewer, [itemId], request.body.read);
      return inboxItemJson(await getInboxItem(db, viewer, itemId));
    },
  );

  api.delete(
    '/inbox/:id',
    {
      schema: {
        summary: 'Delete one of your inbox items',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 404) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const itemId = request.params.id;
      await getInboxItem(db, viewer, itemId);
      await deleteInboxItems(db, viewer, [itemId]);
      return reply.status(204).send(null);
    },
  );
}
