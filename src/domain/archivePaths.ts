// The archive's URLs, AO3's scheme, built in one place so that links and routes agree.

// AO3 spells the characters that would break a path segment as *s* *a* *d* *q* *h*; tags cannot contain
// `*`, so the escapes are unambiguous and readers' old links keep their shape.
const TAG_ESCAPES: [string, string][] = [
  ['/', '*s*'],
  ['&', '*a*'],
  ['.', '*d*'],
  ['?', '*q*'],
  ['#', '*h*'],
];

export function tagSlug(name: string): string {
  let slug = name;
  for (const [character, code] of TAG_ESCAPES) slug = slug.split(character).join(code);
  return encodeURIComponent(slug);
}

/** The tag name from a route parameter (already percent-decoded by the router). */
export function tagNameFromSlug(slug: string): string {
  let name = slug;
  for (const [character, code] of TAG_ESCAPES) name = name.split(code).join(character);
  return name;
}

/** The file name part of a download URL: the title in lower-case words, as AO3 names downloads. */
export function downloadSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return slug || 'work';
}

export const paths = {
  home: () => '/',
  works: () => '/works',
  workSearch: () => '/works/search',
  newWork: () => '/works/new',
  work: (id: number) => `/works/${id}`,
  fullWork: (id: number) => `/works/${id}?view_full_work=true`,
  editWork: (id: number) => `/works/${id}/edit`,
  deleteWork: (id: number) => `/works/${id}/delete`,
  postWork: (id: number) => `/works/${id}/post`,
  chapter: (workId: number, chapterId: number) => `/works/${workId}/chapters/${chapterId}`,
  chapters: (workId: number) => `/works/${workId}/chapters`,
  newChapter: (workId: number) => `/works/${workId}/chapters/new`,
  editChapter: (workId: number, chapterId: number) => `/works/${workId}/chapters/${chapterId}/edit`,
  deleteChapter: (workId: number, chapterId: number) => `/works/${workId}/chapters/${chapterId}/delete`,
  chapterIndex: (workId: number) => `/works/${workId}/navigate`,
  manageChapters: (workId: number) => `/works/${workId}/chapters/manage`,
  kudos: (workId: number) => `/works/${workId}/kudos`,
  /** A work's creators and pending co-creator invitations (GET), and the invitation form's target (POST). */
  workCreatorships: (workId: number) => `/works/${workId}/creatorships`,
  withdrawCreatorship: (workId: number, invitationId: number) =>
    `/works/${workId}/creatorships/${invitationId}/delete`,
  leaveWork: (workId: number) => `/works/${workId}/creatorships/leave`,
  /** The member's co-creator requests, as on AO3: accepted or declined from this page. */
  userCreatorships: (username: string) => `/users/${encodeURIComponent(username)}/creatorships`,
  userStats: (username: string) => `/users/${encodeURIComponent(username)}/stats`,
  tag: (name: string) => `/tags/${tagSlug(name)}`,
  tagWorks: (name: string) => `/tags/${tagSlug(name)}/works`,
  /** The wrangling form's target on a tag's page. */
  wrangleTag: (name: string) => `/tags/${tagSlug(name)}/wrangle`,
  /** Unwrangled tags by fandom, for wranglers; `type` narrows it to one tag type. */
  tagWranglings: (type?: string) => `/tag_wranglings${type ? `?type=${encodeURIComponent(type)}` : ''}`,
  fandoms: () => '/fandoms',
  tagAutocomplete: () => '/api/v1/tags/autocomplete',
  user: (username: string) => `/users/${encodeURIComponent(username)}`,
  userWorks: (username: string) => `/users/${encodeURIComponent(username)}/works`,
  tokens: () => '/tokens',
  revokeToken: (id: number) => `/tokens/${id}/delete`,
  profile: (username: string) => `/users/${encodeURIComponent(username)}/profile`,
  editProfile: (username: string) => `/users/${encodeURIComponent(username)}/profile/edit`,
  adminImport: () => '/admin/import',
  series: (id: number) => `/series/${id}`,
  download: (workId: number, title: string, format: 'epub' | 'html') =>
    `/downloads/${workId}/${downloadSlug(title)}.${format}`,
  seriesDownload: (seriesId: number, title: string) =>
    `/downloads/series/${seriesId}/${downloadSlug(title)}.epub`,
  editSeries: (id: number) => `/series/${id}/edit`,
  userSeries: (username: string) => `/users/${encodeURIComponent(username)}/series`,
  /** A work's public bookmarks (GET) and the form target for bookmarking it (POST). */
  workBookmarks: (workId: number) => `/works/${workId}/bookmarks`,
  newWorkBookmark: (workId: number) => `/works/${workId}/bookmarks/new`,
  seriesBookmarks: (seriesId: number) => `/series/${seriesId}/bookmarks`,
  newSeriesBookmark: (seriesId: number) => `/series/${seriesId}/bookmarks/new`,
  editBookmark: (id: number) => `/bookmarks/${id}/edit`,
  deleteBookmark: (id: number) => `/bookmarks/${id}/delete`,
  userBookmarks: (username: string) => `/users/${encodeURIComponent(username)}/bookmarks`,
  subscribe: () => '/subscriptions',
  unsubscribe: (id: number) => `/subscriptions/${id}/delete`,
  userSubscriptions: (username: string) => `/users/${encodeURIComponent(username)}/subscriptions`,
  preferences: (username: string) => `/users/${encodeURIComponent(username)}/preferences`,
  changePassword: (username: string) => `/users/${encodeURIComponent(username)}/change_password`,
  changeEmail: (username: string) => `/users/${encodeURIComponent(username)}/change_email`,
  changeUsername: (username: string) => `/users/${encodeURIComponent(username)}/change_username`,
  /** "Forgot password?": the form (GET …/new) and its target (POST). */
  forgotPassword: () => '/users/password/new',
  requestPasswordReset: () => '/users/password',
  /** Where a reset link leads (GET, with reset_password_token) and the new password goes (POST). */
  resetPassword: () => '/users/password/edit',
  /** Where a confirmation link leads (GET, with confirmation_token); POST sends the mail again. */
  confirmation: () => '/users/confirmation',
  /** "Check your email": after signing up, and for sending the confirmation mail again. */
  confirmationSent: () => '/users/confirmation/new',
  tagFeed: (name: string) => `/tags/${tagSlug(name)}/feed.atom`,
  userFeed: (username: string) => `/users/${encodeURIComponent(username)}/works/feed.atom`,
  signUp: () => '/signup',
  logIn: () => '/users/login',
  logOut: () => '/users/logout',
  readings: (username: string) => `/users/${encodeURIComponent(username)}/readings`,
  markedForLater: (username: string) => `/users/${encodeURIComponent(username)}/readings?show=to-read`,
  forgetReading: (username: string, workId: number) =>
    `/users/${encodeURIComponent(username)}/readings/${workId}/delete`,
  clearReadings: (username: string) => `/users/${encodeURIComponent(username)}/readings/clear`,
  markForLater: (workId: number) => `/works/${workId}/mark_for_later`,
  markAsRead: (workId: number) => `/works/${workId}/mark_as_read`,
  /** Confirmation page and form target for muting or blocking a user; un… undoes it. */
  userRelation: (username: string, kind: 'mute' | 'block') =>
    `/users/${encodeURIComponent(username)}/${kind}`,
  undoUserRelation: (username: string, kind: 'mute' | 'block') =>
    `/users/${encodeURIComponent(username)}/un${kind}`,
  /** Someone's own list of the users they muted or blocked. */
  userRelationList: (username: string, kind: 'mute' | 'block') =>
    `/users/${encodeURIComponent(username)}/${kind === 'mute' ? 'muted' : 'blocked'}`,
  workComments: (workId: number) => `/works/${workId}/comments`,
  /** Finds the comment's thread on its work or chapter page (the page number and #comment_ID anchor). */
  comment: (id: number) => `/comments/${id}`,
  replyToComment: (id: number) => `/comments/${id}/reply`,
  editComment: (id: number) => `/comments/${id}/edit`,
  deleteComment: (id: number) => `/comments/${id}/delete`,
  moderateComment: (id: number, action: 'hide' | 'unhide' | 'approve') => `/comments/${id}/${action}`,
  inbox: (username: string) => `/users/${encodeURIComponent(username)}/inbox`,
  /** "Download my data": the member's page (GET: state and button; POST: ask) and their zip. */
  dataExport: (username: string) => `/users/${encodeURIComponent(username)}/data_export`,
  dataExportDownload: (username: string) => `/users/${encodeURIComponent(username)}/data_export/download`,
  deleteAccount: (username: string) => `/users/${encodeURIComponent(username)}/delete`,
  /** AO3's orphaning confirmation, for a work, a series or all of a writer's works (POST /orphans does it). */
  orphanWork: (workId: number) => `/orphans/new?work_id=${workId}`,
  orphanSeries: (seriesId: number) => `/orphans/new?series_id=${seriesId}`,
  orphanAllWorks: () => '/orphans/new?all_works=1',
  /** A user's pseuds (GET), and the target of the new-pseud form (POST). */
  pseuds: (username: string) => `/users/${encodeURIComponent(username)}/pseuds`,
  newPseud: (username: string) => `/users/${encodeURIComponent(username)}/pseuds/new`,
  /** A pseud's page (GET), and the target of its edit form (POST). */
  pseud: (username: string, name: string) =>
    `/users/${encodeURIComponent(username)}/pseuds/${encodeURIComponent(name)}`,
  editPseud: (username: string, name: string) =>
    `/users/${encodeURIComponent(username)}/pseuds/${encodeURIComponent(name)}/edit`,
  deletePseud: (username: string, name: string) =>
    `/users/${encodeURIComponent(username)}/pseuds/${encodeURIComponent(name)}/delete`,
  pseudWorks: (username: string, name: string) =>
    `/users/${encodeURIComponent(username)}/pseuds/${encodeURIComponent(name)}/works`,
  /** The icon form's target (POST a file), and where removing the icon is sent. */
  uploadPseudIcon: (username: string, name: string) =>
    `/users/${encodeURIComponent(username)}/pseuds/${encodeURIComponent(name)}/icon`,
  deletePseudIcon: (username: string, name: string) =>
    `/users/${encodeURIComponent(username)}/pseuds/${encodeURIComponent(name)}/icon/delete`,
  /** The icon's bytes; the hash changes with the icon, so browsers may keep each version for good. */
  pseudIcon: (pseudId: number, hash: string) => `/pseuds/${pseudId}/icon?v=${hash}`,
};
