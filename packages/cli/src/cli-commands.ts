import type { CliCommand } from "./cli-command";
import { dashboardCommand } from "./commands/dashboard-command";
import { migrateCommand } from "./commands/migrate-command";
import { reportCommand } from "./commands/report-command";
import { syncCommand } from "./commands/sync-command";

/** Every `usagepilot` command, in the order `--help` lists them. A new command is one more entry. */
export const cliCommands: readonly CliCommand[] = [migrateCommand, reportCommand, dashboardCommand, syncCommand];
