import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { ValidationError } from '../../../services/errors.ts';
import { getProfile, profileForEditing, updateProfile } from '../../../services/profiles.ts';
import { subscriptionIdOf } from '../../../services/subscriptions.ts';
import { pageContext, setNotice, type WebDependencies } from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { EditProfilePage, ProfilePage } from '../../views/ProfilePages.tsx';
import { sendPage } from '../../views/render.tsx';

type LoginParams = { Params: { login: string } };

export function registerProfileRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get<LoginParams>('/users/:login/profile', async (request, reply) => {
    const profile = await getProfile(db, request.viewer, request.params.login);
    return sendPage(
      reply,
      <ProfilePage
        context={pageContext(request, reply, config)}
        profile={profile}
        subscriptionId={await subscriptionIdOf(db, request.viewer, { creatorId: profile.id })}
      />,
    );
  });

  app.get<LoginParams>('/users/:login/profile/edit', async (request, reply) => {
    const { username, about } = await profileForEditing(db, request.viewer, request.params.login);
    return sendPage(
      reply,
      <EditProfilePage context={pageContext(request, reply, config)} username={username} form={{ about }} />,
    );
  });

  app.post<LoginParams>('/users/:login/profile', async (request, reply) => {
    const about = formText(request.body, 'about');
    try {
      const { username } = await updateProfile(db, request.viewer, request.params.login, { about });
      setNotice(reply, config, 'Your profile has been successfully updated.');
      return reply.redirect(paths.profile(username), 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <EditProfilePage
          context={pageContext(request, reply, config)}
          username={request.params.login}
          form={{ about, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });
}
