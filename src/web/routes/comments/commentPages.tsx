import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import {
  commentLocation,
  commentPosting,
  deleteComment,
  editComment,
  getComment,
  type ModerationAction,
  moderateComment,
  postComment,
} from '../../../services/comments.ts';
import { ForbiddenError, ValidationError } from '../../../services/errors.ts';
import { getWork } from '../../../services/works.ts';
import {
  archiveSite,
  noSuchPage,
  pageContext,
  parseId,
  routeId,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { CommentEditPage, CommentFormPage } from '../../views/CommentsSection.tsx';
import { sendPage } from '../../views/render.tsx';
import { ConfirmDeletePage } from '../../views/WorkForms.tsx';

const COMMENT_FIELDS = ['body', 'guest_name', 'guest_email', 'chapter_id', 'parent_id', 'pseud'] as const;

const MODERATION_NOTICES: Record<ModerationAction, string> = {
  hide: 'The comment is hidden: only you and the other creators can see it.',
  unhide: 'The comment is visible again.',
  approve: 'The comment was approved and is now visible to everyone.',
};

function commentFormFrom(body: unknown): Record<string, string> {
  return Object.fromEntries(COMMENT_FIELDS.map((name) => [name, formText(body, name)]));
}

function moderationAction(action: string): ModerationAction {
  if (action === 'hide' || action === 'unhide' || action === 'approve') return action;
  throw noSuchPage();
}

export function registerCommentRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;
  const limited = limitedRoute(config, 'comment', config.rateLimits.comments);

  /** Where a form sends the reader once done: back to their inbox when they came from it. */
  function afterward(request: FastifyRequest, otherwise: () => Promise<string>): Promise<string> | string {
    const viewer = request.viewer;
    return formText(request.body, 'from') === 'inbox' && viewer ? paths.inbox(viewer.username) : otherwise();
  }

  app.post('/works/:id/comments', limited, async (request, reply) => {
    const workId = routeId(request);
    const values = commentFormFrom(request.body);
    try {
      const comment = await postComment(db, request.viewer, workId, values, archiveSite(config, request));
      setNotice(
        reply,
        config,
        comment.status === 'unreviewed'
          ? 'Your comment was received. It will appear once a creator of the work approves it.'
          : 'Comment created!',
      );
      // A guest cannot see their own comment while it waits for approval, so they go back to the work.
      const visibleToAuthor = comment.status === 'visible' || request.viewer !== null;
      return reply.redirect(
        await afterward(request, async () =>
          visibleToAuthor
            ? commentLocation(db, request.viewer, comment.id)
            : `${paths.work(workId)}#comments`,
        ),
        303,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const answer = describeError(error);
      const work = await getWork(db, request.viewer, workId);
      return sendPage(
        reply,
        <CommentFormPage
          context={pageContext(request, reply, config)}
          work={work}
          posting={await commentPosting(db, request.viewer, work)}
          parentId={parseId(values.parent_id) ?? undefined}
          chapterId={parseId(values.chapter_id)}
          form={{ values, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });

  app.get('/comments/:id', async (request, reply) =>
    reply.redirect(await commentLocation(db, request.viewer, routeId(request))),
  );

  app.get('/comments/:id/reply', async (request, reply) => {
    const { comment, work, replying } = await getComment(db, request.viewer, routeId(request));
    return sendPage(
      reply,
      <CommentFormPage
        context={pageContext(request, reply, config)}
        work={work}
        posting={replying}
        parent={comment}
      />,
    );
  });

  app.get('/comments/:id/edit', async (request, reply) => {
    const { comment, work } = await getComment(db, request.viewer, routeId(request));
    if (!comment.own) throw new ForbiddenError('Only the person who wrote a comment can edit it.');
    return sendPage(
      reply,
      <CommentEditPage
        context={pageContext(request, reply, config)}
        work={work}
        comment={comment}
        form={{ values: { body: comment.body } }}
      />,
    );
  });

  app.post('/comments/:id', async (request, reply) => {
    const commentId = routeId(request);
    const values = { body: formText(request.body, 'body') };
    try {
      await editComment(db, request.viewer, commentId, values);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const { comment, work } = await getComment(db, request.viewer, commentId);
      const answer = describeError(error);
      return sendPage(
        reply,
        <CommentEditPage
          context={pageContext(request, reply, config)}
          work={work}
          comment={comment}
          form={{ values, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
    setNotice(reply, config, 'Comment was updated.');
    return reply.redirect(await commentLocation(db, request.viewer, commentId), 303);
  });

  app.get('/comments/:id/delete', async (request, reply) => {
    const { comment, work, moderator } = await getComment(db, request.viewer, routeId(request));
    if (!comment.own && !moderator) {
      throw new ForbiddenError(
        'Only the person who wrote a comment, or the creators of the work, can delete it.',
      );
    }
    return sendPage(
      reply,
      <ConfirmDeletePage
        context={pageContext(request, reply, config)}
        title="Delete this comment?"
        question={`Are you sure you want to delete this comment on “${work.title}”? This cannot be undone.`}
        action={paths.deleteComment(comment.id)}
        cancel={paths.comment(comment.id)}
      />,
    );
  });

  app.post('/comments/:id/delete', async (request, reply) => {
    const commentId = routeId(request);
    // The thread's page, found while the comment still exists.
    const location = (await commentLocation(db, request.viewer, commentId)).replace(/#.*$/, '#comments');
    await deleteComment(db, request.viewer, commentId);
    setNotice(reply, config, 'Comment deleted.');
    return reply.redirect(location, 303);
  });

  app.post<{ Params: { id: string; action: string } }>('/comments/:id/:action', async (request, reply) => {
    const commentId = routeId(request);
    const action = moderationAction(request.params.action);
    await moderateComment(db, request.viewer, commentId, action, archiveSite(config, request));
    setNotice(reply, config, MODERATION_NOTICES[action]);
    return reply.redirect(
      await afterward(request, () => commentLocation(db, request.viewer, commentId)),
      303,
    );
  });
}
