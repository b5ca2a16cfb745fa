import {
  answerInvitation,
  inviteCoCreator,
  leaveWork,
  listInvitations,
  parseInvitee,
  withdrawInvitation,
  workCreatorships,
} from '../../../services/creatorships.ts';
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
  answerBody,
  answerSchema,
  creatorshipJson,
  creatorshipSchema,
  creatorshipsSchema,
  inviteBody,
  workCreatorshipParams,
  workCreatorshipsJson,
  workCreatorshipsSchema,
} from './creatorshipSchemas.ts';

// Co-creators: a work's creators invite (POST /works/{id}/creatorships), see and withdraw what is
// pending; the invitee lists (GET /creatorships) and answers (PATCH /creatorships/{id}); a co-creator
// leaves (DELETE /works/{id}/creatorships/mine).

export function registerCreatorshipApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/works/:id/creatorships',
    {
      schema: {
        summary:
          "A work's creators and its co-creator invitations nobody has answered yet (its creators only)",
        security: tokenSecurity,
        params: idParams,
        response: { 200: workCreatorshipsSchema, ...refusals(401, 403, 404) },
      },
    },
    async (request) =>
      workCreatorshipsJson(await workCreatorships(db, requireToken(request), request.params.id)),
  );

  api.post(
    '/works/:id/creatorships',
    {
      schema: {
        summary: "Invite another member's pseud to co-create the work",
        description:
          'The invitee is told in their inbox and joins the byline only when they accept. 400 for a name that ' +
          'matches nobody (or several members: write "Name (username)") and across a block either way between ' +
          'the invitee and a creator, 409 for a creator or someone already invited, 403 for anyone but a creator.',
        security: tokenSecurity,
        params: idParams,
        body: inviteBody,
        response: { 201: creatorshipSchema, ...refusals(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const invitation = await inviteCoCreator(
        db,
        requireToken(request),
        request.params.id,
        parseInvitee(request.body),
        archiveSite(config, request),
      );
      return reply.status(201).send(creatorshipJson(invitation));
    },
  );

  api.delete(
    '/works/:id/creatorships/mine',
    {
      schema: {
        summary: 'Leave a work you co-created: your pseuds leave its byline and you can no longer edit it',
        description: 'The last creator cannot leave (409): orphan the work or delete it instead.',
        security: tokenSecurity,
        params: idParams,
        response: { 204: noContent, ...refusals(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await leaveWork(db, requireToken(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.delete(
    '/works/:id/creatorships/:creatorshipId',
    {
      schema: {
        summary: 'Withdraw an invitation nobody has answered yet (any creator of the work)',
        security: tokenSecurity,
        params: workCreatorshipParams,
        response: { 204: noContent, ...refusals(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withdrawInvitation(db, requireToken(request), request.params.id, request.params.creatorshipId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/creatorships',
    {
      schema: {
        summary: 'Your co-creator invitations waiting for an answer, newest first',
        security: tokenSecurity,
        response: { 200: creatorshipsSchema, ...refusals(401) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      return { items: (await listInvitations(db, viewer, viewer.id)).map(creatorshipJson) };
    },
  );

  api.patch(
    '/creatorships/:id',
    {
      schema: {
        summary: 'Accept or decline one of your co-creator invitations',
        description: 'Either way the invitation is gone afterwards; anyone else’s invitation answers 404.',
        security: tokenSecurity,
        params: idParams,
        body: answerBody,
        response: { 200: answerSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const accept = request.body.accept;
      const answered = await answerInvitation(db, requireToken(request), request.params.id, accept);
      return { work_id: answered.workId, title: answered.title, accepted: accept };
    },
  );
}
