import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';

// Which works a viewer finds in listings, series and counts, written once for every query that joins
// works. It is canRead (domain/permissions.ts) for lists: drafts are left out even for their creators,
// who reach them from their own drafts page, not through tags, series or bookmarks.

/** The work in the query is posted, and public unless the viewer is a member. */
export function readableWork(viewer: Viewer | null) {
  return (eb: ExpressionBuilder<Database, 'works'>) =>
    eb.and([eb('works.draft', '=', 0), ...(viewer ? [] : [eb('works.restricted', '=', 0)])]);
}

/**
 * The opposite of readableWork, written as equalities rather than a NOT so that a query for the few
 * hidden works can use the works_listing index on draft.
 */
export function hiddenWork(viewer: Viewer | null) {
  return (eb: ExpressionBuilder<Database, 'works'>) =>
    viewer ? eb('works.draft', '=', 1) : eb.or([eb('works.draft', '=', 1), eb('works.restricted', '=', 1)]);
}
