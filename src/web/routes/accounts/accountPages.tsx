import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { signUp } from '../../../services/emailConfirmation.ts';
import { ServiceError } from '../../../services/errors.ts';
import { authenticate, endSession, startSession } from '../../../services/users.ts';
import { archiveSite, pageContext, SESSION_COOKIE, setNotice, type WebDependencies } from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { sameArchivePath } from '../../returnPaths.ts';
import { type FormState, LogInPage, SignUpPage } from '../../views/AccountPages.tsx';
import { sendPage } from '../../views/render.tsx';
import { startSessionCookie } from './accountRecoveryPages.tsx';

export function registerAccountRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get(paths.signUp(), async (request, reply) => {
    if (request.viewer) return reply.redirect(paths.home());
    return sendPage(
      reply,
      <SignUpPage
        context={pageContext(request, reply, config)}
        mode={config.registration}
        form={{ values: {} }}
      />,
      // The page says why there is no form; the status says it to anything that is not a person.
      config.registration === 'closed' ? 403 : 200,
    );
  });

  app.post(
    paths.signUp(),
    limitedRoute(config, 'signup', config.rateLimits.signup),
    async (request, reply) => {
      const values = {
        username: formText(request.body, 'username'),
        email: formText(request.body, 'email'),
        invitation: formText(request.body, 'invitation'),
      };
      try {
        const outcome = await signUp(
          db,
          { ...values, password: formText(request.body, 'password') },
          {
            mode: config.registration,
            invitationCode: values.invitation,
            site: archiveSite(config, request),
          },
          config.confirmEmail,
        );
        // Nobody is logged in, and nothing here differs whether or not the address already had an account.
        if (outcome.status === 'confirmation_sent') return reply.redirect(paths.confirmationSent(), 303);
        const user = outcome;
        startSessionCookie(reply, config, await startSession(db, user.id));
        setNotice(
          reply,
          config,
          `Welcome to ${config.archiveName}, ${user.username}! You can post your first work now.`,
        );
        return reply.redirect(paths.home(), 303);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        const answer = describeError(error);
        const form: FormState = { values, message: answer.message, errors: answer.fields };
        return sendPage(
          reply,
          <SignUpPage context={pageContext(request, reply, config)} mode={config.registration} form={form} />,
          answer.status,
        );
      }
    },
  );

  app.get(paths.logIn(), async (request, reply) => {
    const returnTo = sameArchivePath(formText(request.query, 'return_to'));
    return sendPage(
      reply,
      <LogInPage context={pageContext(request, reply, config)} form={{ values: {} }} returnTo={returnTo} />,
    );
  });

  app.post(paths.logIn(), limitedRoute(config, 'login', config.rateLimits.login), async (request, reply) => {
    const values = { login: formText(request.body, 'login') };
    const returnTo = sameArchivePath(formText(request.body, 'return_to'));
    try {
      const viewer = await authenticate(db, values.login, formText(request.body, 'password'));
      startSessionCookie(reply, config, await startSession(db, viewer.id));
      setNotice(reply, config, `Logged in as ${viewer.username}.`);
      return reply.redirect(returnTo ?? paths.home(), 303);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <LogInPage
          context={pageContext(request, reply, config)}
          form={{ values, message: answer.message }}
          returnTo={returnTo}
        />,
        answer.status,
      );
    }
  });

  app.post(paths.logOut(), async (request, reply) => {
    const session = request.cookies[SESSION_COOKIE];
    if (session) await endSession(db, session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    setNotice(reply, config, 'You have logged out. See you soon!');
    return reply.redirect(paths.home(), 303);
  });
}
