import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { createGuardedTestDatabase } from "./exclusive-server";
import { withClient } from "./stored-totals";

/** How each test of a file finds the database: migrated and emptied, or with no UsagePilot schema at all. */
export type DatabaseReset = "migrated-and-empty" | "no-schema" | "none";

const truncate = "TRUNCATE usagepilot.events, usagepilot.rollups_hourly, usagepilot.rollup_units_hourly";

/**
 * One fresh database on the test server for the whole file (made under the restart guard, dropped after),
 * reset before each test as asked. Read `.url` and `.name` inside tests and hooks, not at import time.
 */
export function useTestDatabase(reset: DatabaseReset): { readonly url: string; readonly name: string } {
  let database: Awaited<ReturnType<typeof createGuardedTestDatabase>> | undefined;
  beforeAll(async () => {
    database = await createGuardedTestDatabase();
    if (reset === "migrated-and-empty" || reset === "none") {
      const storage = new PostgresStorage({ connectionString: database.url });
      await storage.migrate();
      await storage.close();
    }
  }, 150_000);
  afterAll(async () => {
    await database?.drop();
  });
  if (reset !== "none") {
    beforeEach(async () => {
      await withClient(database!.url, (client) => client.query(reset === "no-schema" ? "DROP SCHEMA IF EXISTS usagepilot CASCADE" : truncate));
    });
  }
  const made = () => {
    if (!database) throw new Error("the test database is made in beforeAll; read it inside a test");
    return database;
  };
  return {
    get url() {
      return made().url;
    },
    get name() {
      return made().name;
    },
  };
}

/** A temporary folder for the whole file, removed after. Read `.path` inside tests and hooks. */
export function useTempFolder(prefix: string): { readonly path: string } {
  let folder: string | undefined;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return {
    get path() {
      if (!folder) throw new Error("the temporary folder is made in beforeAll; read it inside a test");
      return folder;
    },
  };
}
