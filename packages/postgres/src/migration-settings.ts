import { fileURLToPath } from "node:url";

/** Where applied migrations are recorded. */
export const migrationsSchema = "usagepilot";
export const migrationsTable = "__migrations";

/** The advisory lock key that serialises migrations across instances ("usagepilot" as a 32-bit number). */
export const migrationLockKey = 0x75_73_61_67;

/** The migrations shipped in the package (`drizzle/`, beside `dist/` and `src/`). */
export function migrationsFolder(): string {
  return fileURLToPath(new URL("../drizzle", import.meta.url));
}
