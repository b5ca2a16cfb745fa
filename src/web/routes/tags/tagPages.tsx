import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths, tagNameFromSlug } from '../../../domain/archivePaths.ts';
import { NotFoundError, ValidationError } from '../../../services/errors.ts';
import { tagRelations } from '../../../services/tagRelations.ts';
import { findTag, listFandoms } from '../../../services/tags.ts';
import { listUnwrangledTags, wrangleTag } from '../../../services/wrangling.ts';
import { pageContext, parsePage, setNotice, type WebDependencies } from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formList, formText } from '../../formInput.ts';
import { sendPage } from '../../views/render.tsx';
import { FandomsPage, TagPage, type WranglingFormState } from '../../views/TagPages.tsx';
import { WranglingPage } from '../../views/WranglingPages.tsx';

/** Enough for every fandom of a large archive on one page, letter by letter, as AO3 lists them. */
const FANDOMS_PER_PAGE = 2000;

/** The wrangling form as the wrangler filled it in, to show again beside what was refused. */
function wranglingFormFrom(body: unknown): WranglingFormState {
  return {
    values: {
      canonical: formText(body, 'canonical') === 'on',
      synonym_of: formText(body, 'synonym_of'),
      fandoms: formText(body, 'fandoms'),
      meta_tags: formText(body, 'meta_tags'),
    },
    remove: {
      fandoms: formList(body, 'remove_fandoms'),
      metaTags: formList(body, 'remove_meta_tags'),
      subTags: formList(body, 'remove_sub_tags'),
    },
  };
}

/** The routes about one tag, named by the path's :tag (its name as a URL slug). */
type TagRoute = { Params: { tag: string } };

export function registerTagRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  async function routeTag(request: FastifyRequest<TagRoute>) {
    const tag = await findTag(db, tagNameFromSlug(request.params.tag));
    if (!tag) throw new NotFoundError('There is no tag with that name in the archive.');
    return tag;
  }

  app.get<TagRoute>('/tags/:tag', async (request, reply) => {
    const tag = await routeTag(request);
    const relations = await tagRelations(db, request.viewer, tag.id);
    return sendPage(
      reply,
      <TagPage context={pageContext(request, reply, config)} tag={tag} relations={relations} />,
    );
  });

  app.post<TagRoute>('/tags/:tag/wrangle', async (request, reply) => {
    const tag = await routeTag(request);
    try {
      await wrangleTag(db, request.viewer, tag.id, request.body);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const answer = describeError(error);
      const relations = await tagRelations(db, request.viewer, tag.id);
      return sendPage(
        reply,
        <TagPage
          context={pageContext(request, reply, config)}
          tag={tag}
          relations={relations}
          form={{ ...wranglingFormFrom(request.body), message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
    setNotice(reply, config, 'Tag was successfully updated.');
    return reply.redirect(paths.tag(tag.name), 303);
  });

  app.get('/tag_wranglings', async (request, reply) => {
    const listing = await listUnwrangledTags(db, request.viewer, {
      type: formText(request.query, 'type'),
      page: parsePage(formText(request.query, 'page')),
    });
    return sendPage(reply, <WranglingPage context={pageContext(request, reply, config)} listing={listing} />);
  });

  app.get(paths.fandoms(), async (request, reply) => {
    const page = parsePage(formText(request.query, 'page'));
    const { fandoms, total } = await listFandoms(db, request.viewer, page, FANDOMS_PER_PAGE);
    return sendPage(
      reply,
      <FandomsPage
        context={pageContext(request, reply, config)}
        fandoms={fandoms}
        page={page}
        pages={Math.max(1, Math.ceil(total / FANDOMS_PER_PAGE))}
      />,
    );
  });

  // AO3 lists fandoms by medium at /media; this archive has one list of them.
  app.get('/media', async (_request, reply) => reply.redirect(paths.fandoms(), 301));
}
