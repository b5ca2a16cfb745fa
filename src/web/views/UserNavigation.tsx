import { paths } from '../../domain/archivePaths.ts';
import type { PageContext } from './Layout.tsx';
import { SubscribeButton } from './ReaderActions.tsx';

/**
 * The links between a user's pages (profile, pseuds, works, series, bookmarks; for themself also subscriptions,
 * history, preferences and the users they muted or blocked), and for other logged-in readers the button to subscribe to their new works.
 */
export function UserNavigation({
  context,
  username,
  subscriptionId,
}: {
  context: PageContext;
  username: string;
  /** The viewer's subscription to this user's works, if any. */
  subscriptionId: number | null;
}) {
  const own = context.viewer?.username === username;
  return (
    <nav class="user-nav" aria-label={`${username}’s pages`}>
      <ul class="work-actions">
        <li>
          <a href={paths.profile(username)}>Profile</a>
        </li>
        <li>
          <a href={paths.pseuds(username)}>Pseuds</a>
        </li>
        <li>
          <a href={paths.userWorks(username)}>Works</a>
        </li>
        <li>
          <a href={paths.userSeries(username)}>Series</a>
        </li>
        <li>
          <a href={paths.userBookmarks(username)}>Bookmarks</a>
        </li>
        {own ? (
          <>
            <li>
              <a href={paths.userSubscriptions(username)}>Subscriptions</a>
            </li>
            <li>
              <a href={paths.readings(username)}>History</a>
            </li>
            <li>
              <a href={paths.preferences(username)}>Preferences</a>
            </li>
            <li>
              <a href={paths.userRelationList(username, 'mute')}>Muted Users</a>
            </li>
            <li>
              <a href={paths.userRelationList(username, 'block')}>Blocked Users</a>
            </li>
          </>
        ) : null}
        {context.viewer && !own ? (
          <li>
            <SubscribeButton
              context={context}
              target={{ kind: 'user', username }}
              subscriptionId={subscriptionId}
            />
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
