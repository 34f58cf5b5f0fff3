import type { CliCommand } from "../cli-command";
import { databaseOptions, databaseUsage, openStorage } from "../open-storage";
import { parseCommandArgs } from "../parse-command-args";

/** `usagepilot migrate`: applies the shipped migrations (safe to run again, and from several places at once). */
export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "create or update UsagePilot's tables",
  usage: `usagepilot migrate [options]

Applies the migrations shipped with @usagepilot/postgres. Running it again does nothing.

${databaseUsage}`,
  async run(args, context) {
    const parsed = parseCommandArgs(args, databaseOptions);
    if (!parsed.ok) {
      context.stderr(`${parsed.error}\n\n${this.usage}\n`);
      return 2;
    }
    const { storage, where } = openStorage(parsed.values, context, { migrate: false });
    try {
      await storage.migrate();
      context.stdout(`Migrated ${where}\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};
