// Forms and log-in links carry the page to go back to afterwards. A crafted value must not send the
// reader to another site, nor break the redirect: browsers drop tabs and newlines from a Location and
// read `\` as `/`, so `/\t/evil.example` and `/\evil.example` lead away, and a raw newline cannot be
// sent in a header at all. Resolving the value the way a browser would, against a stand-in origin,
// tells where it really leads; what comes back is that resolved path, percent-encoded ASCII only.
const STAND_IN = new URL('http://archive.invalid/');

/** The value as a path on this archive, normalised, or undefined when it would lead anywhere else. */
export function sameArchivePath(value: string): string | undefined {
  if (!value.startsWith('/')) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(value, STAND_IN);
  } catch {
    return undefined;
  }
  if (resolved.origin !== STAND_IN.origin) return undefined;
  // `/..//evil.example` resolves to the path `//evil.example`, which a Location would read as a host.
  const path = resolved.pathname.replace(/^\/{2,}/, '/');
  return `${path}${resolved.search}${resolved.hash}`;
}
