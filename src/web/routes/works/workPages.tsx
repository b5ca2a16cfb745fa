import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import type { Viewer } from '../../../domain/permissions.ts';
import { readChapters } from '../../../services/chapters.ts';
import { commentScope, commentSection } from '../../../services/comments.ts';
import { checkCoCreators, inviteCoCreators, parseInviteeList } from '../../../services/creatorships.ts';
import { ServiceError } from '../../../services/errors.ts';
import { recordHit } from '../../../services/hits.ts';
import { kudosOf } from '../../../services/kudos.ts';
import { pseudChoices } from '../../../services/pseuds.ts';
import { readerActionsOf } from '../../../services/readerActions.ts';
import { recordVisit } from '../../../services/readings.ts';
import { ownSeriesChoices } from '../../../services/seriesEditing.ts';
import {
  createWork,
  deleteWork,
  postDraft,
  updateWork,
  type WorkDetail,
  workForEditing,
} from '../../../services/works.ts';
import {
  archiveSite,
  pageContext,
  parsePage,
  requireViewer,
  routeId,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formList, formText } from '../../formInput.ts';
import { KUDOS_NAMES_SHOWN } from '../../views/KudosSection.tsx';
import { sendPage } from '../../views/render.tsx';
import {
  ConfirmDeletePage,
  WorkFormPage,
  type WorkFormState,
  workFormState,
} from '../../views/WorkForms.tsx';
import { WorkPage } from '../../views/WorkPage.tsx';
import { visitorOf } from '../../visitors.ts';

const WORK_TEXT_FIELDS = [
  'title',
  'summary',
  'notes',
  'end_notes',
  'rating',
  'fandoms',
  'relationships',
  'characters',
  'freeforms',
  'language',
  'expected_chapters',
  'complete',
  'restricted',
  'comment_policy',
  'moderate_comments',
  'series_id',
  'series_title',
  'co_creators',
  'pseud',
] as const;

const CHAPTER_TEXT_FIELDS = ['title', 'body', 'format', 'summary', 'notes', 'end_notes'] as const;

/** The work form as the creator filled it in, kept whole so a refused form comes back as it was. */
function workFormFrom(body: unknown): WorkFormState {
  const values: Record<string, string> = {};
  for (const name of WORK_TEXT_FIELDS) values[name] = formText(body, name);
  for (const name of CHAPTER_TEXT_FIELDS) values[`chapter_${name}`] = formText(body, `chapter_${name}`);
  return {
    values,
    lists: { warnings: formList(body, 'warnings'), categories: formList(body, 'categories') },
  };
}

function workInputFrom(form: WorkFormState, action: string) {
  return { ...form.values, ...form.lists, draft: action === 'draft' };
}

function chapterInputFrom(values: Record<string, string>, prefix: string) {
  const input: Record<string, string> = {};
  for (const name of CHAPTER_TEXT_FIELDS) input[name] = values[`${prefix}${name}`] ?? '';
  if (input.format === '') delete input.format;
  return input;
}

/** The edit form preselects the pseud the editor's part of the work is credited to. */
function ownCredit(form: WorkFormState, work: WorkDetail, viewer: Viewer | null): WorkFormState {
  const pseud = work.creators.find((creator) => creator.userId === viewer?.id)?.pseud ?? '';
  return { ...form, values: { ...form.values, pseud } };
}

