import { paths } from '../../domain/archivePaths.ts';
import {
  BOOKMARK_LIMITS,
  BOOKMARK_SORTS,
  type BookmarkFilters,
  type BookmarkTarget,
} from '../../domain/bookmarkRules.ts';
import { bylineName } from '../../domain/pseudRules.ts';
import { RATINGS } from '../../domain/vocabulary.ts';
import type { BookmarkEntry, BookmarkListing, TagCount } from '../../services/bookmarks.ts';
import type { WorkSummary } from '../../services/workViews.ts';
import { Checkbox, ErrorSummary, type FieldErrors, TextArea, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { PseudSelect } from './PseudPages.tsx';
import { ReportLink } from './ReportPages.tsx';
import { SeriesBlurb } from './SeriesPages.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { formatDate, Pagination, SanitizedHtml, WorkBlurb } from './WorkParts.tsx';

export interface BookmarkFormState {
  values: Record<string, string>;
  message?: string;
  errors?: FieldErrors;
}

export function BookmarkFormPage({
  context,
  target,
  title,
  bookmarkId,
  form,
  pseudChoices = [],
}: {
  context: PageContext;
  /** The reader's pseuds, the default first: the bookmark is shown under one of them. */
  pseudChoices?: string[];
  target: BookmarkTarget;
  /** The bookmarked work's or series' title. */
  title: string;
  /** Set when the reader edits the bookmark they have. */
  bookmarkId?: number;
  form: BookmarkFormState;
}) {
  const { values, errors } = form;
  const targetPath = 'workId' in target ? paths.work(target.workId) : paths.series(target.seriesId);
  const action =
    bookmarkId !== undefined
      ? paths.editBookmark(bookmarkId)
      : 'workId' in target
        ? paths.workBookmarks(target.workId)
        : paths.seriesBookmarks(target.seriesId);
  const heading = bookmarkId !== undefined ? `Edit your bookmark of “${title}”` : `Bookmark “${title}”`;
  return (
    <Layout context={context} title={heading}>
      <h1 class="page-title">
        {bookmarkId !== undefined ? 'Edit your bookmark of ' : 'Bookmark '}
        <a href={targetPath}>{title}</a>
      </h1>
      <form class="form" method="post" action={action}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={errors} />
        <PseudSelect choices={pseudChoices} value={values.pseud} errors={errors} label="Bookmarker’s pseud" />
        <TextArea
          name="notes"
          label="Notes"
          value={values.notes}
          errors={errors}
          rows={4}
          hint={`Optional; up to ${BOOKMARK_LIMITS.notes.toLocaleString('en')} characters, HTML allowed.`}
        />
        <TextField
          name="tags"
          label="Your tags"
          value={values.tags}
          errors={errors}
          hint={`Optional; separate tags with commas (up to ${BOOKMARK_LIMITS.tags}). Only you choose these.`}
        />
        <Checkbox
          name="rec"
          label="Rec"
          checked={values.rec === 'on'}
          hint="Recommend it: recs stand out in your bookmarks and can be filtered for."
        />
        <Checkbox
          name="private"
          label="Private bookmark"
          checked={values.private === 'on'}
          hint="Only you will see it, and it is not counted on the work."
        />
        <div class="actions">
          <button class="button" type="submit">
            {bookmarkId !== undefined ? 'Update bookmark' : 'Create bookmark'}
          </button>
          <a class="button secondary" href={targetPath}>
            Cancel
          </a>
        </div>
      </form>
      {bookmarkId !== undefined ? (
        <p>
          <a href={paths.deleteBookmark(bookmarkId)}>Delete this bookmark</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** A user's bookmark listing with some filters applied, as a link (the filter form's own GET). */
function bookmarkFilterPath(username: string, filters: Partial<BookmarkFilters>): string {
  const query = new URLSearchParams();
  if (filters.rec) query.set('rec', '1');
  if (filters.tag) query.set('tag', filters.tag);
  if (filters.rating) query.set('rating', filters.rating);
  if (filters.fandom) query.set('fandom', filters.fandom);
  if (filters.complete) query.set('complete', '1');
  if (filters.sort && filters.sort !== 'bookmarked') query.set('sort', filters.sort);
  const search = query.toString();
  return search ? `${paths.userBookmarks(username)}?${search}` : paths.userBookmarks(username);
}

/** The bookmarker's part of a bookmark: who and when, rec, their tags and notes, and their own buttons. */
function BookmarkerModule({ context, bookmark }: { context: PageContext; bookmark: BookmarkEntry }) {
  const own = context.viewer?.username === bookmark.bookmarker;
  return (
    <div class="bookmark-module">
      <p class="bookmarker">
        Bookmarked by{' '}
        <a
          href={
            bookmark.pseud === bookmark.bookmarker
              ? paths.userBookmarks(bookmark.bookmarker)
              : paths.pseud(bookmark.bookmarker, bookmark.pseud)
          }
        >
          {bylineName({ pseud: bookmark.pseud, username: bookmark.bookmarker })}
        </a>{' '}
        on <time datetime={bookmark.createdAt}>{formatDate(bookmark.createdAt)}</time>
        {bookmark.rec ? <span class="bookmark-flag rec">Rec</span> : null}
        {bookmark.private ? <span class="bookmark-flag">Private</span> : null}{' '}
        <ReportLink target={{ kind: 'bookmark', id: bookmark.id }} />
      </p>
      {bookmark.tags.length > 0 ? (
        <div class="bookmark-tags">
          <span>Bookmarker’s Tags:</span>
          <ul class="tags">
            {bookmark.tags.map((tag) => (
              <li key={tag}>
                <a class="tag" href={bookmarkFilterPath(bookmark.bookmarker, { tag })}>
                  {tag}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {bookmark.notes ? (
        <SanitizedHtml as="blockquote" class="userstuff bookmark-notes" html={bookmark.notes} />
      ) : null}
      {own ? (
        <ul class="work-actions" aria-label="Your bookmark">
          <li>
            <a class="button secondary" href={paths.editBookmark(bookmark.id)}>
              Edit
            </a>
          </li>
          <li>
            <a class="button secondary" href={paths.deleteBookmark(bookmark.id)}>
              Delete
            </a>
          </li>
        </ul>
      ) : null}
    </div>
  );
}

function BookmarkBlurb({ context, bookmark }: { context: PageContext; bookmark: BookmarkEntry }) {
  const module = <BookmarkerModule context={context} bookmark={bookmark} />;
  if (bookmark.work) return <WorkBlurb work={bookmark.work}>{module}</WorkBlurb>;
  if (bookmark.series) return <SeriesBlurb series={bookmark.series}>{module}</SeriesBlurb>;
  return null;
}

function FacetSelect({
  name,
  label,
  facets,
  value,
}: {
  name: string;
  label: string;
  facets: TagCount[];
  value: string | undefined;
}) {
  // A value from a link may not be among the most used: keep it selectable so the form shows it.
  const options =
    value && !facets.some((facet) => facet.name === value) ? [{ name: value, count: 0 }, ...facets] : facets;
  return (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name}>
        <option value="">Any</option>
        {options.map((facet) => (
          <option key={facet.name} value={facet.name} selected={facet.name === value}>
            {facet.count > 0 ? `${facet.name} (${facet.count})` : facet.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function BookmarkFiltersForm({
  username,
  filters,
  listing,
}: {
  username: string;
  filters: BookmarkFilters;
  listing: BookmarkListing;
}) {
  return (
    <form
      class="form bookmark-filters"
      method="get"
      action={paths.userBookmarks(username)}
      aria-label="Filter bookmarks"
    >
      <h2 class="heading">Filter bookmarks</h2>
      <div class="field">
        <label for="filter-sort">Sort by</label>
        <select id="filter-sort" name="sort">
          {BOOKMARK_SORTS.map((sort) => (
            <option key={sort.value} value={sort.value} selected={sort.value === filters.sort}>
              {sort.label}
            </option>
          ))}
        </select>
      </div>
      <Checkbox name="rec" label="Recs only" checked={filters.rec} />
      <Checkbox name="complete" label="Complete works only" checked={filters.complete} />
      <FacetSelect name="tag" label="Bookmarker’s tag" facets={listing.facets.tags} value={filters.tag} />
      <div class="field">
        <label for="filter-rating">Rating</label>
        <select id="filter-rating" name="rating">
          <option value="">Any</option>
          {RATINGS.map((rating) => (
            <option key={rating} value={rating} selected={rating === filters.rating}>
              {rating}
            </option>
          ))}
        </select>
      </div>
      <FacetSelect name="fandom" label="Fandom" facets={listing.facets.fandoms} value={filters.fandom} />
      <div class="actions">
        <button class="button" type="submit">
          Sort and Filter
        </button>
        <a class="button secondary" href={paths.userBookmarks(username)}>
          Clear Filters
        </a>
      </div>
    </form>
  );
}

function listingCount(listing: BookmarkListing): string {
  return `${listing.total} ${listing.total === 1 ? 'Bookmark' : 'Bookmarks'}`;
}

export function UserBookmarksPage({
  context,
  username,
  listing,
  filters,
  subscriptionId,
}: {
  context: PageContext;
  username: string;
  listing: BookmarkListing;
  filters: BookmarkFilters;
  subscriptionId: number | null;
}) {
  const own = context.viewer?.username === username;
  const filtered = filters.rec || filters.complete || filters.tag || filters.rating || filters.fandom;
  return (
    <Layout context={context} title={`${username}'s bookmarks`}>
      <h1 class="page-title">
        {listingCount(listing)} by {username}
      </h1>
      <UserNavigation context={context} username={username} subscriptionId={subscriptionId} />
      <div class="bookmarks-layout">
        <BookmarkFiltersForm username={username} filters={filters} listing={listing} />
        <div>
          {listing.bookmarks.length === 0 ? (
            <p class="empty">
              {filtered
                ? 'No bookmarks match these filters.'
                : own
                  ? 'You have no bookmarks yet. Bookmark works and series from their pages.'
                  : `${username} has no public bookmarks yet.`}
            </p>
          ) : (
            <ol class="work-list bookmark-list">
              {listing.bookmarks.map((bookmark) => (
                <BookmarkBlurb key={bookmark.id} context={context} bookmark={bookmark} />
              ))}
            </ol>
          )}
          <Pagination
            page={listing.page}
            pages={listing.pages}
            basePath={bookmarkFilterPath(username, filters)}
          />
        </div>
      </div>
    </Layout>
  );
}

/** Everyone's public bookmarks of one work: the work once, then each reader's notes and tags. */
export function WorkBookmarksPage({
  context,
  work,
  listing,
}: {
  context: PageContext;
  work: WorkSummary;
  listing: BookmarkListing;
}) {
  return (
    <Layout context={context} title={`Bookmarks of ${work.title}`}>
      <h1 class="page-title">
        {listingCount(listing)} of <a href={paths.work(work.id)}>{work.title}</a>
      </h1>
      <ol class="work-list">
        <WorkBlurb work={work} />
      </ol>
      {listing.bookmarks.length === 0 ? (
        <p class="empty">Nobody has bookmarked this work publicly yet.</p>
      ) : (
        <ol class="bookmark-list">
          {listing.bookmarks.map((bookmark) => (
            <li key={bookmark.id} class="bookmark" id={`bookmark_${bookmark.id}`}>
              <BookmarkerModule context={context} bookmark={bookmark} />
            </li>
          ))}
        </ol>
      )}
      <Pagination page={listing.page} pages={listing.pages} basePath={paths.workBookmarks(work.id)} />
    </Layout>
  );
}
