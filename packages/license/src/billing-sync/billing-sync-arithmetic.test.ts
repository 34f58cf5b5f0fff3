import { describe, expect, it } from "vitest";
import { billingIdentifier } from "./billing-identifier";
import { floorDecimal } from "./decimal-text";
import { meterValue } from "./meter-value";
import { reconcileRows } from "./reconcile-rows";
import { parseRetryAfter, retryDelay } from "./retry-delay";
import type { StoredUsageRow } from "./stored-usage-row";

const row = (overrides: Partial<StoredUsageRow>): StoredUsageRow => ({
  id: "0190a000-0000-7000-8000-000000000000",
  ts: new Date(),
  stored_at: new Date(),
  dimensions: {},
  status: "ok",
  input_tokens: "100",
  output_tokens: "40",
  cached_input_tokens: "10",
  reasoning_tokens: "5",
  units: {},
  cost_usd: "0.0015",
  ...overrides,
});

describe("meterValue", () => {
  it("counts tokens, units and credits exactly, and never treats unknown as zero", () => {
    expect(meterValue(row({}), "tokens")).toEqual({ value: { units: 140n, scale: 0 } });
    expect(meterValue(row({ input_tokens: null, output_tokens: null, cached_input_tokens: null, reasoning_tokens: null }), "tokens")).toEqual({ unknown: "unmeasured" });
    expect(meterValue(row({ units: { images: 3 } }), { unit: "images" })).toEqual({ value: { units: 3n, scale: 0 } });
    expect(meterValue(row({ units: { seconds: 1.25 } }), { unit: "seconds" })).toEqual({ value: { units: 125n, scale: 2 } });
    // 0.0015 USD × 1.2 markup × 1000 credits per USD = 1.8 credits.
    const credits = meterValue(row({}), { cost: { markup: "0.2", creditsPerUsd: "1000" } });
    expect("value" in credits && floorDecimal(credits.value, 1)).toEqual({ units: 18n, scale: 1 });
    expect(meterValue(row({ cost_usd: null }), { cost: {} })).toEqual({ unknown: "unpriced" });
  });
});

describe("billingIdentifier", () => {
  it("is deterministic, distinct per sequence, and fits Chargebee's 36 characters", async () => {
    const parts = { syncId: "stripe:default", meter: "tokens", tenantKey: "org_1", windowStart: new Date("2026-11-01T10:00:00Z"), seq: 0 };
    const first = await billingIdentifier(parts);
    expect(await billingIdentifier({ ...parts })).toBe(first);
    expect(await billingIdentifier({ ...parts, seq: 1 })).not.toBe(first);
    expect(first).toMatch(/^up[0-9a-f]{32}$/);
  });
});

describe("retryDelay", () => {
  it("honours Retry-After and otherwise backs off exponentially with a cap", () => {
    expect(retryDelay({ attempt: 0, retryAfterMs: 2000, baseMs: 100, maxMs: 30_000 })).toBe(2000);
    expect(retryDelay({ attempt: 3, baseMs: 100, maxMs: 30_000, random: () => 1 })).toBe(800);
    expect(retryDelay({ attempt: 3, baseMs: 100, maxMs: 30_000, random: () => 0 })).toBe(400);
    expect(retryDelay({ attempt: 30, baseMs: 100, maxMs: 30_000, random: () => 1 })).toBe(30_000);
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe("reconcileRows", () => {
  it("reports drift, unsent usage, provider-only customers and unreachable providers", () => {
    const rows = reconcileRows({
      local: [
        { meter: "tokens", externalId: "cus_a", tenantKeys: ["a"], local: "100", sent: "100" },
        { meter: "tokens", externalId: "cus_b", tenantKeys: ["b"], local: "50", sent: "30" },
        { meter: "tokens", externalId: "cus_c", tenantKeys: ["c"], local: "10", sent: "10" },
        { meter: "credits", externalId: "cus_a", tenantKeys: ["a"], local: "7", sent: "7" },
      ],
      provider: new Map([
        ["tokens", new Map([["cus_a", "100"], ["cus_b", "30"], ["cus_c", "12"], ["cus_x", "5"]])],
        ["credits", null],
      ]),
    });
    expect(rows.map((entry) => [entry.meter, entry.externalId, entry.status, entry.drift])).toEqual([
      ["credits", "cus_a", "unknown", null],
      ["tokens", "cus_a", "match", "0"],
      ["tokens", "cus_b", "unsent", "0"],
      ["tokens", "cus_c", "drift", "2"],
      ["tokens", "cus_x", "drift", "5"],
    ]);
  });
});
