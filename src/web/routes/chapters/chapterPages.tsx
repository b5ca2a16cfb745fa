import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import {
  addChapter,
  deleteChapter,
  readChapters,
  reorderChapters,
  updateChapter,
} from '../../../services/chapters.ts';
import { commentScope, commentSection } from '../../../services/comments.ts';
import { ServiceError, ValidationError } from '../../../services/errors.ts';
import { recordHit } from '../../../services/hits.ts';
import { kudosOf } from '../../../services/kudos.ts';
import { readerActionsOf } from '../../../services/readerActions.ts';
import { recordVisit } from '../../../services/readings.ts';
import { getWork, workForEditing } from '../../../services/works.ts';
import {
  archiveSite,
  pageContext,
  parsePage,
  routeId,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import type { FormState } from '../../views/AccountPages.tsx';
import { KUDOS_NAMES_SHOWN } from '../../views/KudosSection.tsx';
import { sendPage } from '../../views/render.tsx';
import { ChapterFormPage, ConfirmDeletePage, ManageChaptersPage } from '../../views/WorkForms.tsx';
import { ChapterIndexPage, chapterHeading, WorkPage } from '../../views/WorkPage.tsx';
import { visitorOf } from '../../visitors.ts';

const CHAPTER_FIELDS = ['title', 'body', 'format', 'summary', 'notes', 'end_notes'] as const;

function chapterFormFrom(body: unknown): FormState {
  const values: Record<string, string> = {};
  for (const name of CHAPTER_FIELDS) values[name] = formText(body, name);
  return { values };
}

function isFormProblem(error: unknown): error is ServiceError {
  return error instanceof ServiceError && (error.code === 'invalid_input' || error.code === 'conflict');
}

export function registerChapterRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/works/:id/chapters/:chapterId', async (request, reply) => {
    const { work, chapters } = await readChapters(
      db,
      request.viewer,
      routeId(request),
      routeId(request, 'chapterId'),
    );
    await recordHit(db, work, await visitorOf(request, config, db));
    const reading = await recordVisit(db, request.viewer, work, chapters[0].id);
    return sendPage(
      reply,
      <WorkPage
        context={pageContext(request, reply, config)}
        work={work}
        chapters={chapters}
        wholeWork={false}
        reading={reading}
        kudos={await kudosOf(db, work, KUDOS_NAMES_SHOWN)}
        readerActions={await readerActionsOf(db, request.viewer, { workId: work.id })}
        comments={
          await commentSection(
            db,
            request.viewer,
            work,
            commentScope(work, chapters, false),
            parsePage(formText(request.query, 'page')),
          )
        }
      />,
    );
  });

  // AO3's chapter index; the jump list on chapter pages submits here with the chosen chapter.
  app.get('/works/:id/navigate', async (request, reply) => {
    const workId = routeId(request);
    const work = await getWork(db, request.viewer, workId);
    const chosen = Number(formText(request.query, 'chapter_id'));
    if (work.chapters.some((chapter) => chapter.id === chosen))
      return reply.redirect(paths.chapter(workId, chosen), 303);
    return sendPage(reply, <ChapterIndexPage context={pageContext(request, reply, config)} work={work} />);
  });

  app.get('/works/:id/chapters/new', async (request, reply) => {
    const work = await workForEditing(db, request.viewer, routeId(request));
    return sendPage(
      reply,
      <ChapterFormPage
        context={pageContext(request, reply, config)}
        work={work}
        form={{ values: { format: 'html' } }}
      />,
    );
  });

  app.post('/works/:id/chapters', async (request, reply) => {
    const workId = routeId(request);
    const form = chapterFormFrom(request.body);
    try {
      const chapter = await addChapter(db, request.viewer, workId, form.values, archiveSite(config, request));
      setNotice(reply, config, `Chapter ${chapter.position} was successfully posted.`);
      return reply.redirect(paths.chapter(workId, chapter.id), 303);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      const work = await workForEditing(db, request.viewer, workId);
      const answer = describeError(error);
      return sendPage(
        reply,
        <ChapterFormPage
          context={pageContext(request, reply, config)}
          work={work}
          form={{ ...form, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });

  app.get('/works/:id/chapters/:chapterId/edit', async (request, reply) => {
    const work = await workForEditing(db, request.viewer, routeId(request));
    const { chapters } = await readChapters(db, request.viewer, work.id, routeId(request, 'chapterId'));
    const chapter = chapters[0];
    const values = {
      title: chapter.title,
      body: chapter.body,
      format: 'html',
      notes: chapter.notes,
      end_notes: chapter.endNotes,
      summary: chapter.summary,
    };
    return sendPage(
      reply,
      <ChapterFormPage
        context={pageContext(request, reply, config)}
        work={work}
        chapter={chapter}
        form={{ values }}
      />,
    );
  });

  app.post('/works/:id/chapters/:chapterId', async (request, reply) => {
    const workId = routeId(request);
    const chapterId = routeId(request, 'chapterId');
    const form = chapterFormFrom(request.body);
    try {
      await updateChapter(db, request.viewer, workId, chapterId, form.values);
      setNotice(reply, config, 'Chapter was successfully updated.');
      return reply.redirect(paths.chapter(workId, chapterId), 303);
    } catch (error) {
      if (!isFormProblem(error)) throw error;
      const work = await workForEditing(db, request.viewer, workId);
      const { chapters } = await readChapters(db, request.viewer, workId, chapterId);
      const answer = describeError(error);
      return sendPage(
        reply,
        <ChapterFormPage
          context={pageContext(request, reply, config)}
          work={work}
          chapter={chapters[0]}
          form={{ ...form, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });

  app.get('/works/:id/chapters/:chapterId/delete', async (request, reply) => {
    const work = await workForEditing(db, request.viewer, routeId(request));
    const { chapters } = await readChapters(db, request.viewer, work.id, routeId(request, 'chapterId'));
    const chapter = chapters[0];
    if (work.chapterCount <= 1) {
      throw new ValidationError('A work needs at least one chapter: delete the whole work instead.');
    }
    return sendPage(
      reply,
      <ConfirmDeletePage
        context={pageContext(request, reply, config)}
        title={`Delete ${chapterHeading(chapter)}?`}
        question={`Are you sure you want to delete ${chapterHeading(chapter)} of “${work.title}”? This cannot be undone.`}
        action={paths.deleteChapter(work.id, chapter.id)}
        cancel={paths.chapter(work.id, chapter.id)}
      />,
    );
  });

  app.post('/works/:id/chapters/:chapterId/delete', async (request, reply) => {
    const workId = routeId(request);
    await deleteChapter(db, request.viewer, workId, routeId(request, 'chapterId'));
    setNotice(reply, config, 'The chapter was deleted.');
    return reply.redirect(paths.work(workId), 303);
  });

  app.get('/works/:id/chapters/manage', async (request, reply) => {
    const work = await workForEditing(db, request.viewer, routeId(request));
    return sendPage(reply, <ManageChaptersPage context={pageContext(request, reply, config)} work={work} />);
  });

  app.post('/works/:id/chapters/manage', async (request, reply) => {
    const work = await workForEditing(db, request.viewer, routeId(request));
    // Each chapter's new place arrives as position_<id>.
    const placed = work.chapters.map((chapter) => ({
      id: chapter.id,
      place: Number(formText(request.body, `position_${chapter.id}`)),
    }));
    const places = placed.map((entry) => entry.place);
    const valid =
      places.every((place) => Number.isInteger(place) && place >= 1 && place <= work.chapterCount) &&
      new Set(places).size === places.length;
    if (!valid) {
      return sendPage(
        reply,
        <ManageChaptersPage
          context={pageContext(request, reply, config)}
          work={work}
          errors={{ chapters: `Number the chapters 1 to ${work.chapterCount}, each number once.` }}
        />,
        400,
      );
    }
    placed.sort((a, b) => a.place - b.place);
    await reorderChapters(
      db,
      request.viewer,
      work.id,
      placed.map((entry) => entry.id),
    );
    setNotice(reply, config, 'The chapters were reordered.');
    return reply.redirect(paths.work(work.id), 303);
  });
}
