#!/usr/bin/env node
// The `quire` command: runs the compiled CLI in dist/ with plain Node (`npm ci` builds it).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('quire: dist/ is missing: run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
await import(entry.href);
