import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { createSyncChildRunner, creditsPerTenant, runSyncsToCompletion, type SyncChildResult, seededRandom, testServerUrl, tokensPerTenant, useExactlyOnceContext, usageEvents } from "@usagepilot/license/test";
import { PostgresStorage } from "@usagepilot/postgres";
import { createFakeStripeServer } from "@usagepilot/testing";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeBilling, type StripeMeter } from "../src/index";

const hour = 3_600_000;
const meters: StripeMeter[] = [
  { name: "ai_tokens", meterId: "mtr_tokens", quantity: "tokens" },
  { name: "ai_credits", meterId: "mtr_credits", quantity: { cost: { markup: "0.2", creditsPerUsd: "1000" } } },
];

describe("Stripe sync, exactly once on the real PostgreSQL", () => {
  const context = useExactlyOnceContext({
    hooks: { beforeAll, afterAll },
    server: new PostgresStorage({ connectionString: testServerUrl, migrate: false }),
    startFake: () =>
      createFakeStripeServer({
        meters: meters.map((meter) => ({ id: meter.meterId ?? "", event_name: meter.name })),
        customers: Array.from({ length: 50 }, (_, index) => `cus_${index}`),
      }),
  });
  const runChild = createSyncChildRunner({
    execFile,
    script: fileURLToPath(new URL("./sync-child.mjs", import.meta.url)),
    setup: () => ({ databaseUrl: context.database.url, meters, license: context.license, env: { FAKE_PORT: String(context.fake.stripeConfig.port) } }),
  });

  it("10,000 events over 50 tenants: with 20% faults and the sync killed mid-run, Stripe's totals equal the local ones exactly", async () => {
    const end = new Date(Math.floor(Date.now() / hour) * hour);
    const events = usageEvents({ count: 10_000, tenants: 50, end, spanMs: 30 * hour, seed: 2026 });
    const { database, fake, license } = context;
    const storage = new PostgresStorage({ connectionString: database.url });
    for (let start = 0; start < events.length; start += 1000) await storage.write(events.slice(start, start + 1000));
    fake.setFaults({ rate: 0.2, seed: 11, retryAfterSeconds: 0, timeoutMs: 3000 });

    const random = seededRandom(5);
    // Deterministic kills between send and commit first, then kills at random moments, then runs to the end.
    const results = await runSyncsToCompletion({ run: runChild, plan: [[3, null], [1, null], [0, 700 + Math.floor(random() * 800)], [5, null], [0, 500 + Math.floor(random() * 1500)]] });
    expect(results.filter((result) => result.killed).length).toBeGreaterThanOrEqual(3);
    expect(results.at(-1)?.report?.pendingLines).toBe(0);
    expect(fake.calls["POST /v2/billing/meter_event_stream"]).toBeGreaterThan(0);
    expect(fake.injected["429"] + fake.injected["500"] + fake.injected.timeout + fake.injected.drop).toBeGreaterThan(0);
    // Killed after acceptance and before the record: those identifiers came again and were dropped.
    expect(fake.duplicates).toBeGreaterThan(0);

    fake.setFaults(undefined);
    const customers = (totals: Map<string, string>) => new Map([...totals].map(([tenant, value]) => [tenant.replace("org_", "cus_"), value]));
    expect(fake.totals("ai_tokens")).toEqual(customers(tokensPerTenant(events)));
    expect(fake.totals("ai_credits")).toEqual(customers(creditsPerTenant(events, { markup: "0.2", creditsPerUsd: "1000" })));

    // Late events for windows already synced go out as deltas, through v1 (a small volume), killed once too.
    const random2 = seededRandom(77);
    const late = Array.from({ length: 40 }, () => createTestEvent({ timestamp: new Date(end.getTime() - 1 - Math.floor(random2() * 20 * hour)).toISOString(), dimensions: { organization_id: `org_${Math.floor(random2() * 50)}` }, usage: testTokens(1 + Math.floor(random2() * 99), 1), cost: { amount: "0.001234", currency: "USD", priceSource: "test" } }));
    await storage.write(late);
    fake.setFaults({ rate: 0.2, seed: 12, retryAfterSeconds: 0, timeoutMs: 3000 });
    await runChild(2, null);
    let last: SyncChildResult | undefined;
    for (let run = 0; run < 10 && !(last?.report?.pendingLines === 0 && last.report.claimedEvents === 0); run++) last = await runChild(0, null);
    expect(last?.report?.pendingLines).toBe(0);
    expect(fake.calls["POST /v1/billing/meter_events"]).toBeGreaterThan(0);
    fake.setFaults(undefined);
    const all = [...events, ...late];
    expect(fake.totals("ai_tokens")).toEqual(customers(tokensPerTenant(all)));
    expect(fake.totals("ai_credits")).toEqual(customers(creditsPerTenant(all, { markup: "0.2", creditsPerUsd: "1000" })));

    const stripe = new Stripe("sk_test_fake", { ...fake.stripeConfig, maxNetworkRetries: 0 });
    const billing = await createStripeBilling({ stripe, storage, meters, licenseKey: license.licenseKey, licensePublicKey: license.licensePublicKey });
    const reconciled = await billing.reconcile({ from: new Date(end.getTime() - 31 * hour), to: end });
    expect(reconciled.rows.filter((row) => row.status !== "match")).toEqual([]);
    expect(reconciled.rows).toHaveLength(100);
    await storage.close();
  }, 600_000);
});
