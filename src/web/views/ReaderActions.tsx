import { paths } from '../../domain/archivePaths.ts';
import type { BookmarkTarget } from '../../domain/bookmarkRules.ts';
import type { ReaderActionsState } from '../../services/readerActions.ts';
import type { SubscriptionKind } from '../../services/subscriptions.ts';
import type { WorkDetail } from '../../services/works.ts';
import { CsrfField, type PageContext } from './Layout.tsx';

// The buttons a logged-in reader has on a work, a series and a creator's page: bookmark and subscribe.

/** What a subscribe form names: a work or series by id, a creator by username. */
export type SubscribeTarget =
  | { kind: Exclude<SubscriptionKind, 'user'>; id: number }
  | { kind: 'user'; username: string };

/** Subscribe, or Unsubscribe when the reader already is. */
export function SubscribeButton({
  context,
  target,
  subscriptionId,
}: {
  context: PageContext;
  target: SubscribeTarget;
  subscriptionId: number | null;
}) {
  if (subscriptionId !== null) {
    return (
      <form class="inline" method="post" action={paths.unsubscribe(subscriptionId)}>
        <CsrfField context={context} />
        <button class="button secondary" type="submit">
          Unsubscribe
        </button>
      </form>
    );
  }
  return (
    <form class="inline" method="post" action={paths.subscribe()}>
      <CsrfField context={context} />
      {target.kind === 'user' ? (
        <input type="hidden" name="user" value={target.username} />
      ) : (
        <input type="hidden" name={`${target.kind}_id`} value={String(target.id)} />
      )}
      <button class="button" type="submit">
        Subscribe
      </button>
    </form>
  );
}

/** Bookmark, or Edit Bookmark when the reader already has one. */
export function BookmarkButton({
  target,
  bookmarkId,
}: {
  target: BookmarkTarget;
  bookmarkId: number | null;
}) {
  if (bookmarkId !== null) {
    return (
      <a class="button secondary" href={paths.editBookmark(bookmarkId)}>
        Edit Bookmark
      </a>
    );
  }
  const href =
    'workId' in target ? paths.newWorkBookmark(target.workId) : paths.newSeriesBookmark(target.seriesId);
  return (
    <a class="button" href={href}>
      {'workId' in target ? 'Bookmark' : 'Bookmark Series'}
    </a>
  );
}

/** On a work: the reader's bookmark and subscription (a draft has neither; its creators need no subscription). */
export function ReaderActions({
  context,
  work,
  state,
}: {
  context: PageContext;
  work: WorkDetail;
  state: ReaderActionsState;
}) {
  if (!context.viewer || work.draft) return null;
  return (
    <ul class="work-actions reader-actions" aria-label="Bookmark and subscribe">
      <li>
        <BookmarkButton target={{ workId: work.id }} bookmarkId={state.bookmarkId} />
      </li>
      {work.editable ? null : (
        <li>
          <SubscribeButton
            context={context}
            target={{ kind: 'work', id: work.id }}
            subscriptionId={state.subscriptionId}
          />
        </li>
      )}
    </ul>
  );
}
