import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createSyncChildRunner, creditsPerTenant, runSyncsToCompletion, seededRandom, testServerUrl, tokensPerTenant, useExactlyOnceContext, usageEvents } from "@usagepilot/license/test";
import { PostgresStorage } from "@usagepilot/postgres";
import { createFakeChargebeeServer } from "@usagepilot/testing";
import Chargebee from "chargebee";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChargebeeMeter, createChargebeeBilling } from "../src/index";

const hour = 3_600_000;
const meters: ChargebeeMeter[] = [
  { name: "tokens", featureId: "ai-tokens", quantity: "tokens" },
  { name: "credits", featureId: "ai-credits", quantity: { cost: { markup: "0.2", creditsPerUsd: "1000" } } },
];

describe("Chargebee sync, exactly once on the real PostgreSQL", () => {
  const context = useExactlyOnceContext({
    hooks: { beforeAll, afterAll },
    server: new PostgresStorage({ connectionString: testServerUrl, migrate: false }),
    startFake: () =>
      createFakeChargebeeServer({
        subscriptions: Array.from({ length: 50 }, (_, index) => `sub_${index}`),
        features: [
          { id: "ai-tokens", property: "tokens" },
          { id: "ai-credits", property: "credits" },
        ],
      }),
  });
  const runChild = createSyncChildRunner({
    execFile,
    script: fileURLToPath(new URL("./sync-child.mjs", import.meta.url)),
    setup: () => ({ databaseUrl: context.database.url, meters, license: context.license, env: { FAKE_ORIGIN: context.fake.url } }),
  });

  it("10,000 events over 50 tenants: with 20% faults and the sync killed mid-run, Chargebee's totals equal the local ones exactly", async () => {
    const end = new Date();
    const events = usageEvents({ count: 10_000, tenants: 50, end, spanMs: 10 * hour, seed: 2027 });
    const { database, fake, license } = context;
    const storage = new PostgresStorage({ connectionString: database.url });
    for (let start = 0; start < events.length; start += 1000) await storage.write(events.slice(start, start + 1000));
    fake.setFaults({ rate: 0.2, seed: 21, retryAfterSeconds: 0, timeoutMs: 3000 });
    fake.setEventFailureRate(0.05);

    const random = seededRandom(6);
    const results = await runSyncsToCompletion({ run: runChild, plan: [[1, null], [2, null], [0, 600 + Math.floor(random() * 800)], [1, null], [0, 400 + Math.floor(random() * 1200)]] });
    expect(results.filter((result) => result.killed).length).toBeGreaterThanOrEqual(3);
    expect(results.at(-1)?.report?.pendingLines).toBe(0);
    expect(fake.injected["429"] + fake.injected["500"] + fake.injected.timeout + fake.injected.drop).toBeGreaterThan(0);
    expect(fake.failedEvents).toBeGreaterThan(0);

    fake.setFaults(undefined);
    fake.setEventFailureRate(0);
    const subscriptions = (totals: Map<string, string>) => new Map([...totals].map(([tenant, value]) => [tenant.replace("org_", "sub_"), value]));
    expect(fake.totals("tokens")).toEqual(subscriptions(tokensPerTenant(events)));
    expect(fake.totals("credits")).toEqual(subscriptions(creditsPerTenant(events, { markup: "0.2", creditsPerUsd: "1000" })));

    const chargebee = new Chargebee({ ...fake.chargebeeConfig });
    const billing = await createChargebeeBilling({ chargebee, storage, meters, licenseKey: license.licenseKey, licensePublicKey: license.licensePublicKey });
    const reconciled = await billing.reconcile({ from: new Date(end.getTime() - 11 * hour), to: new Date(end.getTime() + 1000) });
    expect(reconciled.rows.filter((row) => row.status !== "match")).toEqual([]);
    expect(reconciled.rows).toHaveLength(100);
    await storage.close();
  }, 600_000);
});
