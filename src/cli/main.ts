import fs from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { BundleFormatError, readBundle, writeBundle } from '../formats/quireBundle.ts';
import { ZipRejectedError } from '../formats/safeZip.ts';
import { jobHandlers } from '../jobs/handlers.ts';
import { startJobWorker } from '../jobs/queue.ts';
import { schedulePruneSearchLog } from '../jobs/searchLogJob.ts';
import { createWorkSearch } from '../search/archiveWorkSearch.ts';
import { exportArchive, importArchive } from '../services/archiveBundle.ts';
import { ServiceError, ValidationError } from '../services/errors.ts';
import { createInvitation, findUserByLogin, registerUser } from '../services/users.ts';
import { setWrangler } from '../services/wrangling.ts';
import { buildApp } from '../web/app.ts';
import { describeDatabase, openArchive } from './archive.ts';
import { fillDemoArchive } from './demo.ts';
import { importAo3Downloads } from './importAo3.ts';
import { importEfictionCommand } from './importEfiction.ts';
import { reindexCommand } from './reindex.ts';

const program = new Command();

program
  .name('quire')
  .description(
    'Quire, a self-hostable fan-fiction archive.\nSettings come from the environment: see the README (PORT, QUIRE_DATA_DIR, DATABASE_URL, …).',
  )
  .showHelpAfterError();

