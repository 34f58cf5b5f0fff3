import { PGlite } from "@electric-sql/pglite";
import { describeStorageConformance } from "@usagepilot/core/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { createTestDatabase, serverUrl } from "./test-database";

const truncate = "TRUNCATE usagepilot.events, usagepilot.rollups_hourly, usagepilot.rollup_units_hourly";

// One embedded database for the file (PGlite takes seconds to start); each test starts from empty tables.
let pglite: PGlite;
beforeAll(async () => {
  pglite = new PGlite("memory://");
  await new PostgresStorage({ pglite }).migrate();
});
afterAll(async () => {
  await pglite?.close();
});
describeStorageConformance(
  {
    name: "PostgresStorage (PGlite)",
    async create() {
      await pglite.exec(truncate);
      return new PostgresStorage({ pglite });
    },
  },
  { describe, it, expect },
);

if (serverUrl) {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    const storage = new PostgresStorage({ connectionString: database.url });
    await storage.migrate();
    await storage.close();
  });
  afterAll(async () => {
    await database?.drop();
  });
  describeStorageConformance(
    {
      name: "PostgresStorage (node-postgres)",
      async create() {
        const storage = new PostgresStorage({ connectionString: database.url });
        const pg = await import("pg");
        const client = new pg.default.Client({ connectionString: database.url });
        await client.connect();
        await client.query(truncate);
        await client.end();
        return storage;
      },
    },
    { describe, it, expect },
  );
}
