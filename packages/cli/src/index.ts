// The public API of @usagepilot/cli: run the `usagepilot` commands from code, or add one.
export { runCli } from "./run-cli";
export { cliCommands } from "./cli-commands";
export type { CliCommand, CliContext } from "./cli-command";
export { billingTargets } from "./commands/sync-command";
