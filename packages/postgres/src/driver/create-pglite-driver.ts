import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsSchema, migrationsTable } from "../migration-settings";
import { createDrizzleExecutor } from "./drizzle-executor";
import { importDriver } from "./import-driver";
import type { PostgresDriver } from "./postgres-driver";

/** A driver over embedded PGlite: given, or opened on a data directory ("memory://" keeps it in memory). */
export async function createPgliteDriver(options: { client?: PGlite; dataDir: string }): Promise<PostgresDriver> {
  let client = options.client;
  const owned = client === undefined;
  if (!client) {
    const { PGlite: PGliteConstructor } = await importDriver("@electric-sql/pglite", () => import("@electric-sql/pglite"), "for the embedded database (or give it a connectionString)");
    // PGlite creates the data directory but not its parents (".usagepilot/pglite" on a fresh checkout).
    if (!options.dataDir.includes("://")) {
      const { mkdir } = await import("node:fs/promises");
      await mkdir(options.dataDir, { recursive: true });
    }
    client = new PGliteConstructor(options.dataDir);
    await client.waitReady;
  }
  const db = drizzle(client);
  return {
    kind: "pglite",
    ...createDrizzleExecutor(db as unknown as Parameters<typeof createDrizzleExecutor>[0]),
    async migrate(migrationsFolder) {
      // One process owns a PGlite directory, so no lock is needed.
      await migrate(db, { migrationsFolder, migrationsSchema, migrationsTable });
    },
    async close() {
      if (owned) await client.close();
    },
  };
}
