import { runQuire } from '../../src/cli/program.ts';
import { cliEnvironment, type TestArchive } from './testArchive.ts';

/** What a run of `quire` left behind, as a test looks at it. */
export interface QuireRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `quire` in this process with the given settings, as if from a shell without a terminal. */
export async function quireWithEnvironment(env: NodeJS.ProcessEnv, ...args: string[]): Promise<QuireRun> {
  let stdout = '';
  let stderr = '';
  const status = await runQuire(args, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}

/** Runs `quire` in this process against a test archive's database. */
export function quire(archive: TestArchive, ...args: string[]): Promise<QuireRun> {
  return quireWithEnvironment(cliEnvironment(archive), ...args);
}
