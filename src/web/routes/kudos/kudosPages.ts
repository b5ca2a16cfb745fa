import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { ConflictError, ForbiddenError } from '../../../services/errors.ts';
import { kudosOf, leaveKudos } from '../../../services/kudos.ts';
import { archiveSite, parseId, routeId, setNotice, type WebDependencies } from '../../context.ts';
import { wantsJson } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { KUDOS_NAMES_SHOWN } from '../../views/KudosSection.tsx';
import { visitorOf } from '../../visitors.ts';
import { kudosJson } from './kudosSchemas.ts';

/** The page the kudos form was on: the work, the whole work, or one chapter of it. */
function pageOfForm(workId: number, body: unknown): string {
  const chapterId = parseId(formText(body, 'chapter_id'));
  if (chapterId !== null) return paths.chapter(workId, chapterId);
  return formText(body, 'view_full_work') === 'true' ? paths.fullWork(workId) : paths.work(workId);
}

export function registerKudosRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;
  // One budget for the form and the API, per client address.
  const limited = limitedRoute(config, 'kudos', config.rateLimits.kudos);

  // The plain form answers with a redirect; kudos.js asks for JSON and updates the list in place.
  app.post('/works/:id/kudos', limited, async (request, reply) => {
    const workId = routeId(request);
    const json = wantsJson(request);
    const back = `${pageOfForm(workId, request.body)}#kudos`;
    const guestKey = request.viewer ? null : (await visitorOf(request, config, db)).key;
    try {
      await leaveKudos(db, request.viewer, workId, guestKey);
    } catch (error) {
      // As on AO3, a refused kudos is a notice on the page the reader was reading, not an error page.
      if (json || !(error instanceof ConflictError || error instanceof ForbiddenError)) throw error;
      setNotice(reply, config, error.message);
      return reply.redirect(back, 303);
    }
    const message = 'Thank you for leaving kudos!';
    if (!json) {
      setNotice(reply, config, message);
      return reply.redirect(back, 303);
    }
    const kudos = await kudosOf(db, { id: workId }, KUDOS_NAMES_SHOWN);
    return reply.status(201).send({
      message,
      kudos_count: kudos.count,
      ...kudosJson(kudos, archiveSite(config, request).origin),
      more_users: kudos.moreUsers,
    });
  });
}
