import type { CliCommand, CliContext } from "./cli-command";
import { cliCommands } from "./cli-commands";

function help(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `usagepilot <command> [options]

${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

usagepilot <command> --help for a command's options.
`;
}

/**
 * Runs `usagepilot` with `args` (what follows the program name) and returns the exit code: 0 done, 1 the
 * work failed (the reason on stderr), 2 the command line was wrong. Never throws.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), ... });
 */
export async function runCli(args: readonly string[], context: CliContext, commands: readonly CliCommand[] = cliCommands): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? context.stderr : context.stdout)(help(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    context.stderr(`Unknown command "${name}".\n\n${help(commands)}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    context.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    context.stderr(`usagepilot ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
