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

export const paths = {
  home: () => '/',
  works: () => '/works',
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
  tag: (name: string) => `/tags/${tagSlug(name)}`,
  tagWorks: (name: string) => `/tags/${tagSlug(name)}/works`,
  user: (username: string) => `/users/${encodeURIComponent(username)}`,
  userWorks: (username: string) => `/users/${encodeURIComponent(username)}/works`,
  tokens: () => '/tokens',
  signUp: () => '/signup',
  logIn: () => '/users/login',
  logOut: () => '/users/logout',
};
