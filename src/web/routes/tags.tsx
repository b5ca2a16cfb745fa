import type { FastifyInstance } from 'fastify';
import { tagNameFromSlug } from '../../domain/archivePaths.ts';
import { NotFoundError } from '../../services/errors.ts';
import { findTag } from '../../services/tags.ts';
import { pageContext, type WebDependencies } from '../context.ts';
import { sendPage } from '../views/render.tsx';
import { TagPage } from '../views/TagPages.tsx';

export function registerTagRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/tags/:tag', async (request, reply) => {
    const tag = await findTag(db, tagNameFromSlug((request.params as { tag: string }).tag));
    if (!tag) throw new NotFoundError('There is no tag with that name in the archive.');
    return sendPage(reply, <TagPage context={pageContext(request, reply, config)} tag={tag} />);
  });
}
