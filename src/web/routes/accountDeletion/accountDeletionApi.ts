import { z } from 'zod';
import { deleteAccount } from '../../../services/accountDeletion.ts';
import { type ApiApp, noContent, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import { visitorSalt } from '../../visitors.ts';

const accountDeletionBody = z.object({
  password: z.string().meta({ description: 'Your password, to confirm' }),
  works: z.enum(['orphan', 'delete']).meta({
    description: 'orphan: your posted works and series go to orphan_account; delete: they are deleted',
  }),
  keep_pseud: z
    .boolean()
    .optional()
    .meta({ description: 'When orphaning, credit the works to your pseud’s name under orphan_account' }),
});

export function registerAccountDeletionApi(api: ApiApp, { config, archive }: WebDependencies): void {
  api.delete(
    '/account',
    {
      schema: {
        summary: 'Delete your account, for good',
        description:
          'Comments stay, credited to a deleted account; kudos stay counted without your name; bookmarks, history, subscriptions, inbox, mutes, blocks, tokens and sessions go; drafts are deleted. A wrong password is refused with 400 and changes nothing; the only administrator is refused with 409.',
        security: tokenSecurity,
        body: accountDeletionBody,
        response: { 204: noContent, ...refusals(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      await deleteAccount(archive.db, viewer, request.body, await visitorSalt(config, archive.db));
      return reply.status(204).send(null);
    },
  );
}
