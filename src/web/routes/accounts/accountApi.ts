import { z } from 'zod';
import { signUpSchema } from '../../../domain/accountRules.ts';
import { authenticate, createApiToken, registerUser } from '../../../services/users.ts';
import { type ApiApp, refusals } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { limitedRoute } from '../../rateLimits.ts';

const tokenRequest = z
  .object({
    username: z.string().optional().meta({ description: 'The username or email address' }),
    login: z.string().optional().meta({ description: 'Another name for username' }),
    password: z.string().optional(),
    name: z.string().max(100).optional().meta({ description: 'What the token is for, shown at /tokens' }),
  })
  .meta({ description: 'Log in with a username (or email) and password' });

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

  api.post(
    '/tokens',
    {
      ...limitedRoute(config, 'login', config.rateLimits.login),
      schema: {
        summary: 'Get an API token for an account',
        body: tokenRequest,
        response: { 201: z.object({ token: z.string() }), ...refusals(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { username, login, password, name } = request.body;
      const viewer = await authenticate(db, username ?? login, password);
      return reply.status(201).send({ token: await createApiToken(db, viewer.id, name ?? 'API token') });
    },
  );
}
