import { bookmarkFiltersSchema } from '../../../domain/bookmarkRules.ts';
import {
  bookmarkForEditing,
  createBookmark,
  deleteBookmark,
  listBookmarks,
  ownBookmark,
  updateBookmark,
} from '../../../services/bookmarks.ts';
import { NotFoundError } from '../../../services/errors.ts';
import { findUserByLogin } from '../../../services/users.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import {
  bookmarkFieldsBody,
  bookmarkJson,
  bookmarkListingQuery,
  bookmarkPageJson,
  bookmarkPageSchema,
  bookmarkSchema,
  newBookmarkSchema,
} from './bookmarkSchemas.ts';

export function registerBookmarkApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/bookmarks',
    {
      schema: {
        summary:
          'A reader’s bookmarks, newest first (their private ones only for themself); without `user`, your own (with a token)',
        querystring: bookmarkListingQuery,
        response: { 200: bookmarkPageSchema, ...refusals(401, 404) },
      },
    },
    async (request) => {
      const login = request.query.user;
      const viewer = login ? request.viewer : requireToken(request);
      const user = login ? await findUserByLogin(db, login) : viewer;
      if (!user) throw new NotFoundError('There is no user with that name here.');
      const listing = await listBookmarks(
        db,
        viewer,
        { userId: user.id },
        bookmarkFiltersSchema.parse(request.query),
        request.query.page,
      );
      return bookmarkPageJson(listing, archiveSite(config, request).origin);
    },
  );

  api.post(
    '/bookmarks',
    {
      schema: {
        summary: 'Bookmark a work or a series (one bookmark each per reader)',
        security: tokenSecurity,
        body: newBookmarkSchema,
        response: { 201: bookmarkSchema, ...refusals(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const { notes, tags, private: hidden, rec, pseud, ...target } = request.body;
      const { id } = await createBookmark(db, viewer, target, { notes, tags, private: hidden, rec, pseud });
      return reply
        .status(201)
        .send(bookmarkJson(await ownBookmark(db, viewer, id), archiveSite(config, request).origin));
    },
  );

  api.patch(
    '/bookmarks/:id',
    {
      schema: {
        summary: 'Change your bookmark: the fields sent change, the rest stay as they are',
        security: tokenSecurity,
        params: idParams,
        body: bookmarkFieldsBody.partial(),
        response: { 200: bookmarkSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const bookmarkId = request.params.id;
      const current = await bookmarkForEditing(db, viewer, bookmarkId);
      await updateBookmark(db, viewer, bookmarkId, {
        notes: current.notes,
        tags: current.tags,
        private: current.private,
        rec: current.rec,
        ...request.body,
      });
      return bookmarkJson(await ownBookmark(db, viewer, bookmarkId), archiveSite(config, request).origin);
    },
  );

  api.delete(
    '/bookmarks/:id',
    {
      schema: {
        summary: 'Delete your bookmark',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteBookmark(db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
