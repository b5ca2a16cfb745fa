import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import yazl from 'yazl';
import { readZipEntries } from '../../src/formats/safeZip.ts';
import { efictionSchemaSql } from '../../src/importers/efiction/efictionSchema.ts';
import { ApiWriter } from '../support/apiClient.ts';
import { quire } from '../support/quireCommand.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

// Imported files are bytes from elsewhere, with no writer to ask: their text is normalised as the web
// boundary's is (NUL and other controls dropped, NFC), and what cannot be text becomes U+FFFD, so that a
// NUL in a file cannot fail the import on PostgreSQL nor differ between the two databases.

const NUL = '\u0000';
const mysqlServer = process.env.QUIRE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

describe(`text from imported files (${testDialect})`, () => {
  let archive: TestArchive;
  let scratch: string;

  before(async () => {
    archive = await startTestArchive();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-imported-text-'));
    const created = await quire(
      archive,
      'user',
      'create',
      '--username',
      'shelf_keeper',
      '--email',
      'shelf@example.org',
      '--password',
      'long enough password',
    );
    assert.equal(created.status, 0, created.stderr);
  });
  after(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await archive.close();
  });

  async function storedWork(title: string) {
    const db = archive.archive.db;
    const work = await db.selectFrom('works').selectAll().where('title', '=', title).executeTakeFirst();
    assert.ok(work, `"${title}" should have been imported`);
    const chapters = await db.selectFrom('chapters').selectAll().where('work_id', '=', work.id).execute();
    const tags = await db
      .selectFrom('work_tags')
      .innerJoin('tags', 'tags.id', 'work_tags.tag_id')
      .select('tags.name')
      .where('work_tags.work_id', '=', work.id)
      .execute();
    return { work, chapters, tags: tags.map((tag) => tag.name) };
  }

  it('drops NUL and control characters from an AO3 download, and composes its text', async () => {
    const original = fs.readFileSync(path.resolve('test/fixtures/ao3/one-shot.html'), 'utf8');
    const hostile = original
      .replaceAll('<h1>街灯</h1>', `<h1>Street${NUL}lamps\u0001 of the Cafe\u0301</h1>`)
      .replace('>Rain</a>', `>Ra${NUL}in\u001b</a>`)
      .replace('<p>雨停以后，小梅数街灯。</p>', `<p>After the rain${NUL}, lamps\u0085.</p>`)
      .replace('<p>雨停了，街灯一盏一盏亮起来。</p>', `<p>The rain${NUL} stopped\u0007.</p>`);
    const file = path.join(scratch, 'hostile.html');
    fs.writeFileSync(file, hostile);
    const result = await quire(archive, 'import', 'ao3', '--as', 'shelf_keeper', file);
    assert.equal(result.status, 0, result.stderr);
    const { work, chapters, tags } = await storedWork('Streetlamps of the Café');
    assert.match(work.summary, /After the rain, lamps\./);
    assert.ok(tags.includes('Rain'), tags.join(', '));
    assert.match(chapters[0].body, /The rain stopped\./);
  });

  it('drops NUL and control characters from an export bundle, and takes half a surrogate pair as U+FFFD', async () => {
    const writer = await ApiWriter.signUp(archive.app, 'bundled_writer');
    await writer.postWork({ title: 'Plain Bundle', chapters: [{ body: '<p>Plain text.</p>' }] });
    const exported = path.join(scratch, 'plain.zip');
    assert.equal((await quire(archive, 'export', '--user', 'bundled_writer', '--out', exported)).status, 0);

    // The same bundle as another tool might have written it, with text no form would let through.
    const entries = await readZipEntries(fs.readFileSync(exported), () => true);
    const zip = new yazl.ZipFile();
    for (const [name, bytes] of entries) {
      const edited = name.startsWith('works/')
        ? bytes
            .toString('utf8')
            .replace('"Plain Bundle"', JSON.stringify(`Hostile${NUL} Bundle\u0002`))
            .replace('Plain text.', 'Half \\ud800 a pair\\u0000.')
        : bytes
            .toString('utf8')
            .replaceAll('"bundled_writer"', '"bundled_w\\u0000riter"')
            .replaceAll('bundled_writer@', 'bundled_writer2@');
      zip.addBuffer(Buffer.from(edited), name);
    }
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const hostile = path.join(scratch, 'hostile.zip');
    fs.writeFileSync(hostile, Buffer.concat(chunks));

    const imported = await quire(archive, 'import', 'bundle', hostile);
    assert.equal(imported.status, 0, imported.stderr);
    const { chapters } = await storedWork('Hostile Bundle');
    assert.match(chapters[0].body, /Half \uFFFD a pair\./);
  });

  it('drops NUL and control characters from an eFiction archive', async () => {
    const database = `quire_test_efiction_text_${randomBytes(5).toString('hex')}`;
    const admin = await mysql.createConnection({ uri: mysqlServer, multipleStatements: true });
    try {
      await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
      await admin.query(`USE \`${database}\``);
      await admin.query(efictionSchemaSql('fanfiction_'));
      await admin.query(
        'INSERT INTO fanfiction_authors (uid, penname, email, password) VALUES (1, ?, ?, ?)',
        [`Wren${NUL}Ash`, 'wren@example.org', '0'],
      );
      await admin.query(
        `INSERT INTO fanfiction_stories (sid, title, summary, uid, validated, completed, date, updated)
         VALUES (1, ?, ?, 1, '1', '1', 1262304000, 1262304000)`,
        [`Moth${NUL}light\u0001`, `A moth${NUL} and a lamp.`],
      );
      await admin.query(
        `INSERT INTO fanfiction_chapters (chapid, title, sid, uid, inorder, validated, storytext)
         VALUES (1, ?, 1, 1, 1, '1', ?)`,
        [`Wings${NUL}`, `<p>It circled${NUL} the lamp.</p>`],
      );
      const result = await quire(
        archive,
        'import',
        'efiction',
        '--mysql-url',
        `mysql://root@127.0.0.1:3306/${database}`,
      );
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    }
    const { work, chapters } = await storedWork('Mothlight');
    assert.equal(work.summary, 'A moth and a lamp.');
    assert.equal(chapters[0].title, 'Wings');
    assert.match(chapters[0].body, /It circled the lamp\./);
  });
});
