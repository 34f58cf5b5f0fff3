import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createScratchDatabase, creditsPerTenant, runSyncsToCompletion, type SyncChildResult, seededRandom, testLicense, testServerUrl, tokensPerTenant, usageEvents } from "@usagepilot/license/test";
import { PostgresStorage } from "@usagepilot/postgres";
import { createFakeChargebeeServer, type FakeChargebeeServer } from "@usagepilot/testing";
import Chargebee from "chargebee";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChargebeeMeter, createChargebeeBilling } from "../src/index";

const hour = 3_600_000;
const child = fileURLToPath(new URL("./sync-child.mjs", import.meta.url));
const meters: ChargebeeMeter[] = [
  { name: "tokens", featureId: "ai-tokens", quantity: "tokens" },
  { name: "credits", featureId: "ai-credits", quantity: { cost: { markup: "0.2", creditsPerUsd: "1000" } } },
];

describe("Chargebee sync, exactly once on the real PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  const server = new PostgresStorage({ connectionString: testServerUrl, migrate: false });
  let fake: FakeChargebeeServer;
  let license: Awaited<ReturnType<typeof testLicense>>;

  beforeAll(async () => {
    database = await createScratchDatabase({ admin: async (statement) => (await server.sqlClient()).query(statement) });
    license = await testLicense();
    fake = await createFakeChargebeeServer({
      subscriptions: Array.from({ length: 50 }, (_, index) => `sub_${index}`),
      features: [
        { id: "ai-tokens", property: "tokens" },
        { id: "ai-credits", property: "credits" },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await database?.drop();
    await server.close();
  });

  function runChild(killAfterBatches: number, killAfterMs: number | null): Promise<SyncChildResult> {
    return new Promise((resolve, reject) => {
      const process = execFile(
        "node",
        [child],
        {
          env: { ...globalThis.process.env, DATABASE: database.url, FAKE_ORIGIN: fake.url, METERS: JSON.stringify(meters), LICENSE_KEY: license.licenseKey, LICENSE_PUBLIC_KEY: license.licensePublicKey, KILL_AFTER_BATCHES: String(killAfterBatches) },
          timeout: 120_000,
        },
        (error, stdout, stderr) => {
          const killed = process.signalCode === "SIGKILL";
          // A child that failed on its own is a test failure, reported with what it printed.
          if (error && !killed) return reject(new Error(`sync child failed: ${stderr || error.message}`));
          resolve({ killed, report: killed ? null : (JSON.parse(stdout) as SyncChildResult["report"]) });
        },
      );
      if (killAfterMs !== null) setTimeout(() => process.kill("SIGKILL"), killAfterMs);
    });
  }

  it("10,000 events over 50 tenants: with 20% faults and the sync killed mid-run, Chargebee's totals equal the local ones exactly", async () => {
    const end = new Date();
    const events = usageEvents({ count: 10_000, tenants: 50, end, spanMs: 10 * hour, seed: 2027 });
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
