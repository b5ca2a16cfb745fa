import { orphan, parseOrphanRequest } from '../../../services/orphaning.ts';
import { type ApiApp, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import { orphanedJson, orphanedSchema, orphanRequestBody } from './orphanSchemas.ts';

export function registerOrphanApi(api: ApiApp, { archive }: WebDependencies): void {
  api.post(
    '/orphans',
    {
      schema: {
        summary: 'Hand a work, a series or all your works to orphan_account, for good',
        description:
          'You can no longer edit what you orphan; comments, kudos and bookmarks stay. Drafts cannot be orphaned (400).',
        security: tokenSecurity,
        body: orphanRequestBody,
        response: { 200: orphanedSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      return orphanedJson(await orphan(archive.db, viewer, parseOrphanRequest(request.body)));
    },
  );
}
