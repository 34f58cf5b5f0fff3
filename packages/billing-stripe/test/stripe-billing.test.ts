import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { LicenseError } from "@usagepilot/license";
import { PostgresStorage } from "@usagepilot/postgres";
import { createFakeStripeServer, type FakeStripeServer } from "@usagepilot/testing";
import Stripe from "stripe";
import { testLicense, tokensPerTenant, useBillingTestContext, usageEvents, withoutLicenseEnvironment } from "@usagepilot/license/test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStripeBilling, type CreateStripeBillingOptions, type StripeMeter } from "../src/index";

const hour = 3_600_000;
const meters: StripeMeter[] = [{ name: "ai_tokens", meterId: "mtr_tokens", quantity: "tokens" }];
const context = useBillingTestContext({ beforeAll, afterEach });

async function setup(options: { customers?: string[]; fakeMeters?: { id: string; event_name: string }[] } = {}) {
  const fake = await createFakeStripeServer({ meters: options.fakeMeters ?? [{ id: "mtr_tokens", event_name: "ai_tokens" }], customers: options.customers ?? Array.from({ length: 50 }, (_, index) => `cus_${index}`) });
  const storage = new PostgresStorage({ dataDir: "memory://" });
  context.closeAfterEach(fake, storage);
  // No SDK retries: the sync's own backoff is what is under test.
  const stripe = new Stripe("sk_test_fake", { ...fake.stripeConfig, maxNetworkRetries: 0, timeout: 2000 });
  return { fake, storage, stripe };
}

function billingOptions(stripe: Stripe, storage: PostgresStorage, extra: Partial<CreateStripeBillingOptions> = {}): CreateStripeBillingOptions {
  return { stripe, storage, meters, licenseKey: context.license.licenseKey, licensePublicKey: context.license.licensePublicKey, retryBaseMs: 20, retryMaxMs: 2000, requestsPerSecond: 1000, ...extra };
}

/** Tenant totals turned into customer totals through the `org_N` → `cus_N` mapping the tests use. */
function asCustomers(totals: Map<string, string>): Map<string, string> {
  return new Map([...totals].map(([tenant, value]) => [tenant.replace("org_", "cus_"), value]));
}

describe("the licence gate", () => {
  it("refuses without a key, with an expired key and with a tampered key, saying how to get one", async () => {
    const { stripe, storage } = await setup();
    await withoutLicenseEnvironment(async () => {
      const missing = await createStripeBilling(billingOptions(stripe, storage, { licenseKey: undefined })).catch((error: unknown) => error);
      expect(LicenseError.isInstance(missing) && missing.reason).toBe("missing");
      expect(String((missing as Error).message)).toMatch(/@usagepilot\/billing-stripe needs a valid UsagePilot licence.*usagepilot\.dev\/pricing/);
      const expired = await testLicense({ expiresAt: new Date(Date.now() - 1000) });
      const late = await createStripeBilling(billingOptions(stripe, storage, expired)).catch((error: unknown) => error);
      expect(LicenseError.isInstance(late) && late.reason).toBe("expired");
      const [header, payload, signature] = context.license.licenseKey.split(".");
      const flipped = `${signature?.startsWith("A") ? "B" : "A"}${signature?.slice(1)}`;
      const tampered = await createStripeBilling(billingOptions(stripe, storage, { licenseKey: `${header}.${payload}.${flipped}` })).catch((error: unknown) => error);
      expect(LicenseError.isInstance(tampered) && tampered.reason).toBe("forged");
    });
  });
});

