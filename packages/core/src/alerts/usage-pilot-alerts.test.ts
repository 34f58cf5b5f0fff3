import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage/memory-storage";
import { UsagePilot } from "../usage-pilot";
import type { AlertV1 } from "./alert-v1";

const hour = 3_600_000;
const tokens = (count: number) => ({ inputTokens: count, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 });

describe("UsagePilot alerts", () => {
  it("delivers a runaway tenant's anomaly once, to onAlert and to usage.alerts.recent, and leaves steady tenants alone", async () => {
    const delivered: AlertV1[] = [];
    const usage = new UsagePilot<{ organization_id: string }>({
      storage: new MemoryStorage(),
      providers: [],
      alerts: { anomaly: { key: ["organization_id"], minHistory: 6 }, onAlert: (alert) => void delivered.push(alert) },
    });
    const start = Date.UTC(2026, 0, 5);
    // Two steady tenants for a day: ten calls of 1,000 tokens an hour each.
    for (let hourIndex = 0; hourIndex < 24; hourIndex += 1) {
      for (let call = 0; call < 10; call += 1) {
        for (const organization of ["steady", "runaway"]) {
          await usage.track({ dimensions: { organization_id: organization }, usage: tokens(1_000), timestamp: new Date(start + hourIndex * hour + call * 60_000) });
        }
      }
    }
    // Then one of them loops: 200 calls within the next hour.
    for (let call = 0; call < 200; call += 1) {
      await usage.track({ dimensions: { organization_id: "runaway" }, usage: tokens(1_000), timestamp: new Date(start + 24 * hour + call * 10_000) });
    }
    await usage.flush();
    expect(delivered.map((alert) => [alert.kind, alert.tenant.organization_id])).toEqual([["window-anomaly", "runaway"]]);
    expect(usage.alerts.recent({ organization_id: "runaway" })).toEqual(delivered);
    expect(usage.alerts.recent({ organization_id: "steady" })).toEqual([]);
    await usage.shutdown();
  });

  it("turns budget threshold crossings into alerts, once per threshold and window, beside the rule's own callback", async () => {
    const delivered: AlertV1[] = [];
    const crossings: number[] = [];
    const usage = new UsagePilot<{ organization_id: string }>({
      storage: new MemoryStorage(),
      providers: [],
      limits: {
        rules: [{ name: "org-month", key: ["organization_id"], window: "month", max: { tokens: 10_000 }, action: "notify", thresholds: [50, 80] }],
        onThreshold: (crossing) => crossings.push(crossing.threshold),
      },
      alerts: { anomaly: false, onAlert: (alert) => void delivered.push(alert) },
    });
    for (let call = 0; call < 10; call += 1) await usage.track({ dimensions: { organization_id: "acme" }, usage: tokens(1_000) });
    await usage.flush();
    expect(crossings).toEqual([50, 80]);
    expect(delivered.map((alert) => [alert.kind, alert.values.threshold, alert.tenant])).toEqual([
      ["budget-threshold", 50, { organization_id: "acme" }],
      ["budget-threshold", 80, { organization_id: "acme" }],
    ]);
    expect(delivered[1]!.message).toContain('80% of budget "org-month"');
    await usage.shutdown();
  });
});
