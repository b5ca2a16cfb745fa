import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { QuireConfig } from '../../src/config.ts';
import { type ArchiveDatabase, createDatabase } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { ApiWriter } from '../support/apiClient.ts';
import { quire, quireWithEnvironment } from '../support/quireCommand.ts';
import {
  cliEnvironment,
  freshDatabase,
  startTestArchive,
  type TestArchive,
  testDialect,
} from '../support/testArchive.ts';
import { holds, injectRequests, WriteLoad, worksWithWrongCounters } from '../support/writeLoad.ts';

// Where a row is found again: by its id, by the key the table declares, or else by all of it.
const rowKeys: Record<string, string[]> = {
  work_search_texts: ['work_id'],
  settings: ['name'],
  download_cache: ['cache_key'],
  rate_limits: ['bucket'],
  readings: ['user_id', 'work_id'],
  sessions: ['token_hash'],
};

// What writes after the backup change in rows the backup already holds: the load adds kudos, comments
// and chapters to works posted before, which moves their counters, dates and search text on.
const movedOnByLaterWrites: Record<string, string[]> = {
  works: ['word_count', 'chapter_count', 'kudos_count', 'comments_count', 'updated_at', 'revised_at'],
  work_search_texts: ['body', 'document'],
  api_tokens: ['last_used_at'],
};

/** The archive's own tables; SQLite's full-text index is checked by its own integrity check instead. */
async function tablesOf(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .map((table) => table.name)
    .filter((name) => !name.startsWith('work_search_fts'))
    .sort();
}

