// Who may see and change a work. Services call these; views only use them to hide buttons.

export interface Viewer {
  id: number;
  username: string;
  isAdmin: boolean;
  /** Wranglers (and admins) sort tags; unset for viewers built by imports and the CLI, who never wrangle. */
  isWrangler?: boolean;
  /** Moderators (and admins) act on abuse and policy; unset, like isWrangler, outside the web. */
  isModerator?: boolean;
}

export interface WorkAccess {
  draft: boolean;
  restricted: boolean;
  creatorUserIds: readonly number[];
}

export function isCreator(viewer: Viewer | null, work: WorkAccess): boolean {
  return viewer !== null && work.creatorUserIds.includes(viewer.id);
}

/** Drafts are for their creators alone; restricted works for anyone logged in. */
export function canRead(viewer: Viewer | null, work: WorkAccess): boolean {
  if (work.draft) return isCreator(viewer, work);
  if (work.restricted) return viewer !== null;
  return true;
}

/** Only a work's creators change it; admins moderate through their own tools, not by editing. */
export function canEdit(viewer: Viewer | null, work: WorkAccess): boolean {
  return isCreator(viewer, work);
}

/** Tag wrangling is a volunteer role; admins hold it too, so an archive can wrangle from day one. */
export function canWrangle(viewer: Viewer | null): boolean {
  return viewer !== null && (viewer.isWrangler === true || viewer.isAdmin);
}
