import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { BookmarkTarget } from '../domain/bookmarkRules.ts';
import type { Viewer } from '../domain/permissions.ts';
import { bookmarkIdOf } from './bookmarks.ts';
import { subscriptionIdOf } from './subscriptions.ts';

/** What the viewer already did with a work or series, so its page offers to edit or undo it. */
export interface ReaderActionsState {
  bookmarkId: number | null;
  subscriptionId: number | null;
}

export async function readerActionsOf(
  db: Kysely<Database>,
  viewer: Viewer | null,
  target: BookmarkTarget,
): Promise<ReaderActionsState> {
  const [bookmarkId, subscriptionId] = await Promise.all([
    bookmarkIdOf(db, viewer, target),
    subscriptionIdOf(db, viewer, target),
  ]);
  return { bookmarkId, subscriptionId };
}