async function rowsOf(db: Kysely<Database>, table: string): Promise<Record<string, unknown>[]> {
  return (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
}

function keyOf(table: string, row: Record<string, unknown>): string {
  const columns = rowKeys[table] ?? ('id' in row ? ['id'] : Object.keys(row).sort());
  return JSON.stringify(columns.map((column) => row[column]));
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe(`quire backup and quire restore (${testDialect})`, () => {
  let source: TestArchive;
  let scratch: string;
  let backupFile: string;
  // The archive the backup was restored into, and its settings for the `quire` command.
  let restored: { database: QuireConfig['database']; env: NodeJS.ProcessEnv; drop(): Promise<void> };
  const extension = testDialect === 'postgres' ? 'pgdump' : 'sqlite';

  before(async () => {
    source = await startTestArchive();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-backup-'));
    backupFile = path.join(scratch, `archive.${extension}`);
    const fresh = await freshDatabase();
    if (fresh.database.dialect === 'sqlite') {
      // Restoring into a folder with no archive yet, as on a new machine.
      const database = { dialect: 'sqlite' as const, file: path.join(scratch, 'restored', 'quire.db') };
      await fresh.drop();
      restored = { database, env: cliEnvironment({ config: { database } }), drop: async () => {} };
    } else {
      restored = { ...fresh, env: cliEnvironment({ config: fresh }) };
    }
  });
  after(async () => {
    await source.close();
    await restored.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function openRestored<T>(look: (archive: ArchiveDatabase) => Promise<T>): Promise<T> {
    const archive = createDatabase(restored.database);
    try {
      return await look(archive);
    } finally {
      await archive.close();
    }
  }

  it('backs up while writes keep arriving, and restores the archive as it was at one moment', async () => {
    const load = await WriteLoad.signUp(injectRequests(source.app), 'backup');
    // Enough text that copying it takes a while.
    const seeder = await ApiWriter.signUp(source.app, 'seeder');
    const longBody = `<p>${'The tide turned and the lamp kept burning. '.repeat(1200)}</p>`;
    for (let index = 0; index < 12; index += 1)
      await seeder.postWork({
        title: `Long Harbour ${index}`,
        chapters: [{ body: longBody }, { body: longBody }],
      });
    const writing = load.run(2);
    await load.whenAcknowledged(20);

    const started = load.mark();
    const backup = await quire(source, 'backup', '--out', backupFile);
    const finished = load.mark();
    // A few more writes after the backup, which it cannot hold.
    await load.whenAcknowledged(load.acknowledged.length + 10);
    load.stop();
    await writing;
    assert.equal(backup.status, 0, backup.stderr);

    const during = load.acknowledged.filter((entry) => entry.sent > started && entry.acknowledged < finished);
    assert.ok(during.length > 0, 'writes were acknowledged while the backup ran');

    // The file: readable by its owner alone, with a checksum beside it that sha256sum can check.
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600);
    const checksum = sha256(backupFile);
    assert.equal(fs.readFileSync(`${backupFile}.sha256`, 'utf8'), `${checksum}  archive.${extension}\n`);
    assert.match(backup.stdout, new RegExp(`SHA-256 ${checksum}`));
    assert.deepEqual(
      fs
        .readdirSync(scratch)
        .filter(
          (name) => !['restored', `archive.${extension}`, `archive.${extension}.sha256`].includes(name),
        ),
      [],
      'nothing else is left beside the backup',
    );

    const restore = await quireWithEnvironment(restored.env, 'restore', backupFile);
    assert.equal(restore.status, 0, restore.stderr);
    assert.match(restore.stdout, /checksum matches/i);

    await openRestored(async ({ db }) => {
      if (testDialect === 'sqlite') {
        assert.deepEqual((await sql`pragma integrity_check`.execute(db)).rows, [{ integrity_check: 'ok' }]);
        await sql`insert into work_search_fts (work_search_fts) values ('integrity-check')`.execute(db);
      }
      // Every write acknowledged before the backup began is there; none sent after it ended is.
      for (const entry of load.acknowledged) {
        if (entry.acknowledged < started)
          assert.ok(await holds(db, entry.write), `kept ${JSON.stringify(entry.write)}`);
        if (entry.sent > finished)
          assert.ok(!(await holds(db, entry.write)), `not from the future: ${JSON.stringify(entry.write)}`);
      }
      // Every table, every row: each one restored was in the source, as it was then.
      const tables = await tablesOf(db);
      assert.deepEqual(tables, await tablesOf(source.archive.db));
      let rowsCompared = 0;
      for (const table of tables) {
        const then = new Map((await rowsOf(source.archive.db, table)).map((row) => [keyOf(table, row), row]));
        for (const row of await rowsOf(db, table)) {
          const original = then.get(keyOf(table, row));
          assert.ok(original, `${table}: ${keyOf(table, row)} was in the source`);
          const moved = movedOnByLaterWrites[table] ?? [];
          const unchanged = (value: Record<string, unknown>) =>
            Object.fromEntries(Object.entries(value).filter(([column]) => !moved.includes(column)));
          assert.deepEqual(unchanged(row), unchanged(original), `${table}: ${keyOf(table, row)}`);
          rowsCompared += 1;
        }
      }
      assert.ok(rowsCompared > 100);
      // ... and the counters agree with the rows they count, so the copy is of one moment.
      assert.deepEqual(await worksWithWrongCounters(db), []);
    });
    assert.deepEqual(await worksWithWrongCounters(source.archive.db), []);
  });

  it('refuses to overwrite an archive that holds anything, unless told to with --force', async () => {
    const counted = () =>
      openRestored(
        async ({ db }) =>
          (await db.selectFrom('works').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
      );
    const works = await counted();
    const refused = await quireWithEnvironment(restored.env, 'restore', backupFile);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /already holds .*--force/s);
    const forced = await quireWithEnvironment(restored.env, 'restore', backupFile, '--force');
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal(await counted(), works);
  });

  it('refuses to restore over an archive a server has open', async () => {
    const refused = await quire(source, 'restore', backupFile, '--force');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /in use/);
  });

  it('refuses a backup that does not match its checksum, and leaves the archive as it was', async () => {
    const damaged = path.join(scratch, `damaged.${extension}`);
    const bytes = fs.readFileSync(backupFile);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(damaged, bytes);
    fs.writeFileSync(`${damaged}.sha256`, `${sha256(backupFile)}  damaged.${extension}\n`);
    const refused = await quireWithEnvironment(restored.env, 'restore', damaged, '--force');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /checksum/i);
    await openRestored(async ({ db }) => {
      assert.ok((await db.selectFrom('works').select('id').execute()).length > 12);
    });
  });

  it('leaves the archive as it was when a backup without a checksum file turns out to be cut short', async () => {
    const cut = path.join(scratch, `cut.${extension}`);
    const bytes = fs.readFileSync(backupFile);
    // Cut near the end: what is left starts well, and the restore only fails when it runs out.
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 2048));
    const counts = () =>
      openRestored(async ({ db }) => {
        const counted: Record<string, number> = {};
        for (const table of await tablesOf(db)) counted[table] = (await rowsOf(db, table)).length;
        return counted;
      });
    const before = await counts();
    const refused = await quireWithEnvironment(restored.env, 'restore', cut, '--force');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^quire: /);
    assert.deepEqual(await counts(), before);
  });

  it('refuses a backup of the other database, and a file that is no backup', async () => {
    const other = path.join(scratch, 'other');
    fs.writeFileSync(
      other,
      testDialect === 'postgres'
        ? Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096)])
        : Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(4096)]),
    );
    const refused = await quireWithEnvironment(restored.env, 'restore', other, '--force');
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      testDialect === 'postgres' ? /SQLite backup.*PostgreSQL/s : /PostgreSQL backup.*SQLite/s,
    );
    const notes = path.join(scratch, 'notes.txt');
    fs.writeFileSync(notes, 'not a backup at all');
    const nonsense = await quireWithEnvironment(restored.env, 'restore', notes, '--force');
    assert.equal(nonsense.status, 1);
    assert.match(nonsense.stderr, /not a Quire backup/);
    const missing = await quireWithEnvironment(restored.env, 'restore', path.join(scratch, 'nowhere'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Cannot read/);
  });

  it('will not write a backup over an existing file, nor back up an archive that is not there', async () => {
    const again = await quire(source, 'backup', '--out', backupFile);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    if (testDialect === 'sqlite') {
      const nowhere = { dialect: 'sqlite' as const, file: path.join(scratch, 'nowhere', 'quire.db') };
      const none = await quireWithEnvironment(
        cliEnvironment({ config: { database: nowhere } }),
        'backup',
        '--out',
        path.join(scratch, 'none.sqlite'),
      );
      assert.equal(none.status, 1);
      assert.match(none.stderr, /There is no archive at .* to back up/);
    }
  });
});
