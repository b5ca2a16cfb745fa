import { Command, CommanderError } from 'commander';
import type { EfictionCommandOptions } from './importEfiction.ts';
import type { QuireIo } from './io.ts';
import type { CreateAccountOptions } from './users.ts';

// Only commander is loaded up front: each action imports the module that does its work, so that
// `quire --help` does not pay for the web app, the importers and every service.

function quireProgram(io: QuireIo, finished: (status: number) => void): Command {
  const program = new Command();

  program
    .name('quire')
    .description(
      'Quire, a self-hostable fan-fiction archive.\nSettings come from the environment: see the README (PORT, QUIRE_DATA_DIR, DATABASE_URL, …).',
    )
    // Set before the subcommands exist, which inherit them: help, usage errors and their exit
    // statuses come back to runQuire instead of ending the process a test runs in.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError();

  program
    .command('serve')
    .description('bring the database up to date and serve the archive over HTTP (PORT, default 3000)')
    .action(async () => {
      const { serve } = await import('./serve.ts');
      finished(await serve(io));
    });

  program
    .command('migrate')
    .description('create or update the database schema, then exit')
    .action(async () => {
      const { migrate } = await import('./migrate.ts');
      finished(await migrate(io));
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
    .action(async (options: CreateAccountOptions) => {
      const { createAccount } = await import('./users.ts');
      finished(await createAccount(options, io));
    });

  user
    .command('invite')
    .description('make an invitation code for QUIRE_REGISTRATION=invite')
    .option('--count <n>', 'how many codes', '1')
    .action(async (options: { count: string }) => {
      const { makeInvitations } = await import('./users.ts');
      finished(await makeInvitations(options, io));
    });

  user
    .command('wrangler')
    .description('let an account wrangle tags (or, with --revoke, stop it); administrators always may')
    .argument('<login>', 'the account’s username')
    .option('--revoke', 'take the wrangler role away', false)
    .action(async (login: string, options: { revoke: boolean }) => {
      const { assignWrangler } = await import('./users.ts');
      finished(await assignWrangler(login, options, io));
    });

  user
    .command('admin')
    .description('make an existing account an administrator (or, with --revoke, stop it); one must remain')
    .argument('<login>', 'the account’s username')
    .option('--revoke', 'take the administrator role away', false)
    .action(async (login: string, options: { revoke: boolean }) => {
      const { assignAdministrator } = await import('./users.ts');
      finished(await assignAdministrator(login, options, io));
    });

  user
    .command('role')
    .description('grant a staff role (administrator, moderator, wrangler) or, with --revoke, take it away')
    .argument('<login>', 'the account’s username')
    .argument('<role>', 'administrator, moderator or wrangler')
    .option('--revoke', 'take the role away', false)
    .option('--reason <text>', 'why, for the audit log')
    .action(async (login: string, role: string, options: { revoke: boolean; reason?: string }) => {
      const { assignRole } = await import('./users.ts');
      finished(await assignRole(login, role, options, io));
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
      const { importAo3Downloads } = await import('./importAo3.ts');
      finished(await importAo3Downloads(paths, options, io));
    });

  importCommand
    .command('bundle')
    .description('import a bundle made by `quire export` on another Quire; safe to re-run')
    .argument('<file>', 'the .zip bundle')
    .action(async (file: string) => {
      const { importBundle } = await import('./bundles.ts');
      finished(await importBundle(file, io));
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
    .action(async (options: EfictionCommandOptions) => {
      const { importEfictionCommand } = await import('./importEfiction.ts');
      finished(await importEfictionCommand(options, io));
    });

  program
    .command('export')
    .description(
      "write the whole archive (or one user's works) as a portable bundle another Quire can import",
    )
    .option('--user <username>', "only this user's works (and account)")
    .option(
      '--out <file>',
      'where to write the bundle',
      `quire-export-${new Date().toISOString().slice(0, 10)}.zip`,
    )
    .action(async (options: { user?: string; out: string }) => {
      const { exportBundle } = await import('./bundles.ts');
      finished(await exportBundle(options, io));
    });

  program
    .command('backup')
    .description(
      'copy the whole database to one file while the archive serves (SQLite, or pg_dump for PostgreSQL), with a SHA-256 checksum beside it',
    )
    .option(
      '--out <file>',
      'where to write the backup (default: quire-backup-YYYYMMDD-HHMMSS.sqlite or .pgdump here, in UTC)',
    )
    .action(async (options: { out?: string }) => {
      const { backup } = await import('./backup.ts');
      finished(await backup(options, io));
    });

  program
    .command('restore')
    .description(
      'replace the archive with a backup from `quire backup` (stop the servers first), then bring it up to date',
    )
    .argument('<file>', 'the backup; its checksum is checked when FILE.sha256 lies beside it')
    .option('--force', 'replace an archive that already holds accounts or works', false)
    .action(async (file: string, options: { force: boolean }) => {
      const { restore } = await import('./restore.ts');
      finished(await restore(file, options, io));
    });

  program
    .command('reindex')
    .description("rebuild every work's filter tags and search text (after an upgrade, or to check them)")
    .action(async () => {
      const { reindex } = await import('./reindex.ts');
      finished(await reindex(io));
    });

  program
    .command('demo')
    .description('fill an empty archive with original sample works, so a newcomer sees a living archive')
    .action(async () => {
      const { demo } = await import('./demo.ts');
      finished(await demo(io));
    });

  return program;
}

/**
 * Runs one `quire` command line (the arguments after `quire`) and returns its exit status. Whatever
 * fails is explained on stderr as `quire: …` with status 1; usage errors keep commander's status.
 */
export async function runQuire(args: string[], io: QuireIo): Promise<number> {
  let status = 0;
  try {
    await quireProgram(io, (commandStatus) => {
      status = commandStatus;
    }).parseAsync(args, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const { explainFailure } = await import('./failures.ts');
    io.stderr(`quire: ${explainFailure(error)}\n`);
    return 1;
  }
}
