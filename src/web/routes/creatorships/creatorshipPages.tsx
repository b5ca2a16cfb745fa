import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import {
  answerInvitation,
  inviteCoCreators,
  LAST_CREATOR_MESSAGE,
  leaveWork,
  listInvitations,
  parseInviteeList,
  withdrawInvitation,
  workCreatorships,
} from '../../../services/creatorships.ts';
import { NotFoundError, ServiceError, ValidationError } from '../../../services/errors.ts';
import { workForEditing } from '../../../services/works.ts';
import {
  archiveSite,
  pageContext,
  requireViewer,
  routeId,
  routeUser,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import {
  CreatorshipRequestsPage,
  LeaveWorkPage,
  WorkCreatorshipsPage,
} from '../../views/CreatorshipPages.tsx';
import { sendPage } from '../../views/render.tsx';

// AO3's co-creator pages: /users/LOGIN/creatorships (the invitee's requests, accepted or declined there),
// /works/ID/creatorships (the creators, pending invitations, inviting more) and leaving a work.

export function registerCreatorshipRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/users/:login/creatorships', async (request, reply) => {
    const user = await routeUser(db, request);
    const invitations = await listInvitations(db, request.viewer, user.id);
    return sendPage(
      reply,
      <CreatorshipRequestsPage
        context={pageContext(request, reply, config)}
        username={user.username}
        invitations={invitations}
      />,
    );
  });

  app.post('/users/:login/creatorships', async (request, reply) => {
    const user = await routeUser(db, request);
    // Only the owner's own page answers; listInvitations says so for anyone else.
    await listInvitations(db, request.viewer, user.id);
    const action = formText(request.body, 'action');
    if (action !== 'accept' && action !== 'decline') throw new ValidationError('Choose Accept or Decline.');
    const invitationId = Number(formText(request.body, 'creatorship_id'));
    if (!Number.isSafeInteger(invitationId) || invitationId < 1)
      throw new NotFoundError('That invitation does not exist (or is not yours).');
    const answered = await answerInvitation(db, request.viewer, invitationId, action === 'accept');
    if (action === 'accept') {
      setNotice(reply, config, `You are now a co-creator of “${answered.title}”.`);
      return reply.redirect(paths.work(answered.workId), 303);
    }
    setNotice(reply, config, `You declined to co-create “${answered.title}”.`);
    return reply.redirect(paths.userCreatorships(user.username), 303);
  });

  app.get('/works/:id/creatorships', async (request, reply) => {
    const work = await workCreatorships(db, request.viewer, routeId(request));
    return sendPage(
      reply,
      <WorkCreatorshipsPage context={pageContext(request, reply, config)} work={work} />,
    );
  });

  app.post('/works/:id/creatorships', async (request, reply) => {
    const workId = routeId(request);
    const value = formText(request.body, 'co_creators');
    try {
      const sent = await inviteCoCreators(
        db,
        request.viewer,
        workId,
        parseInviteeList(value),
        archiveSite(config, request),
      );
      setNotice(
        reply,
        config,
        sent.length === 0
          ? 'Nobody was named, so nobody was invited.'
          : `Invited ${sent.map((one) => one.pseud).join(', ')}.`,
      );
      return reply.redirect(paths.workCreatorships(workId), 303);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code === 'not_found' || error.code === 'unauthenticated')
        throw error;
      // Only the work's creators see the page again with the message; anyone else is refused here.
      const work = await workCreatorships(db, request.viewer, workId);
      const answer = describeError(error);
      return sendPage(
        reply,
        <WorkCreatorshipsPage
          context={pageContext(request, reply, config)}
          work={work}
          form={{ value, message: answer.message, errors: answer.fields ?? { co_creators: answer.message } }}
        />,
        answer.status,
      );
    }
  });

  app.post('/works/:id/creatorships/:creatorshipId/delete', async (request, reply) => {
    const workId = routeId(request);
    await withdrawInvitation(db, request.viewer, workId, routeId(request, 'creatorshipId'));
    setNotice(reply, config, 'The invitation was withdrawn.');
    return reply.redirect(paths.workCreatorships(workId), 303);
  });

  app.get('/works/:id/creatorships/leave', async (request, reply) => {
    const work = await workForEditing(db, request.viewer, routeId(request));
    const viewer = requireViewer(request);
    const alone = work.creators.every((creator) => creator.userId === viewer.id);
    return sendPage(
      reply,
      <LeaveWorkPage
        context={pageContext(request, reply, config)}
        workId={work.id}
        title={work.title}
        message={alone ? LAST_CREATOR_MESSAGE : undefined}
      />,
    );
  });

  app.post('/works/:id/creatorships/leave', async (request, reply) => {
    const workId = routeId(request);
    const viewer = requireViewer(request, 'Log in to change your works.');
    try {
      await leaveWork(db, viewer, workId);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== 'conflict') throw error;
      const work = await workForEditing(db, viewer, workId);
      return sendPage(
        reply,
        <LeaveWorkPage
          context={pageContext(request, reply, config)}
          workId={workId}
          title={work.title}
          message={error.message}
        />,
        409,
      );
    }
    setNotice(reply, config, 'You are no longer a creator of that work.');
    return reply.redirect(paths.userWorks(viewer.username), 303);
  });
}
