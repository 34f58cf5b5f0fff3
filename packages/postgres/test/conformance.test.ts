import { PGlite } from "@electric-sql/pglite";
import { describeStorageConformance } from "@usagepilot/core/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { serverUrl } from "./test-database";
import { useTestDatabase } from "./use-test-database";

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
  const database = useTestDatabase("migrated-and-empty");
  describeStorageConformance(
    { name: "PostgresStorage (node-postgres)", create: async () => new PostgresStorage({ connectionString: database.url }) },
    { describe, it, expect },
  );
}
