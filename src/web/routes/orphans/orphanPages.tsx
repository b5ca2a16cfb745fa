import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { orphan, parseOrphanRequest, planOrphaning } from '../../../services/orphaning.ts';
import { pageContext, requireViewer, setNotice, type WebDependencies } from '../../context.ts';
import { OrphanConfirmPage } from '../../views/OrphanPages.tsx';
import { sendPage } from '../../views/render.tsx';

// AO3's addresses: /orphans/new?work_id=ID (or series_id=ID, or all_works=1) asks, POST /orphans does it.

export function registerOrphanRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/orphans/new', async (request, reply) => {
    const viewer = requireViewer(request, 'Log in to orphan your works.');
    const { scope } = parseOrphanRequest(request.query);
    const plan = await planOrphaning(db, viewer, scope);
    const cancel =
      'workId' in scope
        ? paths.work(scope.workId)
        : 'seriesId' in scope
          ? paths.series(scope.seriesId)
          : paths.userWorks(viewer.username);
    return sendPage(
      reply,
      <OrphanConfirmPage
        context={pageContext(request, reply, config)}
        scope={scope}
        plan={plan}
        cancel={cancel}
      />,
    );
  });

  app.post('/orphans', async (request, reply) => {
    const viewer = requireViewer(request, 'Log in to orphan your works.');
    const plan = await orphan(db, viewer, parseOrphanRequest(request.body));
    const count = plan.works.length;
    setNotice(
      reply,
      config,
      `Orphaned ${count} ${count === 1 ? 'work' : 'works'}${plan.series.length > 0 ? ` and ${plan.series.length} series` : ''}. They now belong to orphan_account.`,
    );
    return reply.redirect(
      count === 1 && plan.series.length === 0
        ? paths.work(plan.works[0].id)
        : paths.userWorks(viewer.username),
      303,
    );
  });
}
