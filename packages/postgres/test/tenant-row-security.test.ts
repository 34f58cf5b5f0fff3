import { PGlite } from "@electric-sql/pglite";
import { aggregateEvents, type UsageEvent } from "@usagepilot/core";
import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { withClient } from "./stored-totals";
import { serverUrl } from "./test-database";
import { useTestDatabase } from "./use-test-database";

const at = Date.UTC(2026, 5, 3, 10, 15);
const events: UsageEvent[] = ["org-a", "org-b", "org-a", "org-c"].map((organization, index) =>
  createTestEvent({
    timestamp: new Date(at + index * 60_000).toISOString(),
    dimensions: { organization_id: organization, user_id: `user-${index}` },
    usage: testTokens(100 * (index + 1), 10),
    units: { images: index + 1 },
    cost: { amount: `0.00${index + 1}`, currency: "USD", priceSource: "test" },
  }),
);
// Whole hours (answered from the rollups, units joined) and a partial range (answered from the raw events).
const ranges = [
  { from: new Date(at - 15 * 60_000), to: new Date(at + 45 * 60_000) },
  { from: new Date(at), to: new Date(at + 30 * 60_000) },
];
const tenantA = { organization_id: "org-a" };

/** The same checks on any PostgresStorage holding `events`; `raw` runs SQL as the owner would, on one connection. */
function describeTenantReads(name: string, make: () => { storage: PostgresStorage; raw(statements: string[]): Promise<unknown[][]> }) {
  describe(name, () => {
    it("answers only the tenant's rows, from the rollups and from the raw events", async () => {
      const { storage } = make();
      const reader = storage.forTenant(tenantA);
      for (const range of ranges) {
        const query = { ...range, groupBy: ["organization_id", "user_id"], granularity: "hour" as const };
        expect(await reader.query(query)).toEqual(aggregateEvents(events, { ...query, where: tenantA }));
      }
    });

    it("cannot be widened by the query's own where", async () => {
      const { storage } = make();
      const reader = storage.forTenant(tenantA);
      for (const range of ranges) {
        const widened = { ...range, groupBy: ["organization_id"], where: { organization_id: ["org-a", "org-b", "org-c"] } };
        const rows = await reader.query(widened);
        expect(rows.map((row) => row.group.organization_id)).toEqual(["org-a"]);
        expect(await reader.query({ ...range, where: { organization_id: "org-b" } })).toEqual(aggregateEvents(events, { ...range, where: tenantA }));
      }
    });

    it("hides other tenants in the database itself, whatever the SQL asks", async () => {
      const { raw } = make();
      const asTenant = (tenant: string | null) => [
        "BEGIN",
        "SET LOCAL ROLE usagepilot_tenant",
        ...(tenant === null ? [] : [`SELECT set_config('usagepilot.tenant', '${tenant}', true)`]),
        "SELECT dimensions ->> 'organization_id' AS organization FROM usagepilot.events ORDER BY 1",
        "SELECT count(*)::int AS count FROM usagepilot.rollups_hourly",
        "SELECT count(*)::int AS count FROM usagepilot.rollup_units_hourly",
        "COMMIT",
      ];
      const [, , , own, ownRollups, ownUnits] = await raw(asTenant(JSON.stringify(tenantA)));
      expect(own).toEqual([{ organization: "org-a" }, { organization: "org-a" }]);
      // One rollup row (and one unit rollup row) per dimension set: org-a has two users.
      expect(ownRollups).toEqual([{ count: 2 }]);
      expect(ownUnits).toEqual([{ count: 2 }]);
      // No tenant set, or an empty one (which would contain every row's dimensions): nothing is visible.
      for (const tenant of [null, "{}", ""]) {
        const results = await raw(asTenant(tenant));
        expect(results.slice(-4, -1)).toEqual([[], [{ count: 0 }], [{ count: 0 }]]);
      }
      // The owner still sees everything once the transaction ends.
      const [all] = await raw(["SELECT count(*)::int AS count FROM usagepilot.events"]);
      expect(all).toEqual([{ count: 4 }]);
    });

    it("refuses an empty tenant", () => {
      const { storage } = make();
      expect(() => storage.forTenant({})).toThrow(TypeError);
    });
  });
}

let pglite: PGlite;
beforeAll(async () => {
  pglite = new PGlite("memory://");
  const storage = new PostgresStorage({ pglite });
  await storage.write(events);
});
afterAll(async () => {
  await pglite?.close();
});
describeTenantReads("tenant reads (PGlite)", () => ({
  storage: new PostgresStorage({ pglite }),
  async raw(statements) {
    const results: unknown[][] = [];
    for (const statement of statements) results.push((await pglite.query(statement)).rows);
    return results;
  },
}));

if (serverUrl) {
  const database = useTestDatabase("none");
  let storage: PostgresStorage;
  beforeAll(async () => {
    storage = new PostgresStorage({ connectionString: database.url });
    await storage.write(events);
  });
  afterAll(async () => {
    await storage?.close();
  });
  describeTenantReads("tenant reads (node-postgres)", () => ({
    storage,
    raw: (statements) =>
      withClient(database.url, async (client) => {
        const results: unknown[][] = [];
        for (const statement of statements) results.push((await client.query(statement)).rows);
        return results;
      }),
  }));
}
