import type { FastifyInstance } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import { ValidationError } from '../../services/errors.ts';
import { readerActionsOf } from '../../services/readerActions.ts';
import { getSeries } from '../../services/series.ts';
import {
  listUserSeries,
  type SeriesForEditing,
  seriesForEditing,
  updateSeries,
} from '../../services/seriesEditing.ts';
import { subscriptionIdOf } from '../../services/subscriptions.ts';
import { pageContext, routeId, routeUser, setNotice, type WebDependencies } from '../context.ts';
import { describeError } from '../errors.tsx';
import { formList, formText } from '../formInput.ts';
import { sendPage } from '../views/render.tsx';
import {
  SeriesEditPage,
  type SeriesFormState,
  SeriesPage,
  seriesFormState,
  UserSeriesPage,
} from '../views/SeriesPages.tsx';

const SERIES_TEXT_FIELDS = ['title', 'summary', 'notes', 'complete'] as const;

/** The series form as the owner filled it in: details, each part's place, and the parts ticked to go. */
function seriesFormFrom(body: unknown, series: SeriesForEditing): SeriesFormState {
  const values: Record<string, string> = {};
  for (const name of SERIES_TEXT_FIELDS) values[name] = formText(body, name);
  for (const part of series.parts) {
    values[`position_${part.workId}`] = formText(body, `position_${part.workId}`);
  }
  return { values, remove: formList(body, 'remove').map(Number) };
}

/** The new order of the parts kept, by the places the owner gave them (ties keep their old order). */
function partOrder(form: SeriesFormState, series: SeriesForEditing): number[] {
  const kept = series.parts.filter((part) => !form.remove.includes(part.workId));
  const places = kept.map((part) => ({
    workId: part.workId,
    place: Number(form.values[`position_${part.workId}`]),
  }));
  if (!places.every((entry) => Number.isInteger(entry.place) && entry.place >= 1)) {
    throw new ValidationError('Please fix the order of the parts.', {
      parts: 'Give every part a whole number from 1 as its place.',
    });
  }
  return places.sort((a, b) => a.place - b.place).map((entry) => entry.workId);
}

export function registerSeriesRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/series/:id', async (request, reply) => {
    const seriesId = routeId(request);
    const series = await getSeries(db, request.viewer, seriesId);
    return sendPage(
      reply,
      <SeriesPage
        context={pageContext(request, reply, config)}
        series={series}
        actions={await readerActionsOf(db, request.viewer, { seriesId })}
      />,
    );
  });

  app.get('/series/:id/edit', async (request, reply) => {
    const series = await seriesForEditing(db, request.viewer, routeId(request));
    return sendPage(
      reply,
      <SeriesEditPage
        context={pageContext(request, reply, config)}
        series={series}
        form={seriesFormState(series)}
      />,
    );
  });

  app.post('/series/:id/edit', async (request, reply) => {
    const seriesId = routeId(request);
    const series = await seriesForEditing(db, request.viewer, seriesId);
    const form = seriesFormFrom(request.body, series);
    try {
      await updateSeries(db, request.viewer, seriesId, form.values, {
        order: partOrder(form, series),
        remove: form.remove,
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <SeriesEditPage
          context={pageContext(request, reply, config)}
          series={series}
          form={{ ...form, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
    setNotice(reply, config, 'Series was successfully updated.');
    return reply.redirect(paths.series(seriesId), 303);
  });

  app.get('/users/:login/series', async (request, reply) => {
    const user = await routeUser(db, request);
    return sendPage(
      reply,
      <UserSeriesPage
        context={pageContext(request, reply, config)}
        username={user.username}
        series={await listUserSeries(db, request.viewer, user.id)}
        subscriptionId={await subscriptionIdOf(db, request.viewer, { creatorId: user.id })}
      />,
    );
  });
}
