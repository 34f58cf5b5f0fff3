import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { LicenseError } from "@usagepilot/license";
import { testLicense, tokensPerTenant, useBillingTestContext, usageEvents, withoutLicenseEnvironment } from "@usagepilot/license/test";
import { PostgresStorage } from "@usagepilot/postgres";
import { createFakeChargebeeServer } from "@usagepilot/testing";
import Chargebee from "chargebee";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ChargebeeMeter, type CreateChargebeeBillingOptions, createChargebeeBilling } from "../src/index";

const hour = 3_600_000;
const meters: ChargebeeMeter[] = [{ name: "tokens", featureId: "ai-tokens", quantity: "tokens" }];
const context = useBillingTestContext({ beforeAll, afterEach });

async function setup(subscriptions: string[] = Array.from({ length: 50 }, (_, index) => `sub_${index}`)) {
  const fake = await createFakeChargebeeServer({ subscriptions, features: [{ id: "ai-tokens", property: "tokens" }] });
  const storage = new PostgresStorage({ dataDir: "memory://" });
  context.closeAfterEach(fake, storage);
  const chargebee = new Chargebee({ ...fake.chargebeeConfig, timeout: 2000 });
  return { fake, storage, chargebee };
}

function billingOptions(chargebee: Chargebee, storage: PostgresStorage, extra: Partial<CreateChargebeeBillingOptions> = {}): CreateChargebeeBillingOptions {
  return { chargebee, storage, meters, licenseKey: context.license.licenseKey, licensePublicKey: context.license.licensePublicKey, retryBaseMs: 20, retryMaxMs: 2000, eventsPerMinute: 10_000_000, ...extra };
}

const toSubscription = (tenant: string) => tenant.replace("org_", "sub_");
const asSubscriptions = (totals: Map<string, string>) => new Map([...totals].map(([tenant, value]) => [toSubscription(tenant), value]));

describe("the licence gate", () => {
  it("refuses without a key, with an expired key and with a tampered key, saying how to get one", async () => {
    const { chargebee, storage } = await setup();
    await withoutLicenseEnvironment(async () => {
      const missing = await createChargebeeBilling(billingOptions(chargebee, storage, { licenseKey: undefined })).catch((error: unknown) => error);
      expect(LicenseError.isInstance(missing) && missing.reason).toBe("missing");
      expect(String((missing as Error).message)).toMatch(/@usagepilot\/billing-chargebee needs a valid UsagePilot licence.*usagepilot\.dev\/pricing/);
      const expired = await testLicense({ expiresAt: new Date(Date.now() - 1000) });
      expect(await createChargebeeBilling(billingOptions(chargebee, storage, expired)).catch((error: LicenseError) => error.reason)).toBe("expired");
      const other = await testLicense();
      expect(await createChargebeeBilling(billingOptions(chargebee, storage, { licenseKey: other.licenseKey })).catch((error: LicenseError) => error.reason)).toBe("forged");
    });
  });
});

