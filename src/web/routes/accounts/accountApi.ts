import { z } from 'zod';
import { signUpSchema } from '../../../domain/accountRules.ts';
import { signUp } from '../../../services/emailConfirmation.ts';
import { type ApiApp, refusals } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';
import { acceptedAnswer } from './accountSchemas.ts';

export function registerAccountApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.post(
    '/users',
    {
      ...limitedRoute(config, 'signup', config.rateLimits.signup),
      schema: {
        summary: 'Create an account (when registration is open, or with an invitation code)',
        body: signUpSchema.extend({
          invitation: z
            .string()
            .optional()
            .meta({ description: 'Needed when registration is by invitation' }),
        }),
        description:
          'Where the archive confirms email addresses (it sends mail), the answer is 202 with the same body ' +
          'whether or not the address already has an account, and the account can post once the link in ' +
          'its welcome mail is followed. Otherwise the account is made at once (201), and a taken address ' +
          'is refused (409).',
        response: {
          201: z.object({ id: z.number().int(), username: z.string() }),
          202: acceptedAnswer,
          ...refusals(400, 403, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const { invitation, ...account } = request.body;
      const outcome = await signUp(
        db,
        account,
        { mode: config.registration, invitationCode: invitation, site: archiveSite(config, request) },
        config.confirmEmail,
      );
      if (outcome.status === 'confirmation_sent')
        return reply.status(202).send({
          message: 'Check your email to confirm your account: the link we sent works for 7 days.',
        });
      return reply.status(201).send({ id: outcome.id, username: outcome.username });
    },
  );
}
