import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quire, quireWithEnvironment } from '../support/quireCommand.ts';
import { cliEnvironment, startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

const quireBin = path.resolve('bin/quire.js');
const builtEntry = path.resolve('dist/cli/main.js');

/** When anything under the folder last changed. */
function lastChange(folder: string): number {
  return Math.max(
    ...fs
      .readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs),
  );
}

/** The binary runs the compiled dist/, so it is rebuilt when the sources are newer. */
function buildWhenStale(): void {
  if (fs.existsSync(builtEntry) && fs.statSync(builtEntry).mtimeMs >= lastChange('src')) return;
  const build = spawnSync('npm', ['run', 'build'], {
    encoding: 'utf8',
    // npm's `node` must be the Node running these tests, not whatever else is on the PATH.
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
  });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);
}

describe(`the quire command (${testDialect})`, () => {
  let archive: TestArchive;
  let environment: NodeJS.ProcessEnv;

  before(async () => {
    // The test archive provides a fresh database; the CLI is pointed at the same one.
    archive = await startTestArchive();
    environment = cliEnvironment(archive);
    buildWhenStale();
  });
  after(async () => archive.close());

  it('runs as the installed binary: --help, and migrate against the configured database', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [quireBin, ...args], {
        env: environment,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /\bserve\b/);
    const migrated = run('migrate');
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.match(migrated.stdout, /is up to date/);
  });

  it('explains itself with --help', async () => {
    const help = await quire(archive, '--help');
    assert.equal(help.status, 0);
    for (const command of ['serve', 'migrate', 'user', 'demo'])
      assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
    const userHelp = await quire(archive, 'user', 'create', '--help');
    assert.match(userHelp.stdout, /--admin/);
  });

  it('migrates an up-to-date database without complaint', async () => {
    const result = await quire(archive, 'migrate');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /is up to date/);
  });

  it('creates users and administrators, refusing bad input with a message and exit status 1', async () => {
    const admin = await quire(
      archive,
      'user',
      'create',
      '--username',
      'wrangler_one',
      '--email',
      'wrangler@example.org',
      '--admin',
    );
    assert.equal(admin.status, 0, admin.stderr);
    assert.match(admin.stdout, /Created administrator wrangler_one/);
    assert.match(admin.stdout, /Password: \S{12,}/);
    const row = await archive.archive.db
      .selectFrom('users')
      .select('is_admin')
      .where('username', '=', 'wrangler_one')
      .executeTakeFirstOrThrow();
    assert.equal(row.is_admin, 1);

    const duplicate = await quire(
      archive,
      'user',
      'create',
      '--username',
      'Wrangler_One',
      '--email',
      'other@example.org',
      '--password',
      'long enough password',
    );
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /That username is taken/);
    const invalid = await quire(archive, 'user', 'create', '--username', 'x', '--email', 'nope');
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /Enter a valid email address/);
    const missing = await quire(archive, 'user', 'create', '--username', 'someone');
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--email/);
  });

  it('makes invitation codes', async () => {
    const result = await quire(archive, 'user', 'invite', '--count', '2');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 2);
    assert.equal((await quire(archive, 'user', 'invite', '--count', 'lots')).status, 1);
  });

  it('fills an empty archive with sample works, and refuses to do it twice', async () => {
    const filled = await quire(archive, 'demo');
    assert.equal(filled.status, 0, filled.stderr);
    assert.match(filled.stdout, /Added 8 sample works/);
    const response = await archive.app.inject({ method: 'GET', url: '/api/v1/works' });
    const listing = response.json();
    assert.equal(listing.total, 8);
    const fandoms = new Set(listing.works.flatMap((work: { fandoms: string[] }) => work.fandoms));
    assert.ok(fandoms.size >= 3, 'the samples span several fandoms');
    assert.ok(listing.works.some((work: { chapter_count: number }) => work.chapter_count > 1));
    const again = await quire(archive, 'demo');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /only fills an empty archive/);
  });

  it('refuses a malformed setting with a clear message', async () => {
    const result = await quireWithEnvironment(
      { ...environment, DATABASE_URL: 'mysql://somewhere' },
      'migrate',
    );
    assert.equal(result.status, 1);
    assert.match(result.stderr, /DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('serves the archive with `quire serve` on the configured port', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-serve-'));
    const serveEnvironment: NodeJS.ProcessEnv = { ...environment, PORT: '0', HOST: '127.0.0.1' };
    if (testDialect === 'sqlite') serveEnvironment.QUIRE_DATA_DIR = directory;
    const server: ChildProcess = spawn(process.execPath, [quireBin, 'serve'], { env: serveEnvironment });
    try {
      let output = '';
      server.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      const deadline = Date.now() + 30_000;
      while (!/localhost:(\d+)/.test(output) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const port = output.match(/localhost:(\d+)/)?.[1];
      assert.ok(port, `the server should say where it listens; it printed: ${output}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      assert.equal((await health.json()).status, 'ok');
      if (testDialect === 'sqlite')
        assert.ok(
          fs.existsSync(path.join(directory, 'quire.db')),
          'the SQLite file is created in QUIRE_DATA_DIR',
        );
    } finally {
      server.kill('SIGTERM');
      await once(server, 'exit');
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
