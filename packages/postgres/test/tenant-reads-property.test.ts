import { PGlite } from "@electric-sql/pglite";
import { aggregateEvents } from "@usagepilot/core";
import { arbitraryConformanceQuery, conformanceEvents } from "@usagepilot/core/test";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { serverUrl } from "./test-database";
import { useTestDatabase } from "./use-test-database";

const events = conformanceEvents(300, 41);
// A tenant is one organisation, or one user within it; "nobody" has no events at all.
const tenant = fc.oneof(
  fc.record({ organization_id: fc.constantFrom("acme", "globex", "initech", "nobody") }),
  fc.record({ organization_id: fc.constantFrom("acme", "globex"), user_id: fc.constantFrom("ana", "o'brien; DROP TABLE events; --") }),
);

/** Whatever the query asks, a tenant's reader answers exactly the reference aggregation of that tenant's events. */
function describeTenantQueries(name: string, storage: () => PostgresStorage) {
  describe(name, () => {
    it("any query by any tenant answers exactly that tenant's share, however its where tries to widen it", async () => {
      await fc.assert(
        fc.asyncProperty(tenant, arbitraryConformanceQuery(), async (dimensions, query) => {
          const expected = aggregateEvents(events, { ...query, where: { ...query.where, ...dimensions } });
          expect({ dimensions, query, rows: await storage().forTenant(dimensions).query(query) }).toEqual({ dimensions, query, rows: expected });
        }),
        { numRuns: 100 },
      );
    });
  });
}

let pglite: PGlite;
let embedded: PostgresStorage;
beforeAll(async () => {
  pglite = new PGlite("memory://");
  embedded = new PostgresStorage({ pglite });
  await embedded.write(events);
});
afterAll(async () => {
  await pglite?.close();
});
describeTenantQueries("tenant reads, random queries (PGlite)", () => embedded);

if (serverUrl) {
  const database = useTestDatabase("none");
  let server: PostgresStorage;
  beforeAll(async () => {
    server = new PostgresStorage({ connectionString: database.url });
    await server.write(events);
  });
  afterAll(async () => {
    await server?.close();
  });
  describeTenantQueries("tenant reads, random queries (node-postgres)", () => server);
}
