import type { FastifyInstance, FastifyReply } from 'fastify';
import type { QuireConfig } from '../../../config.ts';
import { paths } from '../../../domain/archivePaths.ts';
import {
  awaitsConfirmation,
  type FollowedLink,
  followConfirmationLink,
  resendConfirmation,
} from '../../../services/emailConfirmation.ts';
import { ServiceError, ValidationError } from '../../../services/errors.ts';
import {
  passwordResetHolder,
  requestPasswordReset,
  resetPassword,
} from '../../../services/passwordResets.ts';
import { startSession } from '../../../services/users.ts';
import {
  archiveSite,
  cookieFlags,
  pageContext,
  SESSION_COOKIE,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { limitedRoute } from '../../rateLimits.ts';
import {
  CheckEmailPage,
  ForgotPasswordPage,
  LinkFollowedPage,
  ResetPasswordPage,
  TOKENS_KEPT,
} from '../../views/AccountSettingsPages.tsx';
import { sendPage } from '../../views/render.tsx';
import { accountMailLimit } from './accountSchemas.ts';

/** Logs this browser in: the session cookie every log-in sets. */
export function startSessionCookie(reply: FastifyReply, config: QuireConfig, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieFlags(config), maxAge: 30 * 24 * 60 * 60 });
}

/** A page form's own check that the new password was typed the same twice. */
export function sameNewPassword(body: unknown): void {
  if (formText(body, 'password') !== formText(body, 'password_confirmation'))
    throw new ValidationError('Please type the same new password twice.', {
      password_confirmation: 'The two passwords are not the same.',
    });
}

export function linkFollowedMessage(followed: FollowedLink): string {
  return followed.outcome === 'confirmed'
    ? `Thank you, ${followed.username}: your email address is confirmed, and you can post works and comments.`
    : `The email address of ${followed.username} is now ${followed.email}.`;
}

/** "Forgot password?" and the links mailed to members: resetting a password, confirming an address. */
export function registerAccountRecoveryRoutes(
  app: FastifyInstance,
  { config, archive }: WebDependencies,
): void {
  const db = archive.db;

  app.get(paths.forgotPassword(), async (request, reply) =>
    sendPage(
      reply,
      <ForgotPasswordPage context={pageContext(request, reply, config)} form={{ values: {} }} />,
    ),
  );

  app.post(
    paths.requestPasswordReset(),
    limitedRoute(config, 'account-mail', config.rateLimits.accountMail),
    async (request, reply) => {
      const login = formText(request.body, 'login');
      try {
        await requestPasswordReset(db, login, archiveSite(config, request), accountMailLimit(config));
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const answer = describeError(error);
        const form = { values: { login }, message: answer.message, errors: answer.fields };
        return sendPage(
          reply,
          <ForgotPasswordPage context={pageContext(request, reply, config)} form={form} />,
          answer.status,
        );
      }
      // The same words whether or not an account matched.
      setNotice(
        reply,
        config,
        'If that is the username or email address of an account here, a link to choose a new password is on its way to the account’s address. It works for 24 hours.',
      );
      return reply.redirect(paths.logIn(), 303);
    },
  );

  app.get(
    paths.resetPassword(),
    limitedRoute(config, 'account-links', config.rateLimits.accountLinks),
    async (request, reply) => {
      const token = formText(request.query, 'reset_password_token');
      const username = await passwordResetHolder(db, token);
      return sendPage(
        reply,
        <ResetPasswordPage
          context={pageContext(request, reply, config)}
          token={token}
          username={username}
          form={{ values: {} }}
        />,
      );
    },
  );

  app.post(
    paths.resetPassword(),
    limitedRoute(config, 'account-links', config.rateLimits.accountLinks),
    async (request, reply) => {
      const token = formText(request.body, 'reset_password_token');
      try {
        sameNewPassword(request.body);
        const user = await resetPassword(db, token, formText(request.body, 'password'));
        startSessionCookie(reply, config, await startSession(db, user.id));
        setNotice(
          reply,
          config,
          `Your password is changed and you are logged in as ${user.username}. Every other session was logged out. ${TOKENS_KEPT}`,
        );
        return reply.redirect(paths.home(), 303);
      } catch (error) {
        // An unusable link is the 404 page; a password that will not do is the form again.
        if (!(error instanceof ValidationError)) throw error;
        const answer = describeError(error);
        const username = await passwordResetHolder(db, token);
        return sendPage(
          reply,
          <ResetPasswordPage
            context={pageContext(request, reply, config)}
            token={token}
            username={username}
            form={{ values: {}, message: answer.message, errors: answer.fields }}
          />,
          answer.status,
        );
      }
    },
  );

  app.get(
    paths.confirmation(),
    limitedRoute(config, 'account-links', config.rateLimits.accountLinks),
    async (request, reply) => {
      const followed = await followConfirmationLink(db, formText(request.query, 'confirmation_token'));
      return sendPage(
        reply,
        <LinkFollowedPage
          context={pageContext(request, reply, config)}
          message={linkFollowedMessage(followed)}
        />,
      );
    },
  );

  app.get(paths.confirmationSent(), async (request, reply) =>
    sendPage(
      reply,
      <CheckEmailPage
        context={pageContext(request, reply, config)}
        awaiting={await awaitsConfirmation(db, request.viewer)}
      />,
    ),
  );

  app.post(
    paths.confirmation(),
    limitedRoute(config, 'account-mail', config.rateLimits.accountMail),
    async (request, reply) => {
      const { email } = await resendConfirmation(
        db,
        request.viewer,
        archiveSite(config, request),
        accountMailLimit(config),
      );
      setNotice(reply, config, `We sent a new confirmation link to ${email}. Earlier links no longer work.`);
      return reply.redirect(paths.confirmationSent(), 303);
    },
  );
}
