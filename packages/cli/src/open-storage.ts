import { PostgresStorage } from "@usagepilot/postgres";
import { isAbsolute, join } from "node:path";

/** The database options every command shares. */
export const databaseOptions = {
  "database-url": { type: "string" },
  "data-dir": { type: "string" },
} as const;

/** The database options' help text. */
export const databaseUsage = `  --database-url <url>  PostgreSQL to use (default: DATABASE_URL)
  --data-dir <path>     the embedded PGlite database when no URL is given (default: .usagepilot/pglite)`;

/**
 * The storage the commands work on: PostgreSQL at `--database-url` or DATABASE_URL, else the embedded
 * PGlite directory (`--data-dir`, default `.usagepilot/pglite` under the working directory, the same
 * place `new PostgresStorage()` uses). Returns where it is, for messages (never the password).
 */
export function openStorage(values: { "database-url"?: string | undefined; "data-dir"?: string | undefined }, context: { env: Readonly<Record<string, string | undefined>>; cwd: string }, options: { migrate?: boolean } = {}): { storage: PostgresStorage; where: string } {
  const url = values["database-url"] ?? context.env.DATABASE_URL;
  if (url) {
    const shown = new URL(url);
    if (shown.password) shown.password = "****";
    return { storage: new PostgresStorage({ connectionString: url, migrate: options.migrate ?? true, maxConnections: 2 }), where: `PostgreSQL ${shown.toString()}` };
  }
  const dataDir = values["data-dir"] ?? ".usagepilot/pglite";
  const path = isAbsolute(dataDir) ? dataDir : join(context.cwd, dataDir);
  return { storage: new PostgresStorage({ dataDir: path, migrate: options.migrate ?? true }), where: `embedded PGlite in ${path}` };
}
