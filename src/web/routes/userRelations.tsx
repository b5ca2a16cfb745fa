import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import { ValidationError } from '../../services/errors.ts';
import { addUserRelation, relationTarget, removeUserRelation } from '../../services/muting.ts';
import { listUserRelations, RELATION_TABLES, relationsTo } from '../../services/userRelations.ts';
import { pageContext, routeUser, setNotice, type WebDependencies } from '../context.ts';
import { formText } from '../formInput.ts';
import { sendPage } from '../views/render.tsx';
import {
  RELATION_WORDING,
  UserRelationConfirmPage,
  UserRelationListPage,
} from '../views/UserRelationPages.tsx';
import { jsonBody, requireToken } from './api.ts';

function routeLogin(request: FastifyRequest): string {
  return (request.params as { login: string }).login;
}

const NOTICES = {
  mute: (username: string) => `You have muted ${username}. Their works and comments are hidden from you.`,
  block: (username: string) => `You have blocked ${username}. They can no longer comment on your works.`,
};

export function registerUserRelationRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  for (const kind of ['mute', 'block'] as const) {
    const wording = RELATION_WORDING[kind];

    app.get(`/users/:login/${kind}`, async (request, reply) => {
      const { viewer, target } = await relationTarget(db, request.viewer, kind, routeLogin(request));
      const relations = await relationsTo(db, viewer.id, target.id);
      return sendPage(
        reply,
        <UserRelationConfirmPage
          context={pageContext(request, reply, config)}
          kind={kind}
          username={target.username}
          active={relations[kind]}
        />,
      );
    });

    app.post(`/users/:login/${kind}`, async (request, reply) => {
      const { username } = await addUserRelation(db, request.viewer, kind, routeLogin(request));
      setNotice(reply, config, NOTICES[kind](username));
      return reply.redirect(paths.userWorks(username), 303);
    });

    app.post(`/users/:login/un${kind}`, async (request, reply) => {
      const { username } = await removeUserRelation(db, request.viewer, kind, routeLogin(request));
      setNotice(reply, config, `You have un${wording.done} ${username}.`);
      const fromList = formText(request.body, 'return_to') === 'list' && request.viewer;
      return reply.redirect(
        fromList ? paths.userRelationList(fromList.username, kind) : paths.userWorks(username),
        303,
      );
    });

    app.get(`/users/:login/${wording.done}`, async (request, reply) => {
      const owner = await routeUser(db, request);
      const users = await listUserRelations(db, request.viewer, owner.id, kind);
      return sendPage(
        reply,
        <UserRelationListPage
          context={pageContext(request, reply, config)}
          username={owner.username}
          kind={kind}
          users={users}
        />,
      );
    });

    const collection = `/api/v1/${RELATION_TABLES[kind]}`;

    app.get(collection, async (request) => {
      const viewer = requireToken(request);
      const users = await listUserRelations(db, viewer, viewer.id, kind);
      return { items: users.map((user) => ({ user: user.username, created_at: user.createdAt })) };
    });

    app.post(collection, async (request, reply) => {
      const viewer = requireToken(request);
      const login = jsonBody(request).user;
      if (typeof login !== 'string' || login.trim() === '') {
        throw new ValidationError(`Name the user to ${kind}: {"user": "LOGIN"}.`, {
          user: 'Give a username.',
        });
      }
      const { username, created } = await addUserRelation(db, viewer, kind, login.trim());
      return reply.status(created ? 201 : 200).send({ user: username });
    });

    app.delete(`${collection}/:login`, async (request, reply) => {
      await removeUserRelation(db, requireToken(request), kind, routeLogin(request));
      return reply.status(204).send();
    });
  }
}
