import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths, tagNameFromSlug } from '../../domain/archivePaths.ts';
import { parseWorkQuery } from '../../search/queryParams.ts';
import type { WorkSearchScope } from '../../search/workSearch.ts';
import { NotFoundError } from '../../services/errors.ts';
import { subscriptionIdOf } from '../../services/subscriptions.ts';
import { findTag } from '../../services/tags.ts';
import { relationsTo } from '../../services/userRelations.ts';
import { findUserByLogin } from '../../services/users.ts';
import { chosenTags, findWorks } from '../../services/workFinder.ts';
import { listWorks } from '../../services/works.ts';
import { pageContext, type WebDependencies } from '../context.ts';
import { type FilteredListing, HomePage, WorkListingPage } from '../views/ListingPages.tsx';
import { sendPage } from '../views/render.tsx';
import { UserNavigation } from '../views/UserNavigation.tsx';
import { UserRelationControls } from '../views/UserRelationPages.tsx';

export function registerListingRoutes(
  app: FastifyInstance,
  { config, archive, search }: WebDependencies,
): void {
  const db = archive.db;

  /** A listing's works as the reader's filters narrow them; what cannot be used is said, not refused. */
  async function filteredListing(request: FastifyRequest, scope: WorkSearchScope): Promise<FilteredListing> {
    const { query, q, problems } = parseWorkQuery(request.query as Record<string, unknown>);
    const [found, chosen] = await Promise.all([
      findWorks(db, search, request.viewer, query, scope),
      chosenTags(db, query),
    ]);
    const unknown = Object.fromEntries(
      found.unknownTags.map((name) => [`include:${name}`, `No tag named “${name}” exists here.`]),
    );
    return { found, query, q, problems: { ...problems, ...unknown }, chosen };
  }

  app.get(paths.home(), async (request, reply) => {
    const listing = await listWorks(db, request.viewer, {}, 1);
    return sendPage(reply, <HomePage context={pageContext(request, reply, config)} listing={listing} />);
  });

  app.get(paths.works(), async (request, reply) => {
    const listing = await filteredListing(request, {});
    return sendPage(
      reply,
      <WorkListingPage
        context={pageContext(request, reply, config)}
        title="Works"
        heading="in the archive"
        listing={listing}
        basePath={paths.works()}
        empty="Nothing has been posted yet."
      />,
    );
  });

  app.get(paths.workSearch(), async (request, reply) => {
    const listing = await filteredListing(request, {});
    const clear = new URLSearchParams(listing.q ? { q: listing.q } : {}).toString();
    return sendPage(
      reply,
      <WorkListingPage
        context={pageContext(request, reply, config)}
        title={listing.q ? `${listing.q} - Search` : 'Search works'}
        heading="found"
        listing={listing}
        basePath={paths.workSearch()}
        clearHref={clear ? `${paths.workSearch()}?${clear}` : paths.workSearch()}
        empty="Nothing has been posted yet."
        searchBox
      />,
    );
  });

  app.get<{ Params: { login: string } }>('/users/:login', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new NotFoundError('There is no user with that name here.');
    return reply.redirect(paths.userWorks(user.username));
  });

  app.get<{ Params: { login: string } }>('/users/:login/works', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new NotFoundError('There is no user with that name here.');
    const listing = await filteredListing(request, { creatorUserId: user.id, includeDraftsOf: user.id });
    const own = request.viewer?.id === user.id;
    const relations = request.viewer && !own ? await relationsTo(db, request.viewer.id, user.id) : null;
    const subscriptionId = await subscriptionIdOf(db, request.viewer, { creatorId: user.id });
    const context = pageContext(request, reply, config);
    return sendPage(
      reply,
      <WorkListingPage
        context={context}
        title={`${user.username}'s works`}
        heading={<>by {user.username}</>}
        listing={listing}
        basePath={paths.userWorks(user.username)}
        intro={
          <>
            <UserNavigation context={context} username={user.username} subscriptionId={subscriptionId} />
            {own ? (
              <p>
                <a href={paths.tokens()}>API tokens</a> · <a href={paths.newWork()}>Post a new work</a> ·{' '}
                <a href={paths.userStats(user.username)}>Stats</a>
              </p>
            ) : relations ? (
              <UserRelationControls username={user.username} relations={relations} />
            ) : null}
          </>
        }
        empty={own ? 'You have not posted anything yet.' : `${user.username} has not posted any works yet.`}
      />,
    );
  });

  app.get<{ Params: { tag: string } }>('/tags/:tag/works', async (request, reply) => {
    const tag = await findTag(db, tagNameFromSlug(request.params.tag));
    if (!tag) throw new NotFoundError('There is no tag with that name in the archive.');
    if (tag.mergerName) {
      // A synonym's works are its canonical tag's works; the reader's filters come along.
      const queryString = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`${paths.tagWorks(tag.mergerName)}${queryString}`, 302);
    }
    const listing = await filteredListing(request, { tagId: tag.id });
    return sendPage(
      reply,
      <WorkListingPage
        context={pageContext(request, reply, config)}
        title={`${tag.name} - Works`}
        heading={
          <>
            in <a href={paths.tag(tag.name)}>{tag.name}</a>
          </>
        }
        listing={listing}
        basePath={paths.tagWorks(tag.name)}
        empty="No works visible to you carry this tag yet."
      />,
    );
  });
}
