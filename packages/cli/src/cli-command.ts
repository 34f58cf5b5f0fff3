/** Where a command writes and what it reads from its surroundings, so tests can run commands in-process too. */
export interface CliContext {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** The environment (DATABASE_URL, USAGEPILOT_LICENSE_KEY...). */
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory: the embedded database and the optional packages are found from here. */
  cwd: string;
  /** Resolves when the process is asked to stop (Ctrl-C, SIGTERM); long-running commands wait on it. */
  stopped: Promise<void>;
}

/**
 * One `usagepilot` command. A new command is one file exporting one of these, listed in `cliCommands`;
 * `run` gets the arguments after the command's name and returns the exit code.
 */
export interface CliCommand {
  /** What is typed after `usagepilot`, e.g. "report". */
  name: string;
  /** One line for `usagepilot --help`. */
  summary: string;
  /** The command's own help: its arguments and options. */
  usage: string;
  run(args: string[], context: CliContext): Promise<number>;
}
