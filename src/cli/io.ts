/**
 * What one run of the `quire` command reads its settings from and writes to: the process when it runs
 * from a shell, strings when a test runs it in-process.
 */
export interface QuireIo {
  /** The settings, read as the server reads them (see config.ts). */
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The terminal behind stderr, when there is one; progress bars draw there, never in a pipe or a log. */
  terminal?: NodeJS.WriteStream;
}
