import { z } from 'zod';
import { signUpSchema } from '../../../domain/accountRules.ts';
import { registerUser } from '../../../services/users.ts';
import { type ApiApp, refusals } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';

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
        response: {
          201: z.object({ id: z.number().int(), username: z.string() }),
          ...refusals(400, 403, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const { invitation, ...account } = request.body;
      const user = await registerUser(db, account, {
        mode: config.registration,
        invitationCode: invitation,
        site: archiveSite(config, request),
      });
      return reply.status(201).send({ id: user.id, username: user.username });
    },
  );
}
