import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import {
  clearHistory,
  forgetReading,
  listReadings,
  requireHistoryOwner,
  setMarkedForLater,
} from '../../../services/readings.ts';
import {
  pageContext,
  parsePage,
  routeId,
  routeUser,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { formText } from '../../formInput.ts';
import { sameArchivePath } from '../../returnPaths.ts';
import { ReadingsPage } from '../../views/ReadingsPage.tsx';
import { sendPage } from '../../views/render.tsx';
import { ConfirmDeletePage } from '../../views/WorkForms.tsx';

/** The form's return_to when it stays under `prefix` (so a crafted form cannot send the reader away). */
function returnPath(body: unknown, prefix: string, fallback: string): string {
  const wanted = sameArchivePath(formText(body, 'return_to'));
  if (wanted === undefined) return fallback;
  return wanted === prefix || wanted.startsWith(`${prefix}?`) || wanted.startsWith(`${prefix}/`)
    ? wanted
    : fallback;
}

export function registerReadingRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/users/:login/readings', async (request, reply) => {
    const owner = await routeUser(db, request);
    const toRead = formText(request.query, 'show') === 'to-read';
    const listing = await listReadings(db, request.viewer, owner.id, {
      toRead,
      page: parsePage(formText(request.query, 'page')),
    });
    return sendPage(
      reply,
      <ReadingsPage
        context={pageContext(request, reply, config)}
        username={owner.username}
        listing={listing}
        toRead={toRead}
        preferencesPath={paths.preferences(owner.username)}
      />,
    );
  });

  app.post('/users/:login/readings/:workId/delete', async (request, reply) => {
    const owner = await routeUser(db, request);
    await forgetReading(db, request.viewer, owner.id, routeId(request, 'workId'));
    setNotice(reply, config, 'The work was deleted from your history.');
    const readings = paths.readings(owner.username);
    return reply.redirect(returnPath(request.body, readings, readings), 303);
  });

  app.get('/users/:login/readings/clear', async (request, reply) => {
    const owner = await routeUser(db, request);
    requireHistoryOwner(request.viewer, owner.id);
    return sendPage(
      reply,
      <ConfirmDeletePage
        context={pageContext(request, reply, config)}
        title="Clear your history?"
        question="Are you sure you want to clear your reading history? Every work in it goes, the ones marked for later too. This cannot be undone."
        action={paths.clearReadings(owner.username)}
        cancel={paths.readings(owner.username)}
      />,
    );
  });

  app.post('/users/:login/readings/clear', async (request, reply) => {
    const owner = await routeUser(db, request);
    await clearHistory(db, request.viewer, owner.id);
    setNotice(reply, config, 'Your history is now cleared.');
    return reply.redirect(paths.readings(owner.username), 303);
  });

  for (const marked of [true, false]) {
    app.post(marked ? '/works/:id/mark_for_later' : '/works/:id/mark_as_read', async (request, reply) => {
      const workId = routeId(request);
      await setMarkedForLater(db, request.viewer, workId, marked);
      setNotice(
        reply,
        config,
        marked
          ? 'This work was added to your Marked for Later list.'
          : 'This work was removed from your Marked for Later list.',
      );
      // Back to the chapter the reader was on, or to the history page the button was on.
      const back = returnPath(request.body, paths.work(workId), paths.work(workId));
      return reply.redirect(
        request.viewer ? returnPath(request.body, paths.readings(request.viewer.username), back) : back,
        303,
      );
    });
  }
}
