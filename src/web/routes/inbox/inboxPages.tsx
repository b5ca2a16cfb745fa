import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { ForbiddenError, ValidationError } from '../../../services/errors.ts';
import { deleteInboxItems, listInbox, markInboxItems } from '../../../services/inbox.ts';
import {
  pageContext,
  parseId,
  parsePage,
  requireViewer,
  routeUser,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { formList, formText } from '../../formInput.ts';
import { type InboxFilter, InboxPage } from '../../views/InboxPage.tsx';
import { sendPage } from '../../views/render.tsx';

const BULK_NOTICES = {
  read: (count: number) => `Marked ${count} ${count === 1 ? 'item' : 'items'} as read.`,
  unread: (count: number) => `Marked ${count} ${count === 1 ? 'item' : 'items'} as unread.`,
  delete: (count: number) => `Deleted ${count} ${count === 1 ? 'item' : 'items'}.`,
};

function inboxFilter(value: unknown): InboxFilter {
  return formText(value, 'filter') === 'unread' ? 'unread' : 'all';
}

export function registerInboxRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  /** The inbox's owner, who alone may open it. */
  async function inboxOwner(request: FastifyRequest) {
    const viewer = requireViewer(request, 'Log in to read your inbox.');
    const owner = await routeUser(db, request);
    if (owner.id !== viewer.id) throw new ForbiddenError('You can only read your own inbox.');
    return viewer;
  }

  app.get('/users/:login/inbox', async (request, reply) => {
    const viewer = await inboxOwner(request);
    const filter = inboxFilter(request.query);
    const inbox = await listInbox(db, viewer, {
      unreadOnly: filter === 'unread',
      page: parsePage(formText(request.query, 'page')),
    });
    return sendPage(
      reply,
      <InboxPage context={pageContext(request, reply, config)} inbox={inbox} filter={filter} />,
    );
  });

  app.post('/users/:login/inbox', async (request, reply) => {
    const viewer = await inboxOwner(request);
    const action = formText(request.body, 'action');
    if (action !== 'read' && action !== 'unread' && action !== 'delete')
      throw new ValidationError('Choose what to do with the selected items.');
    const ids = formList(request.body, 'ids').flatMap((value) => parseId(value) ?? []);
    if (ids.length === 0) {
      setNotice(reply, config, 'Select at least one inbox item first.');
    } else {
      const count =
        action === 'delete'
          ? await deleteInboxItems(db, viewer, ids)
          : await markInboxItems(db, viewer, ids, action === 'read');
      setNotice(reply, config, BULK_NOTICES[action](count));
    }
    const filter = inboxFilter(request.body);
    return reply.redirect(
      `${paths.inbox(viewer.username)}${filter === 'unread' ? '?filter=unread' : ''}`,
      303,
    );
  });
}
