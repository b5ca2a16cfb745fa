import type { ComponentChildren } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import { SEARCH_TEXT_LIMITS } from '../../search/queryGrammar.ts';
import { workQueryParams } from '../../search/queryParams.ts';
import type { WorkQuery } from '../../search/workSearch.ts';
import type { ChosenTag, FoundWorks, Snippet } from '../../services/workFinder.ts';
import type { WorkListing } from '../../services/works.ts';
import { FILTER_FORM_ID, FilterSidebar } from './FilterSidebar.tsx';
import { ErrorSummary } from './forms.tsx';
import { Layout, type PageContext, SignUpLink } from './Layout.tsx';
import { formatCount, WorkBlurb } from './WorkParts.tsx';

/** A filtered page of works with what the sidebar needs to redraw the reader's choices. */
export interface FilteredListing {
  found: FoundWorks;
  query: WorkQuery;
  q: string;
  /** What could not be used of the reader's filters, each as a sentence. */
  problems: Record<string, string>;
  chosen: { include: ChosenTag[]; exclude: ChosenTag[] };
}

/** "1 – 20 of 1,234 Works"; past the first page the position is not known, only the total. */
function listingRange(listing: FilteredListing): string {
  const { total, works } = listing.found;
  const noun = total === 1 ? 'Work' : 'Works';
  if (listing.query.cursor !== null || total <= works.length) return `${formatCount(total)} ${noun}`;
  return `1 – ${formatCount(works.length)} of ${formatCount(total)} ${noun}`;
}

function withQuery(basePath: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${basePath}?${query}` : basePath;
}

function MatchedText({ snippet }: { snippet: Snippet }) {
  return (
    <p class="snippet">
      <span class="visually-hidden">Matched text: </span>
      {snippet.map((part, index) =>
        part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </p>
  );
}

/** Keyset pages have no numbers: a reader goes on from where the page ends, or back to the start. */
function CursorPagination({ listing, basePath }: { listing: FilteredListing; basePath: string }) {
  const { query, q, found } = listing;
  if (query.cursor === null && found.nextCursor === null) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      <ol>
        {query.cursor !== null ? (
          <li>
            <a rel="first" href={withQuery(basePath, workQueryParams({ query, q }, { cursor: null }))}>
              ← First page
            </a>
          </li>
        ) : null}
        {found.nextCursor !== null ? (
          <li>
            <a
              rel="next"
              href={withQuery(basePath, workQueryParams({ query, q }, { cursor: found.nextCursor }))}
            >
              Next page →
            </a>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

function SearchBox({ q }: { q: string }) {
  return (
    <search class="work-search-box">
      <label class="work-search-label" for="work-search-q">
        Search works
      </label>
      <div class="work-search-row">
        <input
          id="work-search-q"
          type="search"
          name="q"
          value={q}
          maxLength={SEARCH_TEXT_LIMITS.length}
          form={FILTER_FORM_ID}
          aria-describedby="work-search-help"
        />
        <button class="button" type="submit" form={FILTER_FORM_ID}>
          Search
        </button>
      </div>
      <p class="hint" id="work-search-help">
        Searches titles, summaries, creators, tags and chapter text. Use quotes for a phrase (
        <code>"found family"</code>), <code>-word</code> to leave a word out, <code>OR</code> between
        alternatives, <code>words&gt;10000</code> or <code>kudos&gt;100</code> for numbers, and{' '}
        <code>fandom:"Harry Potter"</code> for a tag.
      </p>
    </search>
  );
}

export function WorkListingPage({
  context,
  title,
  heading,
  listing,
  basePath,
  clearHref = basePath,
  intro,
  empty,
  searchBox = false,
}: {
  context: PageContext;
  title: string;
  heading: ComponentChildren;
  listing: FilteredListing;
  basePath: string;
  /** Where "Clear Filters" leads: the listing without the reader's filters. */
  clearHref?: string;
  intro?: ComponentChildren;
  /** What an empty listing says when the reader has not narrowed it. */
  empty: ComponentChildren;
  /** The search page's text box above the results. */
  searchBox?: boolean;
}) {
  const { found, problems } = listing;
  const asked = workQueryParams({ query: listing.query, q: listing.q }, { cursor: null });
  asked.delete('sort');
  const narrowed = asked.toString() !== '';
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">
        {listingRange(listing)} {heading}
      </h1>
      {intro}
      {searchBox ? <SearchBox q={listing.q} /> : null}
      <p class="listing-skip">
        <a href="#listing-results">Skip the filters to the works</a>
      </p>
      <div class="listing-layout">
        <FilterSidebar
          action={basePath}
          query={listing.query}
          q={listing.q}
          facets={found.facets}
          chosen={listing.chosen}
          clearHref={clearHref}
          searchBoxOutside={searchBox}
        />
        <div class="listing-results" id="listing-results">
          <ErrorSummary
            message={
              Object.keys(problems).length > 0 ? 'Some of what you asked for could not be used:' : undefined
            }
            fields={problems}
          />
          {found.works.length === 0 ? (
            <p class="empty">{narrowed ? 'No works match what you asked for.' : empty}</p>
          ) : (
            <ol class="work-list">
              {found.works.map(({ work, snippet }) => (
                <WorkBlurb key={work.id} work={work}>
                  {snippet ? <MatchedText snippet={snippet} /> : null}
                </WorkBlurb>
              ))}
            </ol>
          )}
          <CursorPagination listing={listing} basePath={basePath} />
        </div>
      </div>
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
          <>
            <a href={paths.newWork()}>Post a new work</a> or browse what was updated lately.
          </>
        ) : context.registration === 'closed' ? (
          'Browse what was updated lately.'
        ) : (
          <>
            <SignUpLink context={context} label="Create an account" /> or browse what was updated lately.
          </>
        )}
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