describe("createStripeBilling().sync()", () => {
  it("sends a small volume through v1 meter events, once, with totals equal to the stored usage", async () => {
    const { fake, storage, stripe } = await setup();
    const events = usageEvents({ count: 60, tenants: 3, end: new Date(), spanMs: 3 * hour });
    await storage.write(events);
    const billing = await createStripeBilling(billingOptions(stripe, storage, { resolveCustomer: (tenant) => tenant.replace("org_", "cus_") }));
    const report = await billing.sync();
    expect(report.mode).toBe("v1");
    expect(report.claimedEvents).toBe(60);
    expect(report.problems).toEqual([]);
    expect(fake.totals("ai_tokens")).toEqual(asCustomers(tokensPerTenant(events)));
    expect(fake.meterEvents.every((event) => /^up[0-9a-f]{32}$/.test(event.identifier))).toBe(true);

    const callsBefore = fake.calls["POST /v1/billing/meter_events"];
    const again = await billing.sync();
    expect(again.claimedEvents).toBe(0);
    expect(again.sentLines).toBe(0);
    expect(fake.calls["POST /v1/billing/meter_events"]).toBe(callsBefore);
  });

  it("switches to the v2 meter event stream for large volumes and renews an expired session", async () => {
    const { fake, storage, stripe } = await setup();
    const events = usageEvents({ count: 3000, tenants: 20, end: new Date(), spanMs: 30 * hour, seed: 9 });
    await storage.write(events);
    const billing = await createStripeBilling(billingOptions(stripe, storage, { resolveCustomer: (tenant) => tenant.replace("org_", "cus_") }));
    let batches = 0;
    const renewing = await createStripeBilling(
      billingOptions(stripe, storage, {
        resolveCustomer: (tenant) => tenant.replace("org_", "cus_"),
        onBatchSent: () => {
          batches += 1;
          if (batches === 2) fake.expireSessions();
        },
      }),
    );
    const report = await renewing.sync();
    expect(report.mode).toBe("v2-stream");
    expect(report.pendingLines).toBe(0);
    expect(fake.calls["POST /v1/billing/meter_events"]).toBeUndefined();
    expect(fake.calls["POST /v2/billing/meter_event_session"]).toBeGreaterThanOrEqual(2);
    expect(fake.totals("ai_tokens")).toEqual(asCustomers(tokensPerTenant(events)));
    expect((await billing.sync()).sentLines).toBe(0);
  });

  it("sends late events for an already synced window as their own delta, with a new identifier", async () => {
    const { fake, storage, stripe } = await setup();
    const windowStart = new Date(Math.floor(Date.now() / hour) * hour - 2 * hour);
    const first = [createTestEvent({ timestamp: new Date(windowStart.getTime() + 60_000).toISOString(), dimensions: { organization_id: "org_1" }, usage: testTokens(100, 20) })];
    await storage.write(first);
    const billing = await createStripeBilling(billingOptions(stripe, storage, { resolveCustomer: (tenant) => tenant.replace("org_", "cus_") }));
    await billing.sync();
    const late = [createTestEvent({ timestamp: new Date(windowStart.getTime() + 120_000).toISOString(), dimensions: { organization_id: "org_1" }, usage: testTokens(7, 3) })];
    await storage.write(late);
    const report = await billing.sync();
    expect(report.createdLines).toBe(1);
    expect(fake.meterEvents.map((event) => event.value)).toEqual(["120", "10"]);
    expect(new Set(fake.meterEvents.map((event) => event.identifier)).size).toBe(2);
    expect(fake.totals("ai_tokens")).toEqual(new Map([["cus_1", "130"]]));
  });

  it("reports an unmapped tenant, a deleted customer and a too-old event by name while the others sync", async () => {
    const { fake, storage, stripe } = await setup({ customers: ["cus_ok", "cus_gone"] });
    const now = Date.now();
    const event = (tenant: string, ageMs: number, tokens: number) => createTestEvent({ timestamp: new Date(now - ageMs).toISOString(), dimensions: { organization_id: tenant }, usage: testTokens(tokens, 0) });
    await storage.write([event("ok", hour, 10), event("nobody", hour, 20), event("gone", hour, 30), event("ok", 40 * 24 * hour, 40)]);
    fake.deleteCustomer("cus_gone");
    const billing = await createStripeBilling(billingOptions(stripe, storage));
    await billing.mapTenant("ok", "cus_ok");
    await billing.mapTenant("gone", "cus_gone");
    const report = await billing.sync();
    expect(fake.totals("ai_tokens")).toEqual(new Map([["cus_ok", "10"]]));
    expect(report.problems.map((problem) => [problem.reason, problem.tenantKey, problem.value])).toEqual([
      ["customer_missing", "gone", "30"],
      ["no_customer", "nobody", "20"],
      ["too_old", "ok", "40"],
    ]);
    expect(report.problems.find((problem) => problem.reason === "customer_missing")?.message).toContain("cus_gone was deleted");

    // Mapped later, the held usage goes out on the next run; the too-old event never does.
    fake.addCustomer("cus_nobody");
    await billing.mapTenant("nobody", "cus_nobody");
    const next = await billing.sync();
    expect(fake.totals("ai_tokens")).toEqual(new Map([["cus_ok", "10"], ["cus_nobody", "20"]]));
    expect(next.problems.map((problem) => problem.reason)).toEqual(["customer_missing", "too_old"]);
  });

  it("waits out a 429's Retry-After and treats a repeat after a lost answer as already sent", async () => {
    const { fake, storage, stripe } = await setup();
    const events = usageEvents({ count: 10, tenants: 2, end: new Date(), spanMs: hour });
    await storage.write(events);
    fake.setFaults({ rate: 0, retryAfterSeconds: 1 });
    const meterEvents = /meter_events$/;
    fake.failNext({ kind: "429", path: meterEvents }, { kind: "500", afterEffect: true, path: meterEvents }, { kind: "drop", afterEffect: true, path: meterEvents });
    const billing = await createStripeBilling(billingOptions(stripe, storage, { resolveCustomer: (tenant) => tenant.replace("org_", "cus_") }));
    const started = Date.now();
    const report = await billing.sync();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(report.failures.length).toBeGreaterThanOrEqual(2);
    expect(report.pendingLines).toBe(0);
    expect(fake.injected).toMatchObject({ "429": 1, "500": 1, drop: 1 });
    expect(fake.totals("ai_tokens")).toEqual(asCustomers(tokensPerTenant(events)));
  });

  it("sends cost as credits with a markup in whole units, carrying the remainder exactly", async () => {
    const { fake, storage, stripe } = await setup({ fakeMeters: [{ id: "mtr_credits", event_name: "ai_credits" }] });
    const windowStart = Math.floor(Date.now() / hour) * hour - 5 * hour;
    const costs = ["0.0033", "0.0041", "0.0052", "0.0007"];
    await storage.write(costs.map((amount, index) => createTestEvent({ timestamp: new Date(windowStart + index * hour + 1000).toISOString(), dimensions: { organization_id: "org_7" }, cost: { amount, currency: "USD", priceSource: "test" } })));
    const billing = await createStripeBilling(
      billingOptions(stripe, storage, { meters: [{ name: "ai_credits", meterId: "mtr_credits", quantity: { cost: { markup: "0.25", creditsPerUsd: "1000" } } }], resolveCustomer: (tenant) => tenant.replace("org_", "cus_") }),
    );
    await billing.sync();
    // Exact credits: (0.0033 + 0.0041 + 0.0052 + 0.0007) × 1.25 × 1000 = 16.625 → 16 sent, 0.625 carried.
    // Per window 4.125, 5.125, 6.5, 0.875 credits; sent as floor(running total) − sent so far.
    expect(fake.meterEvents.map((event) => event.value)).toEqual(["4", "5", "6", "1"]);
    expect(fake.totals("ai_credits")).toEqual(new Map([["cus_7", "16"]]));
  });
});

