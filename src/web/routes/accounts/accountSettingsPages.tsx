import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { changePassword, changeUsername, requestEmailChange } from '../../../services/accountChanges.ts';
import { AuthenticationError, ForbiddenError, ServiceError } from '../../../services/errors.ts';
import {
  archiveSite,
  pageContext,
  routeUser,
  SESSION_COOKIE,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { limitedRoute } from '../../rateLimits.ts';
import type { FormState } from '../../views/AccountPages.tsx';
import {
  ChangeEmailPage,
  ChangePasswordPage,
  ChangeUsernamePage,
  TOKENS_KEPT,
} from '../../views/AccountSettingsPages.tsx';
import { sendPage } from '../../views/render.tsx';
import { sameNewPassword } from './accountRecoveryPages.tsx';
import { accountMailLimit } from './accountSchemas.ts';

/** A form of the account's own: its owner alone opens it, as with the preferences. */
function ownAccount(request: FastifyRequest, user: { id: number }): void {
  if (!request.viewer) throw new AuthenticationError('Log in to change your account.');
  if (request.viewer.id !== user.id) throw new ForbiddenError('Only its owner can change an account.');
}

/**
 * What the form shows again when it could not be used; who may open it at all is the error page's to say.
 */
function formAnswer(error: unknown, values: Record<string, string>): { status: number; form: FormState } {
  if (
    !(error instanceof ServiceError) ||
    error instanceof AuthenticationError ||
    error instanceof ForbiddenError
  )
    throw error;
  const answer = describeError(error);
  return { status: answer.status, form: { values, message: answer.message, errors: answer.fields } };
}

/** Change password, email and username: AO3's /users/LOGIN/change_… pages, linked from the preferences. */
export function registerAccountSettingsRoutes(
  app: FastifyInstance,
  { config, archive }: WebDependencies,
): void {
  const db = archive.db;
  const currentEmail = (userId: number) =>
    db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();

  app.get('/users/:login/change_password', async (request, reply) => {
    const user = await routeUser(db, request);
    ownAccount(request, user);
    return sendPage(
      reply,
      <ChangePasswordPage
        context={pageContext(request, reply, config)}
        username={user.username}
        form={{ values: {} }}
      />,
    );
  });

  app.post('/users/:login/change_password', async (request, reply) => {
    const user = await routeUser(db, request);
    try {
      ownAccount(request, user);
      sameNewPassword(request.body);
      await changePassword(
        db,
        request.viewer,
        user.id,
        {
          current_password: formText(request.body, 'current_password'),
          password: formText(request.body, 'password'),
        },
        request.cookies[SESSION_COOKIE],
      );
    } catch (error) {
      const { status, form } = formAnswer(error, {});
      const context = pageContext(request, reply, config);
      return sendPage(
        reply,
        <ChangePasswordPage context={context} username={user.username} form={form} />,
        status,
      );
    }
    setNotice(reply, config, `Your password is changed. Every other session was logged out. ${TOKENS_KEPT}`);
    return reply.redirect(paths.preferences(user.username), 303);
  });

  app.get('/users/:login/change_email', async (request, reply) => {
    const user = await routeUser(db, request);
    ownAccount(request, user);
    const { email } = await currentEmail(user.id);
    return sendPage(
      reply,
      <ChangeEmailPage
        context={pageContext(request, reply, config)}
        username={user.username}
        email={email}
        form={{ values: {} }}
      />,
    );
  });

  app.post(
    '/users/:login/change_email',
    limitedRoute(config, 'account-mail', config.rateLimits.accountMail),
    async (request, reply) => {
      const user = await routeUser(db, request);
      const values = { email: formText(request.body, 'email') };
      let requested: { email: string };
      try {
        ownAccount(request, user);
        requested = await requestEmailChange(
          db,
          request.viewer,
          user.id,
          { ...values, current_password: formText(request.body, 'current_password') },
          archiveSite(config, request),
          accountMailLimit(config),
        );
      } catch (error) {
        const { status, form } = formAnswer(error, values);
        const { email } = await currentEmail(user.id);
        const context = pageContext(request, reply, config);
        return sendPage(
          reply,
          <ChangeEmailPage context={context} username={user.username} email={email} form={form} />,
          status,
        );
      }
      setNotice(
        reply,
        config,
        `We sent a link to ${requested.email}. Your address changes when it is followed (within 24 hours).`,
      );
      return reply.redirect(paths.preferences(user.username), 303);
    },
  );

  app.get('/users/:login/change_username', async (request, reply) => {
    const user = await routeUser(db, request);
    ownAccount(request, user);
    return sendPage(
      reply,
      <ChangeUsernamePage
        context={pageContext(request, reply, config)}
        username={user.username}
        form={{ values: {} }}
      />,
    );
  });

  app.post('/users/:login/change_username', async (request, reply) => {
    const user = await routeUser(db, request);
    const values = { username: formText(request.body, 'username') };
    let changed: { username: string };
    try {
      ownAccount(request, user);
      changed = await changeUsername(db, request.viewer, user.id, {
        ...values,
        current_password: formText(request.body, 'current_password'),
      });
    } catch (error) {
      const { status, form } = formAnswer(error, values);
      const context = pageContext(request, reply, config);
      return sendPage(
        reply,
        <ChangeUsernamePage context={context} username={user.username} form={form} />,
        status,
      );
    }
    setNotice(
      reply,
      config,
      `Your username is now ${changed.username}. Links to your old name lead here for four weeks.`,
    );
    return reply.redirect(paths.preferences(changed.username), 303);
  });
}