program
  .command('serve')
  .description('bring the database up to date and serve the archive over HTTP (PORT, default 3000)')
  .action(async () => {
    const { config, archive } = await openArchive();
    const search = createWorkSearch(archive);
    const app = await buildApp({ config, archive, search });
    if (config.runJobs) await schedulePruneSearchLog(archive.db);
    const stopJobs = config.runJobs
      ? startJobWorker(archive.db, archive.dialect, jobHandlers(config), {
          pollMs: 2_000,
          onError: (error) => app.log.error({ err: error }, 'job queue round failed'),
        })
      : async () => {};
    const stop = async () => {
      await stopJobs();
      await app.close();
      await archive.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    console.log(`Quire is serving ${describeDatabase(config)} on http://localhost:${port}`);
    // Built now rather than in the first reader's request; until then searches build what they need.
    search.warm().catch((error: unknown) => app.log.error({ err: error }, 'warming the work search failed'));
  });

program
  .command('migrate')
  .description('create or update the database schema, then exit')
  .action(async () => {
    const { config, archive } = await openArchive();
    // openArchive already migrated; running again reports nothing new, which is the point of the check.
    const applied = await migrateToLatest(archive);
    console.log(
      `${describeDatabase(config)} is up to date${applied.length > 0 ? ` (applied ${applied.join(', ')})` : ''}.`,
    );
    await archive.close();
  });

const user = program.command('user').description('manage accounts');

user
  .command('create')
  .description('create an account (whatever the registration mode)')
  .requiredOption('--username <name>', 'login name (3–40 letters, digits, underscores)')
  .requiredOption('--email <address>', 'email address')
  .option(
    '--password <password>',
    'password (default: QUIRE_NEW_PASSWORD from the environment, else a random one printed once)',
  )
  .option('--admin', 'make the account an administrator', false)
  .action(async (options: { username: string; email: string; password?: string; admin: boolean }) => {
    const { archive } = await openArchive();
    const generated = !options.password && !process.env.QUIRE_NEW_PASSWORD;
    const password =
      options.password ??
      process.env.QUIRE_NEW_PASSWORD ??
      (await import('node:crypto')).randomBytes(12).toString('base64url');
    try {
      const created = await registerUser(
        archive.db,
        { username: options.username, email: options.email, password },
        { mode: 'open', byAdministrator: true, admin: options.admin },
      );
      console.log(
        `Created ${options.admin ? 'administrator' : 'user'} ${created.username} (id ${created.id}).`,
      );
      if (generated) console.log(`Password: ${password}`);
    } finally {
      await archive.close();
    }
  });

user
  .command('invite')
  .description('make an invitation code for QUIRE_REGISTRATION=invite')
  .option('--count <n>', 'how many codes', '1')
  .action(async (options: { count: string }) => {
    const count = Number(options.count);
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      throw new ValidationError('--count must be a whole number from 1 to 1000.');
    const { archive } = await openArchive();
    try {
      for (let index = 0; index < count; index++) console.log(await createInvitation(archive.db, null));
    } finally {
      await archive.close();
    }
  });

user
  .command('wrangler')
  .description('let an account wrangle tags (or, with --revoke, stop it); administrators always may')
  .argument('<login>', 'the account’s username')
  .option('--revoke', 'take the wrangler role away', false)
  .action(async (login: string, options: { revoke: boolean }) => {
    const { archive } = await openArchive();
    try {
      const username = await setWrangler(archive.db, login, !options.revoke);
      console.log(
        options.revoke ? `${username} is no longer a tag wrangler.` : `${username} is now a tag wrangler.`,
      );
    } finally {
      await archive.close();
    }
  });

const importCommand = program.command('import').description('bring works in from elsewhere');

importCommand
  .command('ao3')
  .description("import AO3's own HTML and EPUB downloads (files, folders and zips of them); safe to re-run")
  .argument('<paths...>', 'files, folders or zips of AO3 downloads')
  .requiredOption(
    '--as <username>',
    'the account that will hold the imported works (credited to their original creators)',
  )
  .action(async (paths: string[], options: { as: string }) => {
    const { archive } = await openArchive();
    try {
      const owner = await findUserByLogin(archive.db, options.as);
      if (!owner)
        throw new ValidationError(
          `There is no account named ${options.as}; create it with \`quire user create\`.`,
        );
      const report = await importAo3Downloads(
        archive.db,
        { id: owner.id, username: owner.username, isAdmin: false },
        paths,
        {
          progress: process.stderr.isTTY === true,
        },
      );
      for (const failure of report.failed) console.error(`failed: ${failure.label}: ${failure.reason}`);
      console.log(
        `Imported ${report.imported.length}, skipped ${report.duplicates.length} already imported, failed ${report.failed.length}.`,
      );
      if (report.failed.length > 0) process.exitCode = 1;
    } finally {
      await archive.close();
    }
  });

importCommand
  .command('bundle')
  .description('import a bundle made by `quire export` on another Quire; safe to re-run')
  .argument('<file>', 'the .zip bundle')
  .action(async (file: string) => {
    const bytes = await fs.readFile(file).catch(() => {
      throw new ValidationError(`Cannot read ${file}.`);
    });
    const bundle = await readBundle(bytes);
    const { archive } = await openArchive();
    try {
      const report = await importArchive(archive.db, bundle);
      for (const failure of report.failed) console.error(`failed: "${failure.title}": ${failure.reason}`);
      console.log(
        `Accounts: ${report.usersCreated} created, ${report.usersMatched} already here. ` +
          `Works: ${report.worksImported} imported, ${report.worksSkipped} already here, ${report.failed.length} failed. ` +
          `Comments: ${report.comments}.`,
      );
      if (report.failed.length > 0) process.exitCode = 1;
    } finally {
      await archive.close();
    }
  });

importCommand
  .command('efiction')
  .description('import an eFiction 3.x archive from its MySQL database or an .sql backup; safe to re-run')
  .option(
    '--mysql-url <url>',
    'the eFiction database (mysql://user:password@host:3306/database); with --dump, the MySQL server to load the backup on (default mysql://root@127.0.0.1:3306/)',
  )
  .option('--dump <file>', 'an .sql backup of the eFiction database, loaded into a scratch database first')
  .option('--prefix <prefix>', "eFiction's table prefix (default fanfiction_, or what the backup uses)")
  .option(
    '--stories-dir <dir>',
    'the stories folder, for archives that kept chapter text in files (<uid>/<chapid>.txt)',
  )
  .option(
    '--source-url <url>',
    "the old archive's address; works link back to it, and re-runs recognise them by it",
  )
  .option('--language <code>', 'the language of the works', 'en')
  .action(async (options: Parameters<typeof importEfictionCommand>[0]) => {
    process.exitCode = await importEfictionCommand(options);
  });

program
  .command('export')
  .description("write the whole archive (or one user's works) as a portable bundle another Quire can import")
  .option('--user <username>', "only this user's works (and account)")
  .option(
    '--out <file>',
    'where to write the bundle',
    `quire-export-${new Date().toISOString().slice(0, 10)}.zip`,
  )
  .action(async (options: { user?: string; out: string }) => {
    const { config, archive } = await openArchive();
    try {
      const bundle = await exportArchive(archive.db, {
        username: options.user,
        archiveName: config.archiveName,
      });
      await fs.writeFile(options.out, await writeBundle(bundle));
      console.log(
        `Wrote ${bundle.works.length} works and ${bundle.users.length} accounts to ${options.out}.`,
      );
    } finally {
      await archive.close();
    }
  });

program
  .command('reindex')
  .description("rebuild every work's filter tags and search text (after an upgrade, or to check them)")
  .action(reindexCommand);

program
  .command('demo')
  .description('fill an empty archive with original sample works, so a newcomer sees a living archive')
  .action(async () => {
    const { config, archive } = await openArchive();
    try {
      const result = await fillDemoArchive(archive.db);
      console.log(
        `Added ${result.works} sample works (${result.chapters} chapters) to ${describeDatabase(config)}.`,
      );
      console.log('Sample accounts (log in as one to see the creator side):');
      for (const account of result.accounts)
        console.log(`  ${account.username}  password: ${account.password}`);
    } finally {
      await archive.close();
    }
  });

function explain(error: unknown): string {
  if (error instanceof ServiceError) {
    const fields =
      error instanceof ValidationError || 'fields' in error
        ? Object.values((error as ValidationError).fields ?? {})
        : [];
    return [error.message, ...fields.map((field) => `  - ${field}`)].join('\n');
  }
  if (error instanceof ConfigError || error instanceof BundleFormatError) return error.message;
  if (error instanceof ZipRejectedError) return `not a readable bundle: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  console.error(`quire: ${explain(error)}`);
  process.exit(1);
}
