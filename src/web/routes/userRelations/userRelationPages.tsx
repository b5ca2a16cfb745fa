import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { addUserRelation, relationTarget, removeUserRelation } from '../../../services/muting.ts';
import { listUserRelations, relationsTo } from '../../../services/userRelations.ts';
import { pageContext, routeUser, setNotice, type WebDependencies } from '../../context.ts';
import { formText } from '../../formInput.ts';
import { sendPage } from '../../views/render.tsx';
import {
  RELATION_WORDING,
  UserRelationConfirmPage,
  UserRelationListPage,
} from '../../views/UserRelationPages.tsx';

/** The routes about one other user, named by the path's :login. */
type LoginRoute = { Params: { login: string } };

const NOTICES = {
  mute: (username: string) => `You have muted ${username}. Their works and comments are hidden from you.`,
  block: (username: string) => `You have blocked ${username}. They can no longer comment on your works.`,
};

export function registerUserRelationRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  for (const kind of ['mute', 'block'] as const) {
    const wording = RELATION_WORDING[kind];

    app.get<LoginRoute>(`/users/:login/${kind}`, async (request, reply) => {
      const { viewer, target } = await relationTarget(db, request.viewer, kind, request.params.login);
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

    app.post<LoginRoute>(`/users/:login/${kind}`, async (request, reply) => {
      const { username } = await addUserRelation(db, request.viewer, kind, request.params.login);
      setNotice(reply, config, NOTICES[kind](username));
      return reply.redirect(paths.userWorks(username), 303);
    });

    app.post<LoginRoute>(`/users/:login/un${kind}`, async (request, reply) => {
      const { username } = await removeUserRelation(db, request.viewer, kind, request.params.login);
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
  }
}
