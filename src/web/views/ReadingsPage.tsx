import { paths } from '../../domain/archivePaths.ts';
import type { ReadingItem, ReadingListing } from '../../services/readings.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { chapterHeading } from './WorkPage.tsx';
import { formatDate, Pagination, WorkBlurb } from './WorkParts.tsx';

/** Where the reader picks up: the chapter they stopped at, or the start of a work they have not opened. */
function continuePath(item: ReadingItem): string {
  return item.chapter && item.work.chapterCount > 1
    ? paths.chapter(item.work.id, item.chapter.id)
    : paths.work(item.work.id);
}

function ReadingStatus({
  context,
  item,
  username,
  returnTo,
}: {
  context: PageContext;
  item: ReadingItem;
  username: string;
  returnTo: string;
}) {
  return (
    <div class="reading-status">
      <p>
        {item.visits > 0 ? (
          <>
            Last visited: <time datetime={item.lastReadAt}>{formatDate(item.lastReadAt)}</time>
            {item.chapter ? ` (${chapterHeading(item.chapter)})` : ''} · Visited{' '}
            {item.visits === 1 ? 'once' : `${item.visits} times`}
          </>
        ) : (
          <>
            Marked on <time datetime={item.lastReadAt}>{formatDate(item.lastReadAt)}</time> · Not visited yet
          </>
        )}
        {item.markedForLater ? (
          <>
            {' · '}
            <span class="reading-flag">Marked for Later</span>
          </>
        ) : null}
        {item.updateAvailable ? (
          <>
            {' · '}
            <strong class="reading-flag update-available">Update available</strong>
          </>
        ) : null}
      </p>
      <ul class="work-actions" aria-label={`History of ${item.work.title}`}>
        <li>
          <a class="button" href={continuePath(item)}>
            {item.visits > 0 ? 'Continue reading' : 'Start reading'}
          </a>
        </li>
        {item.markedForLater ? (
          <li>
            <form class="inline" method="post" action={paths.markAsRead(item.work.id)}>
              <CsrfField context={context} />
              <input type="hidden" name="return_to" value={returnTo} />
              <button type="submit">Mark as Read</button>
            </form>
          </li>
        ) : null}
        <li>
          <form class="inline" method="post" action={paths.forgetReading(username, item.work.id)}>
            <CsrfField context={context} />
            <input type="hidden" name="return_to" value={returnTo} />
            <button type="submit">Delete from History</button>
          </form>
        </li>
      </ul>
    </div>
  );
}

export function ReadingsPage({
  context,
  username,
  listing,
  toRead,
  preferencesPath,
}: {
  context: PageContext;
  username: string;
  listing: ReadingListing;
  /** Only the works marked for later. */
  toRead: boolean;
  /** Where history is switched on and off. */
  preferencesPath: string;
}) {
  const basePath = toRead ? paths.markedForLater(username) : paths.readings(username);
  const returnTo = listing.page > 1 ? `${basePath}${toRead ? '&' : '?'}page=${listing.page}` : basePath;
  return (
    <Layout context={context} title={toRead ? 'Marked for Later' : 'History'}>
      <h1 class="page-title">{toRead ? 'Marked for Later' : 'History'}</h1>
      <UserNavigation context={context} username={username} subscriptionId={null} />
      {listing.historyEnabled ? null : (
        <div class="notice" role="note">
          <p>
            Your reading history is off: visits to works are not being recorded.{' '}
            <a href={preferencesPath}>Turn it on in your preferences</a>
            {listing.total > 0 && !toRead ? ', or clear what is still here.' : '.'}
          </p>
        </div>
      )}
      <ul class="work-actions reading-filters" aria-label="Show">
        <li>
          {toRead ? <a href={paths.readings(username)}>Full History</a> : <strong>Full History</strong>}
        </li>
        <li>
          {toRead ? (
            <strong>Marked for Later</strong>
          ) : (
            <a href={paths.markedForLater(username)}>Marked for Later</a>
          )}
        </li>
        {listing.total > 0 && !toRead ? (
          <li>
            <a class="button secondary" href={paths.clearReadings(username)}>
              Clear History
            </a>
          </li>
        ) : null}
      </ul>
      {listing.items.length === 0 ? (
        <p class="empty">
          {toRead
            ? 'Nothing is marked for later. Use “Mark for Later” on a work to keep it here.'
            : 'Your history is empty. The works you read while logged in will show up here.'}
        </p>
      ) : (
        <ol class="work-list reading-list">
          {listing.items.map((item) => (
            <WorkBlurb key={item.work.id} work={item.work}>
              <ReadingStatus context={context} item={item} username={username} returnTo={returnTo} />
            </WorkBlurb>
          ))}
        </ol>
      )}
      <Pagination page={listing.page} pages={listing.pages} basePath={basePath} />
    </Layout>
  );
}
