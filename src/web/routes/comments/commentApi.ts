import {
  deleteComment,
  editComment,
  getComment,
  listComments,
  postComment,
  setCommentStatus,
} from '../../../services/comments.ts';
import { ValidationError } from '../../../services/errors.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';
import {
  commentChangeSchema,
  commentJson,
  commentListingQuery,
  commentSchema,
  commentThreadsSchema,
  createdCommentSchema,
  newCommentSchema,
} from './commentSchemas.ts';

export function registerCommentApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.post(
    '/works/:id/comments',
    {
      // One budget for the form and the API, per client address.
      ...limitedRoute(config, 'comment', config.rateLimits.comments),
      schema: {
        summary:
          'Comment on a work, a chapter or (with parent_id) another comment; without a token, as a named guest where the work allows guests',
        params: idParams,
        body: newCommentSchema,
        response: {
          201: createdCommentSchema,
          ...refusals(400, 401, 403, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const site = archiveSite(config, request);
      const { id, status } = await postComment(db, request.viewer, request.params.id, request.body, site);
      return reply.status(201).send({ id, status });
    },
  );

  api.get(
    '/works/:id/comments',
    {
      schema: {
        summary: 'A work’s comment threads (20 per page), each with its replies, oldest first',
        params: idParams,
        querystring: commentListingQuery,
        response: { 200: commentThreadsSchema, ...refusals(400, 401, 404) },
      },
    },
    async (request) => {
      const { page, chapter_id } = request.query;
      const listing = await listComments(db, request.viewer, request.params.id, chapter_id, page);
      const origin = archiveSite(config, request).origin;
      return {
        threads: listing.threads.map((thread) => commentJson(thread, origin)),
        total_threads: listing.totalThreads,
        page: listing.page,
        pages: listing.pages,
      };
    },
  );

  api.patch(
    '/comments/:id',
    {
      schema: {
        summary: 'Edit your comment (body), or as a creator of the work set its status',
        security: tokenSecurity,
        params: idParams,
        body: commentChangeSchema,
        response: { 200: commentSchema, ...refusals(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const commentId = request.params.id;
      const { body, status } = request.body;
      if (body === undefined && status === undefined)
        throw new ValidationError(
          'Send the new body of the comment, or (as a creator of the work) its status.',
        );
      if (body !== undefined) await editComment(db, viewer, commentId, { body });
      if (status !== undefined)
        await setCommentStatus(db, viewer, commentId, status, archiveSite(config, request));
      return commentJson(
        (await getComment(db, viewer, commentId)).comment,
        archiveSite(config, request).origin,
      );
    },
  );

  api.delete(
    '/comments/:id',
    {
      schema: {
        summary:
          'Delete your comment (or, as a creator, one on your work); one with replies stays as a placeholder',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteComment(db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
