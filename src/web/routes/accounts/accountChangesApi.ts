import { z } from 'zod';
import { changePassword, changeUsername, requestEmailChange } from '../../../services/accountChanges.ts';
import { followConfirmationLink, resendConfirmation } from '../../../services/emailConfirmation.ts';
import { requestPasswordReset, resetPassword } from '../../../services/passwordResets.ts';
import { type ApiApp, noContent, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';
import {
  acceptedAnswer,
  accountMailLimit,
  emailChangeBody,
  followedLinkAnswer,
  linkTokenParams,
  newPasswordBody,
  passwordChangeBody,
  passwordResetRequest,
  usernameChangeBody,
} from './accountSchemas.ts';

/** The JSON twins of the recovery and account-change pages. */
export function registerAccountChangesApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;
  const mailLimit = limitedRoute(config, 'account-mail', config.rateLimits.accountMail);
  const linkLimit = limitedRoute(config, 'account-links', config.rateLimits.accountLinks);

  api.post(
    '/password_resets',
    {
      ...mailLimit,
      schema: {
        summary: 'Mail a link to choose a new password to the account with this username or email',
        description: 'Answers 202 whether or not such an account exists. The link works once, for 24 hours.',
        body: passwordResetRequest,
        response: { 202: acceptedAnswer, ...refusals(400, 429) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(
        db,
        request.body.login,
        archiveSite(config, request),
        accountMailLimit(config),
      );
      return reply.status(202).send({
        message:
          'If that is the username or email address of an account here, a link to choose a new password is on its way to the account’s address.',
      });
    },
  );

  api.put(
    '/password_resets/:token',
    {
      ...linkLimit,
      schema: {
        summary: 'Set a new password with the secret from a password reset link',
        description:
          'Every session of the account is logged out; API tokens keep working (revoke them at /tokens). ' +
          '404 for an unknown, used or expired link.',
        params: linkTokenParams,
        body: newPasswordBody,
        response: { 204: noContent, ...refusals(400, 404, 429) },
      },
    },
    async (request, reply) => {
      await resetPassword(db, request.params.token, request.body.password);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/confirmations/:token',
    {
      ...linkLimit,
      schema: {
        summary: 'Follow a confirmation link: confirm a new account’s address, or complete a change of email',
        params: linkTokenParams,
        response: { 200: followedLinkAnswer, ...refusals(404, 409, 429) },
      },
    },
    async (request) => {
      const followed = await followConfirmationLink(db, request.params.token);
      return followed.outcome === 'confirmed'
        ? { outcome: followed.outcome, username: followed.username }
        : followed;
    },
  );

  api.post(
    '/account/confirmation',
    {
      ...mailLimit,
      schema: {
        summary: 'Send the confirmation mail of your account again (while it waits for one)',
        security: tokenSecurity,
        response: { 202: acceptedAnswer, ...refusals(401, 409, 429) },
      },
    },
    async (request, reply) => {
      const { email } = await resendConfirmation(
        db,
        requireToken(request),
        archiveSite(config, request),
        accountMailLimit(config),
      );
      return reply.status(202).send({ message: `A new confirmation link is on its way to ${email}.` });
    },
  );

  api.put(
    '/account/password',
    {
      schema: {
        summary: 'Change your password (your current one is asked again)',
        description: 'Every session of the account is logged out; API tokens keep working.',
        security: tokenSecurity,
        body: passwordChangeBody,
        response: { 204: noContent, ...refusals(400, 401) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      await changePassword(db, viewer, viewer.id, request.body);
      return reply.status(204).send(null);
    },
  );

  api.put(
    '/account/email',
    {
      ...mailLimit,
      schema: {
        summary: 'Change your email address: it changes when the link mailed to the new address is followed',
        description: 'The current address is told at once.',
        security: tokenSecurity,
        body: emailChangeBody,
        response: { 202: acceptedAnswer, ...refusals(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const { email } = await requestEmailChange(
        db,
        viewer,
        viewer.id,
        request.body,
        archiveSite(config, request),
        accountMailLimit(config),
      );
      return reply
        .status(202)
        .send({ message: `A link is on its way to ${email}; your address changes when it is followed.` });
    },
  );

  api.put(
    '/account/username',
    {
      schema: {
        summary: 'Change your username (once a week)',
        description:
          'For four weeks the old /users/OLD/… pages redirect to the new name, and nobody else can take the old one.',
        security: tokenSecurity,
        body: usernameChangeBody,
        response: { 200: z.object({ username: z.string() }), ...refusals(400, 401, 409) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      return changeUsername(db, viewer, viewer.id, request.body);
    },
  );
}
