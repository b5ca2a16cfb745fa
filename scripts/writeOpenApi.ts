// Writes the OpenAPI document generated from the API routes' zod schemas to openapi.json at the root
// (`npm run openapi`). A test compares the two, so CI fails when the routes change and the file does not.
import fs from 'node:fs';
import { openApiText } from '../src/web/api/openApiDocument.ts';
import { startTestArchive } from '../test/support/testArchive.ts';

const archive = await startTestArchive();
try {
  fs.writeFileSync(new URL('../openapi.json', import.meta.url), await openApiText(archive.app));
  console.log('Wrote openapi.json');
} finally {
  await archive.close();
}
