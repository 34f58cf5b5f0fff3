import { describe, expect, it } from "vitest";
import { createTestEvent } from "../test/create-test-event";
import type { UsageEventV1 } from "../event/usage-event-v1";
import type { AlertV1 } from "./alert-v1";
import { createAnomalyDetector } from "./anomaly-detector";

const hour = 3_600_000;
const start = Date.UTC(2026, 0, 5); // a Monday

/** A seeded generator, so each series is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function call(time: number, tokens: number, organization = "org-1"): UsageEventV1 {
  return createTestEvent({
    timestamp: new Date(time).toISOString(),
    dimensions: { organization_id: organization, user_id: "u" },
    usage: { inputTokens: Math.round(tokens / 2), outputTokens: tokens - Math.round(tokens / 2), cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
  });
}

/**
 * An ordinary SaaS tenant: busy working hours, quiet nights, slow weekends, ±30% noise on each call's size and
 * on the number of calls, growing `weeklyGrowth` per week.
 */
function ordinaryTraffic(weeks: number, weeklyGrowth: number, seed = 1): UsageEventV1[] {
  const next = random(seed);
  const events: UsageEventV1[] = [];
  for (let index = 0; index < weeks * 7 * 24; index += 1) {
    const time = start + index * hour;
    const hourOfDay = new Date(time).getUTCHours();
    const weekend = new Date(time).getUTCDay() % 6 === 0;
    const base = (hourOfDay >= 8 && hourOfDay < 19 ? 30 : 8) * (weekend ? 0.4 : 1) * (1 + weeklyGrowth) ** (index / (7 * 24));
    const calls = Math.round(base * (0.7 + 0.6 * next()));
    for (let n = 0; n < calls; n += 1) events.push(call(time + Math.floor((n / calls) * hour), Math.round(1000 * (0.7 + 0.6 * next()))));
  }
  return events;
}

function feed(events: UsageEventV1[], detector = createAnomalyDetector({ key: ["organization_id"] })) {
  const alerts: AlertV1[] = [];
  for (const event of events) alerts.push(...detector.observe(event));
  return { alerts, detector };
}

describe("createAnomalyDetector", () => {
  it("does not flag ordinary traffic growing 10% a week, with daily and weekly cycles, over eight weeks", () => {
    for (const seed of [1, 2, 3]) {
      expect(feed(ordinaryTraffic(8, 0.1, seed)).alerts).toEqual([]);
    }
  });

  it("does not flag a tenant coming back from a quiet week", () => {
    const before = ordinaryTraffic(2, 0);
    const after = ordinaryTraffic(1, 0, 9).map((event) => ({ ...event, timestamp: new Date(Date.parse(event.timestamp) + 3 * 7 * 24 * hour).toISOString() }));
    expect(feed([...before, ...after]).alerts).toEqual([]);
  });

  it("catches a runaway loop within 200 calls, once per window, with the numbers that triggered it", () => {
    const history = ordinaryTraffic(2, 0.1);
    const { detector } = feed(history);
    // Tuesday 10:00 of the third week: a loop calls every two seconds with ordinary-sized requests.
    const loopStart = start + (2 * 7 + 1) * 24 * hour + 10 * hour;
    const alerts: { call: number; alert: AlertV1 }[] = [];
    for (let n = 0; n < 1_500; n += 1) {
      for (const alert of detector.observe(call(loopStart + n * 2_000, 1_000))) alerts.push({ call: n, alert });
    }
    const windowAlerts = alerts.filter(({ alert }) => alert.kind === "window-anomaly");
    // 1,500 calls over 50 minutes stay in one window: one alert, early.
    expect(windowAlerts).toHaveLength(1);
    expect(windowAlerts[0]!.call).toBeLessThan(200);
    const alert = windowAlerts[0]!.alert;
    expect(alert.tenant).toEqual({ organization_id: "org-1" });
    expect(Number(alert.values.observed)).toBeGreaterThan(Number(alert.values.limit));
    expect(Number(alert.values.limit)).toBeGreaterThanOrEqual(3 * Number(alert.values.recentPeak));
    expect(alert.message).toContain("organization_id=org-1");
    // The loop is still running an hour later: the next window alerts again, once.
    const later = detector.observe(call(loopStart + hour, 1_000));
    expect(later).toEqual([]);
  });

  it("flags a single request far above the tenant's typical one, and not a merely large one", () => {
    const { detector } = feed(ordinaryTraffic(1, 0));
    const time = start + 7 * 24 * hour + 10 * hour;
    expect(detector.observe(call(time, 5_000))).toEqual([]);
    const alert = detector.observe(call(time + 1_000, 60_000)).find((candidate) => candidate.kind === "request-anomaly");
    expect(alert).toMatchObject({ kind: "request-anomaly", tenant: { organization_id: "org-1" }, values: { observed: 60_000 } });
    expect(Number(alert!.values.typical)).toBeGreaterThan(800);
    expect(Number(alert!.values.typical)).toBeLessThan(1_200);
  });

  it("keeps tenants apart and needs history before it judges", () => {
    const detector = createAnomalyDetector({ key: ["organization_id"], minHistory: 12 });
    // A brand-new tenant's first busy hours are not anomalies: there is nothing to compare with.
    const fresh = Array.from({ length: 500 }, (_, n) => call(start + n * 1_000, 1_000, "org-new"));
    expect(feed(fresh, detector).alerts).toEqual([]);
    // Events without the key dimension are not judged at all.
    expect(detector.observe(createTestEvent({ dimensions: { user_id: "u" } }))).toEqual([]);
  });
});
