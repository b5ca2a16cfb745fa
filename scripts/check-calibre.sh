#!/usr/bin/env bash
# Checks that Calibre reads our EPUB metadata as intended: builds the long sample work's EPUB, runs
# Calibre's `ebook-meta` on it and compares title, authors, tags and series. Installs Debian's calibre
# (large) when ebook-meta is missing. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v ebook-meta >/dev/null 2>&1; then
  echo "ebook-meta not found: installing Debian's calibre package (this is large)..."
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y calibre || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y calibre; }
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y calibre
  fi
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
epub="$work_dir/long-work.epub"
node --import tsx scripts/writeSampleEpub.ts "$epub" long

# Calibre is a Qt program: run it headless. It renders the SVG cover with Qt WebEngine, whose sandbox
# cannot start as root (containers, CI).
export QT_QPA_PLATFORM=offscreen
if [ "$(id -u)" -eq 0 ]; then export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"; fi
cover="$work_dir/cover.jpg"
meta="$(ebook-meta "$epub" --get-cover="$cover" 2>&1)"
echo "$meta"
echo

failures=0
# expect FIELD EXPECTED: the "FIELD : value" line of ebook-meta must contain EXPECTED.
expect() {
  local field="$1" expected="$2" line
  line="$(grep -E "^${field}[[:space:]]*:" <<<"$meta" | head -n 1 | sed -E 's/^[^:]*:[[:space:]]*//')" || true
  if [[ "$line" == *"$expected"* ]]; then
    echo "ok   ${field//\\/} contains: $expected"
  else
    echo "FAIL ${field//\\/}: expected to contain [$expected], got [$line]"
    failures=$((failures + 1))
  fi
}

expect 'Title' 'Ink & Ashes <or, "The Keeper'"'"'s Letters">'
expect 'Author\(s\)' 'saltwater_scribe & Zoë <Quill>'
expect 'Tags' 'Zoë Marchetti/Ito Haruka & Mara Quill'
expect 'Tags' 'Tags with <angle brackets> & "quotes"'
expect 'Tags' '伊藤 遥 (Ito Haruka)'
expect 'Tags' 'Slow Burn'
expect 'Tags' 'The Lantern Coast (Original Work)'
expect 'Series' 'Lantern Coast Stories & Sketches #2'
expect 'Publisher' 'Quire Test Archive'
expect 'Languages' 'eng'
if [ -s "$cover" ]; then
  echo "ok   cover rendered ($(wc -c <"$cover") bytes)"
else
  echo "FAIL Calibre found no cover"
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures Calibre metadata check(s) failed"
  exit 1
fi
echo "Calibre reads the EPUB metadata as expected."