describe("createChargebeeBilling().sync()", () => {
  it("batch-ingests on the ingest host, at most 500 a call, once, with totals equal to the stored usage", async () => {
    const { fake, storage, chargebee } = await setup();
    const events = usageEvents({ count: 3000, tenants: 50, end: new Date(), spanMs: 11 * hour, seed: 4 });
    await storage.write(events);
    const billing = await createChargebeeBilling(billingOptions(chargebee, storage, { resolveSubscription: toSubscription }));
    const report = await billing.sync();
    expect(report.mode).toBe("batch");
    expect(report.problems).toEqual([]);
    expect(report.sentLines).toBe(report.createdLines);
    expect(report.createdLines).toBeGreaterThan(500);
    expect(fake.calls["POST /api/v2/batch/usage_events"]).toBe(Math.ceil(report.createdLines / 500));
    expect(fake.totals("tokens")).toEqual(asSubscriptions(tokensPerTenant(events)));
    expect(fake.usageEvents.every((event) => /^up[0-9a-f]{32}$/.test(event.deduplication_id))).toBe(true);
    expect((await billing.sync()).sentLines).toBe(0);
    expect(fake.calls["POST /api/v2/batch/usage_events"]).toBe(Math.ceil(report.createdLines / 500));
  });

  it("retries the events a batch reports as failed until each is in", async () => {
    const { fake, storage, chargebee } = await setup();
    const events = usageEvents({ count: 600, tenants: 12, end: new Date(), spanMs: 8 * hour, seed: 5 });
    await storage.write(events);
    fake.setEventFailureRate(0.3);
    const billing = await createChargebeeBilling(billingOptions(chargebee, storage, { resolveSubscription: toSubscription }));
    const report = await billing.sync();
    expect(fake.failedEvents).toBeGreaterThan(0);
    expect(report.pendingLines).toBe(0);
    expect(fake.totals("tokens")).toEqual(asSubscriptions(tokensPerTenant(events)));
  });

  it("reports an unmapped tenant, a deleted subscription and usage past the 12-hour window by name while the others sync", async () => {
    const { fake, storage, chargebee } = await setup(["sub_ok", "sub_deleted"]);
    const now = Date.now();
    const event = (tenant: string, ageMs: number, tokens: number) => createTestEvent({ timestamp: new Date(now - ageMs).toISOString(), dimensions: { organization_id: tenant }, usage: testTokens(tokens, 0) });
    await storage.write([event("ok", hour, 10), event("stranger", hour, 20), event("churned", hour, 30), event("ok", 13 * hour, 40)]);
    fake.deleteSubscription("sub_deleted");
    const billing = await createChargebeeBilling(billingOptions(chargebee, storage));
    await billing.mapTenant("ok", "sub_ok");
    await billing.mapTenant("churned", "sub_deleted");
    const report = await billing.sync();
    expect(fake.totals("tokens")).toEqual(new Map([["sub_ok", "10"]]));
    expect(report.problems.map((problem) => [problem.reason, problem.tenantKey, problem.externalId, problem.value])).toEqual([
      ["customer_missing", "churned", "sub_deleted", "30"],
      ["no_customer", "stranger", null, "20"],
      ["too_old", "ok", "sub_ok", "40"],
    ]);
    expect(report.problems[0]?.message).toContain("sub_deleted does not exist");
  });

  it("waits out a 429's Retry-After and survives a lost answer without double counting", async () => {
    const { fake, storage, chargebee } = await setup();
    const events = usageEvents({ count: 300, tenants: 5, end: new Date(), spanMs: 4 * hour, seed: 6 });
    await storage.write(events);
    fake.setFaults({ rate: 0, retryAfterSeconds: 1 });
    const batch = /batch\/usage_events$/;
    fake.failNext({ kind: "429", path: batch }, { kind: "500", afterEffect: true, path: batch }, { kind: "drop", afterEffect: true, path: batch });
    const billing = await createChargebeeBilling(billingOptions(chargebee, storage, { resolveSubscription: toSubscription }));
    const started = Date.now();
    const report = await billing.sync();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(report.failures.length).toBe(3);
    expect(report.pendingLines).toBe(0);
    expect(fake.totals("tokens")).toEqual(asSubscriptions(tokensPerTenant(events)));
  });
});

describe("createChargebeeBilling().reconcile()", () => {
  it("balances after a sync and shows drift when Chargebee holds something else", async () => {
    const { fake, storage, chargebee } = await setup();
    const end = new Date(Math.floor(Date.now() / hour) * hour);
    const events = usageEvents({ count: 300, tenants: 6, end, spanMs: 6 * hour, seed: 8 });
    await storage.write(events);
    const billing = await createChargebeeBilling(billingOptions(chargebee, storage, { resolveSubscription: toSubscription }));
    await billing.sync();
    const range = { from: new Date(end.getTime() - 6 * hour), to: end };
    const balanced = await billing.reconcile(range);
    expect(balanced.balanced).toBe(true);
    expect(new Map(balanced.rows.map((row) => [row.externalId, row.provider]))).toEqual(asSubscriptions(tokensPerTenant(events)));

    await chargebee.usageEvent.create({ deduplication_id: "manual-1", subscription_id: "sub_3", usage_timestamp: end.getTime() - 60_000, properties: { tokens: 9 } });
    const drifted = await billing.reconcile(range);
    expect(drifted.rows.filter((row) => row.status !== "match").map((row) => [row.externalId, row.drift])).toEqual([["sub_3", "9"]]);
    expect(fake.usageEvents.at(-1)?.deduplication_id).toBe("manual-1");
  });
});
