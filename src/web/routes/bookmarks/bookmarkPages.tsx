import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { type BookmarkTarget, bookmarkFiltersSchema } from '../../../domain/bookmarkRules.ts';
import {
  bookmarkForEditing,
  bookmarkIdOf,
  createBookmark,
  deleteBookmark,
  listBookmarks,
  updateBookmark,
} from '../../../services/bookmarks.ts';
import { NotFoundError, ValidationError } from '../../../services/errors.ts';
import { pseudChoices } from '../../../services/pseuds.ts';
import { getSeries } from '../../../services/series.ts';
import { subscriptionIdOf } from '../../../services/subscriptions.ts';
import { getWork } from '../../../services/works.ts';
import {
  pageContext,
  parsePage,
  requireViewer,
  routeId,
  routeUser,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import {
  BookmarkFormPage,
  type BookmarkFormState,
  UserBookmarksPage,
  WorkBookmarksPage,
} from '../../views/BookmarkPages.tsx';
import { sendPage } from '../../views/render.tsx';
import { ConfirmDeletePage } from '../../views/WorkForms.tsx';

const BOOKMARK_FIELDS = ['notes', 'tags', 'rec', 'private', 'pseud'] as const;

function bookmarkFormFrom(body: unknown): BookmarkFormState {
  const values: Record<string, string> = {};
  for (const name of BOOKMARK_FIELDS) values[name] = formText(body, name);
  return { values };
}

function targetPath(target: BookmarkTarget): string {
  return 'workId' in target ? paths.work(target.workId) : paths.series(target.seriesId);
}

export function registerBookmarkRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  /** The bookmarked work's or series' title, if the viewer may see it. */
  async function targetTitle(request: FastifyRequest, target: BookmarkTarget): Promise<string> {
    if ('workId' in target) return (await getWork(db, request.viewer, target.workId)).title;
    return (await getSeries(db, request.viewer, target.seriesId)).title;
  }

  async function newBookmarkForm(request: FastifyRequest, reply: FastifyReply, target: BookmarkTarget) {
    const viewer = requireViewer(request, 'Log in to bookmark.');
    // One bookmark per reader: a second "Bookmark" opens the one they have.
    const existing = await bookmarkIdOf(db, viewer, target);
    if (existing !== null) return reply.redirect(paths.editBookmark(existing), 303);
    return sendPage(
      reply,
      <BookmarkFormPage
        context={pageContext(request, reply, config)}
        pseudChoices={await pseudChoices(db, request.viewer)}
        target={target}
        title={await targetTitle(request, target)}
        form={{ values: {} }}
      />,
    );
  }

  /** Saves the form as the reader's bookmark of the target: a new one, or the one they already have. */
  async function saveBookmark(request: FastifyRequest, reply: FastifyReply, target: BookmarkTarget) {
    const viewer = requireViewer(request, 'Log in to bookmark.');
    const form = bookmarkFormFrom(request.body);
    const existing = await bookmarkIdOf(db, viewer, target);
    try {
      if (existing === null) await createBookmark(db, viewer, target, form.values);
      else await updateBookmark(db, viewer, existing, form.values);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <BookmarkFormPage
          context={pageContext(request, reply, config)}
          pseudChoices={await pseudChoices(db, request.viewer)}
          target={target}
          title={await targetTitle(request, target)}
          bookmarkId={existing ?? undefined}
          form={{ ...form, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
    setNotice(
      reply,
      config,
      existing === null ? 'Bookmark was successfully created.' : 'Bookmark was successfully updated.',
    );
    return reply.redirect(targetPath(target), 303);
  }

  app.get('/works/:id/bookmarks/new', async (request, reply) =>
    newBookmarkForm(request, reply, { workId: routeId(request) }),
  );
  app.post('/works/:id/bookmarks', async (request, reply) =>
    saveBookmark(request, reply, { workId: routeId(request) }),
  );
  app.get('/series/:id/bookmarks/new', async (request, reply) =>
    newBookmarkForm(request, reply, { seriesId: routeId(request) }),
  );
  app.post('/series/:id/bookmarks', async (request, reply) =>
    saveBookmark(request, reply, { seriesId: routeId(request) }),
  );

  app.get('/works/:id/bookmarks', async (request, reply) => {
    const workId = routeId(request);
    const work = await getWork(db, request.viewer, workId);
    if (work.draft) throw new NotFoundError('A draft has no bookmarks.');
    const listing = await listBookmarks(
      db,
      request.viewer,
      { workId },
      bookmarkFiltersSchema.parse({}),
      parsePage(formText(request.query, 'page')),
    );
    return sendPage(
      reply,
      <WorkBookmarksPage context={pageContext(request, reply, config)} work={work} listing={listing} />,
    );
  });

  app.get('/bookmarks/:id/edit', async (request, reply) => {
    const bookmark = await bookmarkForEditing(db, request.viewer, routeId(request));
    return sendPage(
      reply,
      <BookmarkFormPage
        context={pageContext(request, reply, config)}
        pseudChoices={await pseudChoices(db, request.viewer)}
        target={bookmark.target}
        title={bookmark.title}
        bookmarkId={bookmark.id}
        form={{
          values: {
            notes: bookmark.notes,
            tags: bookmark.tags.join(', '),
            rec: bookmark.rec ? 'on' : '',
            private: bookmark.private ? 'on' : '',
            pseud: bookmark.pseud,
          },
        }}
      />,
    );
  });

  app.post('/bookmarks/:id/edit', async (request, reply) => {
    const bookmark = await bookmarkForEditing(db, request.viewer, routeId(request));
    return saveBookmark(request, reply, bookmark.target);
  });

  app.get('/bookmarks/:id/delete', async (request, reply) => {
    const bookmark = await bookmarkForEditing(db, request.viewer, routeId(request));
    return sendPage(
      reply,
      <ConfirmDeletePage
        context={pageContext(request, reply, config)}
        title={`Delete your bookmark of “${bookmark.title}”?`}
        question={`Are you sure you want to delete your bookmark of “${bookmark.title}”, with its notes and tags? This cannot be undone.`}
        action={paths.deleteBookmark(bookmark.id)}
        cancel={paths.editBookmark(bookmark.id)}
      />,
    );
  });

  app.post('/bookmarks/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request, 'Log in to change your bookmarks.');
    await deleteBookmark(db, viewer, routeId(request));
    setNotice(reply, config, 'Bookmark was successfully deleted.');
    return reply.redirect(paths.userBookmarks(viewer.username), 303);
  });

  app.get('/users/:login/bookmarks', async (request, reply) => {
    const user = await routeUser(db, request);
    const filters = bookmarkFiltersSchema.parse(request.query ?? {});
    const listing = await listBookmarks(
      db,
      request.viewer,
      { userId: user.id },
      filters,
      parsePage(formText(request.query, 'page')),
    );
    return sendPage(
      reply,
      <UserBookmarksPage
        context={pageContext(request, reply, config)}
        username={user.username}
        listing={listing}
        filters={filters}
        subscriptionId={await subscriptionIdOf(db, request.viewer, { creatorId: user.id })}
      />,
    );
  });
}
