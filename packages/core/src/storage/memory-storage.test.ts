import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { UsageEvent } from "../event/usage-event";
import { sumDecimalStrings } from "../price/decimal";
import { aggregateEvents, bucketStart } from "./aggregate-events";
import { MemoryStorage } from "./memory-storage";
import { createTestEvent, testTokens as tokens } from "../test/create-test-event";

const makeEvent = (overrides: Partial<UsageEvent> & { timestamp: string }): UsageEvent => createTestEvent(overrides);



const cost = (amount: string) => ({ amount, currency: "USD" as const, priceSource: "test" });
const january = { from: "2026-01-01T00:00:00.000Z", to: "2026-02-01T00:00:00.000Z" };

async function storageWith(events: UsageEvent[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  await storage.write(events);
  return storage;
}

describe("MemoryStorage", () => {
  it("is idempotent on id and keeps its own copy", async () => {
    const event = makeEvent({ timestamp: "2026-01-10T00:00:00.000Z" });
    const storage = new MemoryStorage();
    await storage.write([event, event]);
    await storage.write([{ ...event, usage: tokens(999, 999) }]);
    event.dimensions.user_id = "mutated later";
    expect(storage.events).toHaveLength(1);
    expect(storage.events[0]!.usage).toEqual(tokens(10, 5));
    expect(storage.events[0]!.dimensions).toEqual({});
  });
});

describe("MemoryStorage.query / aggregateEvents", () => {
  it("groups by dimension keys and model, with exact sums per group", async () => {
    const storage = await storageWith([
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { organization_id: "o1", user_id: "a" }, model: "gpt-4o", usage: tokens(100, 10, 20, 0, 3), cost: cost("0.1") }),
      makeEvent({ timestamp: "2026-01-10T11:00:00.000Z", dimensions: { organization_id: "o1", user_id: "b" }, model: "gpt-4o", usage: tokens(50, 5, 0, 10, 0), cost: cost("0.2") }),
      makeEvent({ timestamp: "2026-01-11T10:00:00.000Z", dimensions: { organization_id: "o1", user_id: "a" }, model: "gpt-4o-mini", usage: tokens(1, 1) }),
      makeEvent({ timestamp: "2026-01-12T10:00:00.000Z", dimensions: { organization_id: "o2", user_id: "c" }, model: "gpt-4o", usage: tokens(7, 7), cost: cost("0.0000001") }),
      makeEvent({ timestamp: "2026-01-12T10:00:00.000Z", dimensions: { user_id: "d" }, model: "gpt-4o", usage: tokens(3, 3) }),
    ]);
    const rows = await storage.query({ ...january, groupBy: ["organization_id", "model"] });
    const byGroup = Object.fromEntries(rows.map((row) => [`${row.group.organization_id}/${row.group.model}`, row]));
    expect(Object.keys(byGroup).sort()).toEqual(["null/gpt-4o", "o1/gpt-4o", "o1/gpt-4o-mini", "o2/gpt-4o"]);
    expect(byGroup["o1/gpt-4o"]).toMatchObject({
      period: null,
      group: { organization_id: "o1", model: "gpt-4o" },
      events: 2,
      unmeasuredEvents: 0,
      inputTokens: 150,
      outputTokens: 15,
      cachedInputTokens: 20,
      cacheWriteInputTokens: 10,
      reasoningTokens: 3,
      costUsd: "0.3",
      unpricedEvents: 0,
    });
    expect(byGroup["o1/gpt-4o-mini"]).toMatchObject({ events: 1, inputTokens: 1, costUsd: null, unpricedEvents: 1 });
    expect(byGroup["o2/gpt-4o"]).toMatchObject({ costUsd: "0.0000001" });
    expect(byGroup["null/gpt-4o"]!.group).toEqual({ organization_id: null, model: "gpt-4o" });
  });

  it("filters with where: a string, an array of values, and event fields", async () => {
    const storage = await storageWith([
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { feature: "chat" }, usage: tokens(1, 0) }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { feature: "analysis" }, usage: tokens(10, 0) }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { feature: "search" }, usage: tokens(100, 0), provider: "anthropic" }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: {}, usage: tokens(1000, 0) }),
    ]);
    expect((await storage.query({ ...january, where: { feature: "chat" } }))[0]!.inputTokens).toBe(1);
    expect((await storage.query({ ...january, where: { feature: ["chat", "search"] } }))[0]!.inputTokens).toBe(101);
    expect((await storage.query({ ...january, where: { provider: "anthropic" } }))[0]!.inputTokens).toBe(100);
    expect((await storage.query({ ...january, where: { provider: "openai", feature: ["analysis", "search"] } }))[0]!.inputTokens).toBe(10);
    expect(await storage.query({ ...january, where: { feature: "nothing" } })).toEqual([]);
  });

  it("includes from and excludes to", async () => {
    const storage = await storageWith([
      makeEvent({ timestamp: "2025-12-31T23:59:59.999Z", usage: tokens(1, 0) }),
      makeEvent({ timestamp: "2026-01-01T00:00:00.000Z", usage: tokens(10, 0) }),
      makeEvent({ timestamp: "2026-01-31T23:59:59.999Z", usage: tokens(100, 0) }),
      makeEvent({ timestamp: "2026-02-01T00:00:00.000Z", usage: tokens(1000, 0) }),
    ]);
    expect(await storage.query(january)).toMatchObject([{ events: 2, inputTokens: 110 }]);
    expect(await storage.query({ from: new Date(january.from), to: new Date(january.to) })).toMatchObject([{ events: 2, inputTokens: 110 }]);
  });

  it("buckets by UTC hour, day and month, in period order", async () => {
    const storage = await storageWith([
      makeEvent({ timestamp: "2026-01-10T10:59:59.999Z", usage: tokens(1, 0) }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", usage: tokens(2, 0) }),
      makeEvent({ timestamp: "2026-01-10T23:30:00.000Z", usage: tokens(4, 0) }),
      makeEvent({ timestamp: "2026-01-11T00:00:00.000Z", usage: tokens(8, 0) }),
      makeEvent({ timestamp: "2026-02-28T12:00:00.000Z", usage: tokens(16, 0) }),
    ]);
    const range = { from: "2026-01-01T00:00:00.000Z", to: "2026-03-01T00:00:00.000Z" };
    const hours = await storage.query({ ...range, granularity: "hour" });
    expect(hours.map((row) => [row.period, row.inputTokens])).toEqual([
      ["2026-01-10T10:00:00.000Z", 3],
      ["2026-01-10T23:00:00.000Z", 4],
      ["2026-01-11T00:00:00.000Z", 8],
      ["2026-02-28T12:00:00.000Z", 16],
    ]);
    const days = await storage.query({ ...range, granularity: "day" });
    expect(days.map((row) => [row.period, row.inputTokens])).toEqual([
      ["2026-01-10T00:00:00.000Z", 7],
      ["2026-01-11T00:00:00.000Z", 8],
      ["2026-02-28T00:00:00.000Z", 16],
    ]);
    const months = await storage.query({ ...range, granularity: "month" });
    expect(months.map((row) => [row.period, row.inputTokens])).toEqual([
      ["2026-01-01T00:00:00.000Z", 15],
      ["2026-02-01T00:00:00.000Z", 16],
    ]);
    expect(await storage.query({ ...range, granularity: "total" })).toMatchObject([{ period: null, inputTokens: 31 }]);
  });

  it("bucketStart uses UTC whatever the offset in the timestamp", () => {
    const time = new Date("2026-03-01T01:30:00+02:00"); // 2026-02-28T23:30Z
    expect(bucketStart(time, "hour")).toBe("2026-02-28T23:00:00.000Z");
    expect(bucketStart(time, "day")).toBe("2026-02-28T00:00:00.000Z");
    expect(bucketStart(time, "month")).toBe("2026-02-01T00:00:00.000Z");
    expect(bucketStart(time, "total")).toBeNull();
  });

  it("counts unmeasured events apart and never adds them as zeros", async () => {
    const storage = await storageWith([
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "measured" }, usage: tokens(10, 5) }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "measured" }, usage: null, accuracy: "estimated" }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "unmeasured" }, usage: null, accuracy: "estimated" }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "unmeasured" }, usage: null, accuracy: "estimated", units: { images: 2 } }),
    ]);
    const rows = await storage.query({ ...january, groupBy: ["user_id"] });
    const measured = rows.find((row) => row.group.user_id === "measured")!;
    const unmeasured = rows.find((row) => row.group.user_id === "unmeasured")!;
    expect(measured).toMatchObject({ events: 2, unmeasuredEvents: 1, inputTokens: 10, outputTokens: 5 });
    expect(unmeasured).toMatchObject({ events: 2, unmeasuredEvents: 2, inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheWriteInputTokens: null, reasoningTokens: null, units: { images: 2 } });
  });

  it("sums cost exactly and counts unpriced events apart (null cost is not $0)", async () => {
    const storage = await storageWith([
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "a" }, cost: cost("0.1") }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "a" }, cost: cost("0.2") }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "a" }, cost: null }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "b" }, cost: null }),
      makeEvent({ timestamp: "2026-01-10T10:00:00.000Z", dimensions: { user_id: "c" }, cost: cost("0") }),
    ]);
    const rows = await storage.query({ ...january, groupBy: ["user_id"] });
    expect(rows.map((row) => [row.group.user_id, row.costUsd, row.unpricedEvents])).toEqual([
      ["a", "0.3", 1],
      ["b", null, 1],
      ["c", "0", 0],
    ]);
  });

  it("totals over any grouping equal the sums over the events (exact cost, measured tokens only)", () => {
    const eventArbitrary = fc
      .record({
        day: fc.integer({ min: 0, max: 40 }),
        minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
        org: fc.constantFrom("o1", "o2", undefined),
        model: fc.constantFrom("m1", "m2"),
        usage: fc.option(fc.tuple(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 })), { nil: null }),
        cost: fc.option(fc.tuple(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 12 })), { nil: null }),
      })
      .map((r) =>
        makeEvent({
          timestamp: new Date(Date.UTC(2026, 0, 1 + r.day, 0, r.minute)).toISOString(),
          dimensions: r.org === undefined ? {} : { organization_id: r.org },
          model: r.model,
          usage: r.usage === null ? null : tokens(r.usage[0], r.usage[1]),
          cost: r.cost === null ? null : cost(`${Math.floor(r.cost[0] / 1000)}.${String(r.cost[0] % 1000).padStart(3, "0")}${"7".repeat(r.cost[1])}`),
        }),
      );
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 40 }), fc.constantFrom("hour", "day", "month", "total") as fc.Arbitrary<"hour" | "day" | "month" | "total">, (events, granularity) => {
        const inRange = events.filter((event) => event.timestamp < january.to);
        const rows = aggregateEvents(events, { ...january, groupBy: ["organization_id", "model"], granularity });
        expect(rows.reduce((total, row) => total + row.events, 0)).toBe(inRange.length);
        expect(rows.reduce((total, row) => total + row.unmeasuredEvents, 0)).toBe(inRange.filter((event) => event.usage === null).length);
        expect(rows.reduce((total, row) => total + (row.inputTokens ?? 0), 0)).toBe(inRange.reduce((total, event) => total + (event.usage?.inputTokens ?? 0), 0));
        expect(rows.reduce((total, row) => total + row.unpricedEvents, 0)).toBe(inRange.filter((event) => event.cost === null).length);
        const priced = inRange.flatMap((event) => (event.cost ? [event.cost.amount] : []));
        expect(sumDecimalStrings(rows.flatMap((row) => (row.costUsd === null ? [] : [row.costUsd])))).toBe(sumDecimalStrings(priced));
        for (const row of rows) {
          expect(row.inputTokens === null).toBe(row.unmeasuredEvents === row.events);
          expect(row.costUsd === null).toBe(row.unpricedEvents === row.events);
        }
        const periods = rows.map((row) => row.period ?? "");
        expect([...periods].sort()).toEqual(periods);
      }),
    );
  });
});
