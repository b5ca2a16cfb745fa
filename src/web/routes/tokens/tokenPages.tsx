import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../services/apiTokens.ts';
import { ValidationError } from '../../../services/errors.ts';
import { pageContext, requireViewer, routeId, setNotice, type WebDependencies } from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { sendPage } from '../../views/render.tsx';
import { TokensPage } from '../../views/TokensPage.tsx';

const LOG_IN_FIRST = 'Log in to manage your API tokens.';

export function registerTokenRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get(paths.tokens(), async (request, reply) => {
    const viewer = requireViewer(request, LOG_IN_FIRST);
    return sendPage(
      reply,
      <TokensPage
        context={pageContext(request, reply, config)}
        tokens={await listApiTokens(db, viewer.id)}
      />,
    );
  });

  app.post(paths.tokens(), async (request, reply) => {
    const viewer = requireViewer(request, LOG_IN_FIRST);
    const values = { name: formText(request.body, 'name'), scope: formText(request.body, 'scope') };
    try {
      // The secret is shown in this answer alone, so there is no redirect to a page that could show it again.
      const token = await createApiToken(db, viewer.id, {
        name: values.name,
        scope: values.scope || undefined,
      });
      return sendPage(
        reply,
        <TokensPage
          context={pageContext(request, reply, config)}
          tokens={await listApiTokens(db, viewer.id)}
          newToken={token}
        />,
        201,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <TokensPage
          context={pageContext(request, reply, config)}
          tokens={await listApiTokens(db, viewer.id)}
          form={{ values, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });

  app.post('/tokens/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request, LOG_IN_FIRST);
    const name = await revokeApiToken(db, viewer.id, routeId(request));
    setNotice(reply, config, `The token “${name}” was revoked: it no longer works anywhere.`);
    return reply.redirect(paths.tokens(), 303);
  });
}
