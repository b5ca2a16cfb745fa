// The shared account that orphaned works are handed to, as on AO3. It is an account like any other for
// bylines and links, but nobody can log in as it and nobody can take its name.

export const ORPHAN_ACCOUNT = {
  username: 'orphan_account',
  /** `.invalid` is reserved (RFC 2606): no mail to it can ever be delivered. */
  email: 'orphan_account@invalid',
  /** Not a hash of anything: log-in refuses the account before any password is compared. */
  passwordHash: '!orphan_account: nobody logs in as this account',
} as const;

/** Whether an account key (a lower-cased login) names the orphan account. */
export function isOrphanAccountKey(key: string): boolean {
  return key === ORPHAN_ACCOUNT.username;
}
