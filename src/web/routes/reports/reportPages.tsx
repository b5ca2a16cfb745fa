import type { FastifyInstance } from 'fastify';
import { reportTargetOf } from '../../../domain/reports.ts';
import { NotFoundError, ValidationError } from '../../../services/errors.ts';
import {
  checkReportTarget,
  claimReport,
  listReports,
  resolveReport,
  submitReport,
} from '../../../services/reports.ts';
import { archiveSite, pageContext, requireViewer, setNotice, type WebDependencies } from '../../context.ts';
import { formText } from '../../formInput.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { AdminReportsPage, NewReportPage } from '../../views/ReportPages.tsx';
import { sendPage } from '../../views/render.tsx';
import { reportQuery } from './reportSchemas.ts';

const LOG_IN_FIRST = 'Log in as an administrator or moderator to handle reports.';

/** The report number in an admin path; anything else names no report. */
function reportIdOf(params: unknown): number {
  const id = Number((params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError('There is no such report.');
  return id;
}

/** /reports/new (AO3's abuse form) for readers, /admin/reports for moderators and administrators. */
export function registerReportRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  app.get('/reports/new', async (request, reply) => {
    const target = reportTargetOf(request.query as Record<string, unknown>);
    if (typeof target === 'string') throw new ValidationError(target);
    await checkReportTarget(archive.db, request.viewer, target);
    return sendPage(reply, <NewReportPage context={pageContext(request, reply, config)} target={target} />);
  });

  app.post('/reports', limitedRoute(config, 'report', config.rateLimits.reports), async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const target = reportTargetOf(body);
    if (typeof target === 'string') throw new ValidationError(target);
    const { added } = await submitReport(archive.db, request.viewer, target, {
      category: formText(body, 'category'),
      text: formText(body, 'text'),
      ...(request.viewer ? {} : { email: formText(body, 'email') }),
    });
    setNotice(
      reply,
      config,
      added
        ? 'Thank you: your report was added to an open report about the same thing.'
        : 'Thank you for your report.',
    );
    return reply.redirect('/', 303);
  });

  app.get('/admin/reports', async (request, reply) => {
    const viewer = requireViewer(request, LOG_IN_FIRST);
    const query = request.query as Record<string, unknown>;
    const parsed = reportQuery.safeParse({
      status: formText(query, 'status') || undefined,
      category: formText(query, 'category') || undefined,
    });
    if (!parsed.success) throw new ValidationError('Choose a status and a category from the lists.');
    return sendPage(
      reply,
      <AdminReportsPage
        context={pageContext(request, reply, config)}
        filter={parsed.data}
        reports={await listReports(archive.db, viewer, parsed.data)}
      />,
    );
  });

  app.post('/admin/reports/:id/claim', async (request, reply) => {
    const id = reportIdOf(request.params);
    await claimReport(archive.db, requireViewer(request, LOG_IN_FIRST), id);
    setNotice(reply, config, `You claimed report ${id}.`);
    return reply.redirect('/admin/reports', 303);
  });

  app.post('/admin/reports/:id/resolve', async (request, reply) => {
    const id = reportIdOf(request.params);
    await resolveReport(
      archive.db,
      requireViewer(request, LOG_IN_FIRST),
      id,
      formText(request.body, 'note'),
      archiveSite(config, request),
    );
    setNotice(reply, config, `Report ${id} is resolved.`);
    return reply.redirect('/admin/reports', 303);
  });
}
