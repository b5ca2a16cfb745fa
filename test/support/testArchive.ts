import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type PasswordHashing, type QuireConfig } from '../../src/config.ts';
import { type ArchiveDatabase, createDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { usePasswordHashing } from '../../src/services/users.ts';
import { buildApp } from '../../src/web/app.ts';

// Each test file gets its own fresh archive: a SQLite file in a temporary folder, or (with
// QUIRE_TEST_DB=postgres) a PostgreSQL database created for it and dropped afterwards.
//
// Migrating every archive from nothing repeated the same work in every test file, so a run migrates
// one template per dialect and each archive starts as a copy of it. The template is named
// by a hash of the migrations: changing them makes a new template rather than reusing a stale one.

export const testDialect = process.env.QUIRE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const postgresAdminUrl = process.env.QUIRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestArchive {
  app: FastifyInstance;
  config: QuireConfig;
  archive: ArchiveDatabase;
  close(): Promise<void>;
}

// At the standard cost each sign-up and log-in takes a good fraction of a second on both cores, which
// made up much of the suite's time; the tests check who may log in, not how hard a hash is to crack.
const testPasswordHashing: PasswordHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

const migrationsHash = (() => {
  const folder = new URL('../../src/db/', import.meta.url);
  const migrations = new URL('migrations/', folder);
  const names = fs.readdirSync(migrations).filter((name) => name.endsWith('.ts'));
  const hash = createHash('sha256').update(fs.readFileSync(new URL('migrate.ts', folder)));
  for (const name of names.sort()) hash.update(name).update(fs.readFileSync(new URL(name, migrations)));
  return hash.digest('hex').slice(0, 12);
})();

const templatePrefix = 'quire_test_template_';
const templateName = `${templatePrefix}${migrationsHash}`;

function postgresUrl(database: string): string {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * pg's pool.end() resolves once it has asked its connections to close, not when they have; dropping or
 * copying the database before they are gone would kill them mid-goodbye, or be refused.
 */
async function connectionsGone(admin: pg.Client, database: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    const open = await admin.query('select 1 from pg_stat_activity where datname = $1 limit 1', [database]);
    if (open.rowCount === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function postgresTemplate(admin: pg.Client): Promise<string> {
  // Marked a template only once migrated, so one left half built by a run that died is never copied.
  const ready = async () =>
    (await admin.query('select 1 from pg_database where datname = $1 and datistemplate', [templateName]))
      .rowCount === 1;
  if (await ready()) return templateName;
  // Test files run as parallel processes: one builds the template while the others wait for it.
  await admin.query('select pg_advisory_lock(hashtext($1))', [templatePrefix]);
  try {
    if (await ready()) return templateName;
    // Templates of older migrations, and this one if a run died while building it.
    const stale = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'quire\\_test\\_template\\_%'",
    );
    for (const { datname } of stale.rows) {
      await admin.query(`alter database ${datname} with is_template false`);
      await admin.query(`drop database ${datname}`);
    }
    await admin.query(`create database ${templateName}`);
    const template = createDatabase({ dialect: 'postgres', url: postgresUrl(templateName) });
    try {
      await migrateToLatest(template);
    } finally {
      await template.close();
    }
    await connectionsGone(admin, templateName);
    // Copying refuses while anyone is connected to the template, so nobody may connect to it.
    await admin.query(`alter database ${templateName} with is_template true allow_connections false`);
    return templateName;
  } finally {
    await admin.query('select pg_advisory_unlock(hashtext($1))', [templatePrefix]);
  }
}

async function sqliteTemplate(): Promise<string> {
  const template = path.join(os.tmpdir(), `${templateName}.db`);
  if (fs.existsSync(template)) return template;
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (name.startsWith(templatePrefix) && !name.startsWith(templateName))
      fs.rmSync(path.join(os.tmpdir(), name), { force: true });
  }
  // Test files run as parallel processes: each that finds no template builds one under its own name
  // and renames it into place, so none ever copies a template half written.
  const building = `${template}.${process.pid}-${randomBytes(4).toString('hex')}`;
  const migrated = createDatabase({ dialect: 'sqlite', file: ':memory:' });
  try {
    await migrateToLatest(migrated);
    // One self-contained file: a file database in WAL mode could leave part of itself in the -wal file.
    await sql`vacuum into ${building}`.execute(migrated.db);
  } finally {
    await migrated.close();
  }
  fs.renameSync(building, template);
  return template;
}

/** A database of its own, migrated and empty, that nothing has open yet. */
export async function freshDatabase(): Promise<{ database: QuireConfig['database']; drop(): Promise<void> }> {
  if (testDialect === 'postgres') {
    const name = `quire_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect().catch((error: Error) => {
      throw new Error(
        `PostgreSQL tests need a server at ${postgresAdminUrl} (set QUIRE_TEST_POSTGRES_URL to another one): ${error.message}`,
      );
    });
    await admin.query(`create database ${name} template ${await postgresTemplate(admin)}`);
    await admin.end();
    return {
      database: { dialect: 'postgres', url: postgresUrl(name) },
      drop: async () => {
        const dropper = new pg.Client({ connectionString: postgresAdminUrl });
        await dropper.connect();
        await connectionsGone(dropper, name);
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-test-'));
  const file = path.join(directory, 'quire.db');
  fs.copyFileSync(await sqliteTemplate(), file);
  return {
    // A test archive never has to survive a power cut, and a disk sync at every commit (the default,
    // `full`) would slow every test that writes.
    database: { dialect: 'sqlite', file, synchronous: 'normal' },
    drop: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
}

export async function startTestArchive(
  overrides: {
    environment?: Record<string, string>;
    config?: Partial<QuireConfig>;
    onRoute?: Parameters<typeof buildApp>[0]['onRoute'];
  } = {},
): Promise<TestArchive> {
  const { database, drop } = await freshDatabase();
  const base = loadConfig({ LOG_LEVEL: 'silent', QUIRE_RATE_LIMIT: 'off', ...overrides.environment });
  const config: QuireConfig = {
    ...base,
    database,
    passwordHashing: testPasswordHashing,
    ...overrides.config,
  };
  usePasswordHashing(config.passwordHashing);
  const archive = createDatabase(database);
  const app = await buildApp({ config, archive, onRoute: overrides.onRoute });
  return {
    app,
    config,
    archive,
    close: async () => {
      await app.close();
      await archive.close();
      await drop();
    },
  };
}

/** The environment that points the `quire` command at a test archive's database. */
export function cliEnvironment(archive: { config: Pick<QuireConfig, 'database'> }): NodeJS.ProcessEnv {
  const database = archive.config.database;
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  return {
    ...inherited,
    LOG_LEVEL: 'silent',
    ...(database.dialect === 'postgres'
      ? { DATABASE_URL: database.url }
      : { QUIRE_DATA_DIR: path.dirname(database.file) }),
  };
}
