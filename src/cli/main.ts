// The `quire` command's entry: one run of the command line against the real process.
import { runQuire } from './program.ts';

process.exitCode = await runQuire(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  terminal: process.stderr.isTTY ? process.stderr : undefined,
});
