import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { paths } from '../../../domain/archivePaths.ts';
import { deleteAccount } from '../../../services/accountDeletion.ts';
import { ForbiddenError, ValidationError } from '../../../services/errors.ts';
import {
  cookieFlags,
  pageContext,
  requireViewer,
  routeUser,
  SESSION_COOKIE,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { formText } from '../../formInput.ts';
import { AccountDeletionPage } from '../../views/AccountDeletionPage.tsx';
import { sendPage } from '../../views/render.tsx';
import { visitorSalt } from '../../visitors.ts';

// AO3's /users/LOGIN/delete: the account's owner alone, confirmed with their password.

async function ownAccount(db: Kysely<Database>, request: FastifyRequest) {
  const viewer = requireViewer(request, 'Log in to delete your account.');
  const user = await routeUser(db, request);
  if (user.id !== viewer.id) throw new ForbiddenError('Only the owner of an account can delete it.');
  return viewer;
}

export function registerAccountDeletionRoutes(
  app: FastifyInstance,
  { config, archive }: WebDependencies,
): void {
  const db = archive.db;

  app.get('/users/:login/delete', async (request, reply) => {
    const viewer = await ownAccount(db, request);
    return sendPage(
      reply,
      <AccountDeletionPage
        context={pageContext(request, reply, config)}
        username={viewer.username}
        action={paths.deleteAccount(viewer.username)}
        cancel={paths.preferences(viewer.username)}
      />,
    );
  });

  app.post('/users/:login/delete', async (request, reply) => {
    const viewer = await ownAccount(db, request);
    try {
      await deleteAccount(db, viewer, request.body, await visitorSalt(config, db));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return sendPage(
        reply,
        <AccountDeletionPage
          context={pageContext(request, reply, config)}
          username={viewer.username}
          action={paths.deleteAccount(viewer.username)}
          cancel={paths.preferences(viewer.username)}
          works={formText(request.body, 'works')}
          error={{ message: error.message, fields: error.fields }}
        />,
        400,
      );
    }
    reply.clearCookie(SESSION_COOKIE, cookieFlags(config));
    setNotice(reply, config, 'Your account has been deleted. Thank you for being part of the archive.');
    return reply.redirect(paths.home(), 303);
  });
}
