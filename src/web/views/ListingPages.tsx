import type { ComponentChildren } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import type { WorkListing } from '../../services/works.ts';
import { Layout, type PageContext } from './Layout.tsx';
import { Pagination, WorkBlurb } from './WorkParts.tsx';

function listingRange(listing: WorkListing): string {
  if (listing.total === 0) return '0 Works';
  const first = (listing.page - 1) * 20 + 1;
  const last = first + listing.works.length - 1;
  return listing.total <= listing.works.length
    ? `${listing.total} ${listing.total === 1 ? 'Work' : 'Works'}`
    : `${first} - ${last} of ${listing.total} Works`;
}

export function WorkListingPage({
  context,
  title,
  heading,
  listing,
  basePath,
  intro,
  empty,
}: {
  context: PageContext;
  title: string;
  heading: ComponentChildren;
  listing: WorkListing;
  basePath: string;
  intro?: ComponentChildren;
  empty: ComponentChildren;
}) {
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">
        {listingRange(listing)} {heading}
      </h1>
      {intro}
      {listing.works.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <ol class="work-list">
          {listing.works.map((work) => (
            <WorkBlurb key={work.id} work={work} />
          ))}
        </ol>
      )}
      <Pagination page={listing.page} pages={listing.pages} basePath={basePath} />
    </Layout>
  );
}

export function HomePage({ context, listing }: { context: PageContext; listing: WorkListing }) {
  return (
    <Layout context={context} title="Home">
      <h1 class="page-title">Welcome to {context.archiveName}</h1>
      <p>
        A fan-run archive of fan fiction.{' '}
        {context.viewer ? (
          <a href={paths.newWork()}>Post a new work</a>
        ) : (
          <a href={paths.signUp()}>Create an account</a>
        )}{' '}
        or browse what was updated lately.
      </p>
      <h2 class="heading">Recently updated</h2>
      {listing.works.length === 0 ? (
        <p class="empty">Nothing has been posted yet. The first story could be yours.</p>
      ) : (
        <ol class="work-list">
          {listing.works.map((work) => (
            <WorkBlurb key={work.id} work={work} />
          ))}
        </ol>
      )}
      {listing.total > listing.works.length ? (
        <p>
          <a href={paths.works()}>All {listing.total} works →</a>
        </p>
      ) : null}
    </Layout>
  );
}