describe("createStripeBilling().reconcile()", () => {
  it("balances after a sync and shows drift per customer when Stripe holds something else", async () => {
    const { fake, storage, stripe } = await setup();
    const end = new Date(Math.floor(Date.now() / hour) * hour);
    const events = usageEvents({ count: 200, tenants: 4, end, spanMs: 6 * hour, seed: 3 });
    await storage.write(events);
    const billing = await createStripeBilling(billingOptions(stripe, storage, { resolveCustomer: (tenant) => tenant.replace("org_", "cus_") }));
    await billing.sync();
    const range = { from: new Date(end.getTime() - 6 * hour), to: end };
    const balanced = await billing.reconcile(range);
    expect(balanced.balanced).toBe(true);
    expect(new Map(balanced.rows.map((row) => [row.externalId, row.provider]))).toEqual(asCustomers(tokensPerTenant(events)));

    await stripe.billing.meterEvents.create({ event_name: "ai_tokens", identifier: "manual-1", timestamp: Math.floor(end.getTime() / 1000) - 60, payload: { stripe_customer_id: "cus_2", value: "55" } });
    const drifted = await billing.reconcile(range);
    expect(drifted.balanced).toBe(false);
    expect(drifted.rows.filter((row) => row.status !== "match").map((row) => [row.externalId, row.drift])).toEqual([["cus_2", "55"]]);
  });
});
