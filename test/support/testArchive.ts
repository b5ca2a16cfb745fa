import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig, type QuireConfig } from '../../src/config.ts';
import { type ArchiveDatabase, createDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildApp } from '../../src/web/app.ts';

// Each test file gets its own fresh archive: a SQLite file in a temporary folder, or (with
// QUIRE_TEST_DB=postgres) a PostgreSQL database created for it and dropped afterwards.

export const testDialect = process.env.QUIRE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const postgresAdminUrl = process.env.QUIRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestArchive {
  app: FastifyInstance;
  config: QuireConfig;
  archive: ArchiveDatabase;
  close(): Promise<void>;
}

async function freshDatabase(): Promise<{ database: QuireConfig['database']; drop(): Promise<void> }> {
  if (testDialect === 'postgres') {
    const name = `quire_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect().catch((error: Error) => {
      throw new Error(
        `PostgreSQL tests need a server at ${postgresAdminUrl} (set QUIRE_TEST_POSTGRES_URL to another one): ${error.message}`,
      );
    });
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    return {
      database: { dialect: 'postgres', url: url.toString() },
      drop: async () => {
        const dropper = new pg.Client({ connectionString: postgresAdminUrl });
        await dropper.connect();
        // pg's pool.end() resolves once it has asked its connections to close, not when they have; a
        // forced drop before they are gone would kill them mid-goodbye and fail the test file.
        for (let waited = 0; waited < 5_000; waited += 50) {
          const open = await dropper.query('select 1 from pg_stat_activity where datname = $1 limit 1', [
            name,
          ]);
          if (open.rowCount === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-test-'));
  return {
    database: { dialect: 'sqlite', file: path.join(directory, 'quire.db') },
    drop: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
}

export async function startTestArchive(
  overrides: { environment?: Record<string, string>; config?: Partial<QuireConfig> } = {},
): Promise<TestArchive> {
  const { database, drop } = await freshDatabase();
  const base = loadConfig({ LOG_LEVEL: 'silent', QUIRE_RATE_LIMIT: 'off', ...overrides.environment });
  const config: QuireConfig = { ...base, database, ...overrides.config };
  const archive = createDatabase(database);
  await migrateToLatest(archive);
  const app = await buildApp({ config, archive });
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
export function cliEnvironment(archive: TestArchive): NodeJS.ProcessEnv {
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
