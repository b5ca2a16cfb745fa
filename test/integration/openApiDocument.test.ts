import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiText } from '../../src/web/api/openApiDocument.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

describe(`the OpenAPI document (${testDialect})`, () => {
  let archive: TestArchive;
  before(async () => {
    archive = await startTestArchive();
  });
  after(async () => archive.close());

  it('is the one committed as openapi.json, so a changed route cannot slip past its description', async () => {
    const committed = fs.readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8');
    assert.equal(
      await openApiText(archive.app),
      committed,
      'The API routes no longer match openapi.json: run `npm run openapi` and commit the result.',
    );
  });

  it('is a valid OpenAPI 3.1 document by an independent validator', async () => {
    const document = JSON.parse(await openApiText(archive.app));
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(document.openapi, '3.1.0');
  });
});