export function registerWorkRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  async function refusedForm(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    form: WorkFormState,
    work?: Parameters<typeof WorkFormPage>[0]['work'],
  ) {
    if (
      !(error instanceof ServiceError) ||
      error.code === 'not_found' ||
      error.code === 'forbidden' ||
      error.code === 'unauthenticated'
    ) {
      throw error;
    }
    const answer = describeError(error);
    // The form has one chapter, whose fields are named chapter_<field> rather than chapters[0].<field>.
    const errors = Object.fromEntries(
      Object.entries(answer.fields ?? {}).map(([field, message]) => [
        field.replace(/^chapters\[0\]\./, 'chapter_'),
        message,
      ]),
    );
    return sendPage(
      reply,
      <WorkFormPage
        context={pageContext(request, reply, config)}
        form={{ ...form, message: answer.message, errors }}
        work={work}
        seriesChoices={await ownSeriesChoices(db, request.viewer)}
        pseudChoices={await pseudChoices(db, request.viewer)}
      />,
      answer.status,
    );
  }

  app.get(paths.newWork(), async (request, reply) => {
    requireViewer(request, 'Log in to post a work.');
    const form: WorkFormState = {
      values: { rating: 'Not Rated', language: 'en' },
      lists: { warnings: [], categories: [] },
    };
    return sendPage(
      reply,
      <WorkFormPage
        context={pageContext(request, reply, config)}
        form={form}
        seriesChoices={await ownSeriesChoices(db, request.viewer)}
        pseudChoices={await pseudChoices(db, request.viewer)}
      />,
    );
  });

  app.post(paths.works(), async (request, reply) => {
    const viewer = requireViewer(request, 'Log in to post a work.');
    const form = workFormFrom(request.body);
    const action = formText(request.body, 'action');
    try {
      const work = await createWork(
        db,
        viewer,
        workInputFrom(form, action),
        [chapterInputFrom(form.values, 'chapter_')],
        { announceAt: archiveSite(config, request) },
      );
      setNotice(
        reply,
        config,
        action === 'draft'
          ? 'Draft saved. Only you can see it until you post it.'
          : 'Work was successfully posted.',
      );
      return reply.redirect(paths.work(work.id), 303);
    } catch (error) {
      return refusedForm(request, reply, error, form);
    }
  });

  app.get('/works/:id', async (request, reply) => {
    const workId = routeId(request);
    const wholeWork = formText(request.query, 'view_full_work') === 'true';
    const { work, chapters } = await readChapters(db, request.viewer, workId);
    await recordHit(db, work, await visitorOf(request, config, db));
    // As on AO3, a multi-chapter work opens at its first chapter unless the reader asks for all of it.
    const shown = wholeWork || work.chapterCount === 1 ? chapters : chapters.slice(0, 1);
    const reading = await recordVisit(db, request.viewer, work, wholeWork ? null : shown[0].id);
    return sendPage(
      reply,
      <WorkPage
        context={pageContext(request, reply, config)}
        work={work}
        chapters={shown}
        wholeWork={wholeWork}
        reading={reading}
        kudos={await kudosOf(db, work, KUDOS_NAMES_SHOWN)}
        readerActions={await readerActionsOf(db, request.viewer, { workId })}
        comments={
          await commentSection(
            db,
            request.viewer,
            work,
            commentScope(work, shown, wholeWork),
            parsePage(formText(request.query, 'page')),
          )
        }
      />,
    );
  });

  app.get('/works/:id/edit', async (request, reply) => {
    const workId = routeId(request);
    const work = await workForEditing(db, request.viewer, workId);
    return sendPage(
      reply,
      <WorkFormPage
        context={pageContext(request, reply, config)}
        form={ownCredit(workFormState(work), work, request.viewer)}
        work={work}
        seriesChoices={await ownSeriesChoices(db, request.viewer)}
        pseudChoices={await pseudChoices(db, request.viewer)}
      />,
    );
  });

  app.post('/works/:id', async (request, reply) => {
    const workId = routeId(request);
    const work = await workForEditing(db, request.viewer, workId);
    const form = workFormFrom(request.body);
    const action = formText(request.body, 'action');
    try {
      // A name that invites nobody refuses the whole form, before anything is saved.
      const coCreators = parseInviteeList(form.values.co_creators);
      await checkCoCreators(db, request.viewer, workId, coCreators);
      await updateWork(
        db,
        request.viewer,
        workId,
        workInputFrom(form, work.draft ? action : 'post'),
        archiveSite(config, request),
      );
      await inviteCoCreators(db, request.viewer, workId, coCreators, archiveSite(config, request));
      setNotice(
        reply,
        config,
        work.draft && action !== 'draft' ? 'Work was successfully posted.' : 'Work was successfully updated.',
      );
      return reply.redirect(paths.work(workId), 303);
    } catch (error) {
      return refusedForm(request, reply, error, form, work);
    }
  });

  app.post('/works/:id/post', async (request, reply) => {
    const workId = routeId(request);
    await postDraft(db, request.viewer, workId, archiveSite(config, request));
    setNotice(reply, config, 'Work was successfully posted.');
    return reply.redirect(paths.work(workId), 303);
  });

  app.get('/works/:id/delete', async (request, reply) => {
    const workId = routeId(request);
    const work = await workForEditing(db, request.viewer, workId);
    return sendPage(
      reply,
      <ConfirmDeletePage
        context={pageContext(request, reply, config)}
        title={`Delete “${work.title}”?`}
        question={`Are you sure you want to delete “${work.title}” and all ${work.chapterCount} of its chapters? This cannot be undone.`}
        action={paths.deleteWork(workId)}
        cancel={paths.work(workId)}
      />,
    );
  });

  app.post('/works/:id/delete', async (request, reply) => {
    const workId = routeId(request);
    const viewer = requireViewer(request);
    await deleteWork(db, viewer, workId);
    setNotice(reply, config, 'Your work was deleted.');
    return reply.redirect(paths.userWorks(viewer.username), 303);
  });
}
