import { describe, expect, it } from "vitest";
import { MemoryQuotaStore } from "./memory-quota-store";
import type { QuotaCounterV1 } from "./quota-store-v1";

const now = Date.UTC(2026, 10, 29, 12);
const counter = (id: string, limit: number, extra: Partial<QuotaCounterV1> = {}): QuotaCounterV1 => ({ id, limit, block: true, window: { kind: "calendar", end: now + 86_400_000 }, ...extra });

describe("MemoryQuotaStore", () => {
  it("answers unseeded until seeded; a second seed (set-if-absent) changes nothing", () => {
    const store = new MemoryQuotaStore();
    const org = counter("org", 100);
    expect(store.reserve({ reservationId: "a", now, ttlMs: 1000, entries: [{ counter: org, amount: 1 }] })).toEqual({ outcome: "unseeded", indexes: [0] });
    expect(store.seed({ now, counter: org, amounts: [{ at: now, amount: 40 }, { at: now - 1, amount: 2 }] })).toBe(true);
    expect(store.seed({ now, counter: org, amounts: [{ at: now, amount: 40 }] })).toBe(false);
    expect(store.read({ now, counters: [org] })).toEqual([{ seeded: true, used: 42, reserved: 0 }]);
  });

  it("refuses as exceeded when settled usage leaves no room, as pending when only reservations do; all or nothing", () => {
    const store = new MemoryQuotaStore();
    const org = counter("org", 10);
    const user = counter("user", 100);
    store.seed({ now, counter: org, amounts: [{ at: now, amount: 4 }] });
    store.seed({ now, counter: user, amounts: [] });
    expect(store.reserve({ reservationId: "a", now, ttlMs: 1000, entries: [{ counter: user, amount: 5 }, { counter: org, amount: 5 }] })).toEqual({ outcome: "reserved" });
    expect(store.reserve({ reservationId: "b", now, ttlMs: 1000, entries: [{ counter: user, amount: 5 }, { counter: org, amount: 2 }] })).toEqual({ outcome: "pending", index: 1, used: 4, reserved: 5 });
    expect(store.reserve({ reservationId: "c", now, ttlMs: 1000, entries: [{ counter: org, amount: 7 }] })).toEqual({ outcome: "exceeded", index: 0, used: 4, reserved: 5 });
    // Nothing of the refused reservations was kept on `user`.
    expect(store.read({ now, counters: [user, org] })).toEqual([
      { seeded: true, used: 0, reserved: 5 },
      { seeded: true, used: 4, reserved: 5 },
    ]);
    // A notify counter never refuses.
    const notify = counter("notify", 1, { block: false });
    store.seed({ now, counter: notify, amounts: [] });
    expect(store.reserve({ reservationId: "d", now, ttlMs: 1000, entries: [{ counter: notify, amount: 50 }] })).toEqual({ outcome: "reserved" });
  });

  it("settles to the actual amount, releases with 0, and leaves a counter never seeded alone", () => {
    const store = new MemoryQuotaStore();
    const org = counter("org", 10);
    store.seed({ now, counter: org, amounts: [] });
    store.reserve({ reservationId: "a", now, ttlMs: 1000, entries: [{ counter: org, amount: 5 }] });
    store.reserve({ reservationId: "b", now, ttlMs: 1000, entries: [{ counter: org, amount: 5 }] });
    store.settle({ reservationId: "a", now, at: now, entries: [{ counter: org, amount: 3 }] });
    store.settle({ reservationId: "b", now, at: now, entries: [{ counter: org, amount: 0 }] });
    const unseen = counter("unseen", 10);
    store.settle({ reservationId: "c", now, at: now, entries: [{ counter: unseen, amount: 3 }] });
    expect(store.read({ now, counters: [org, unseen] })).toEqual([
      { seeded: true, used: 3, reserved: 0 },
      { seeded: false, used: 0, reserved: 0 },
    ]);
  });

  it("an expired reservation no longer counts", () => {
    const store = new MemoryQuotaStore();
    const org = counter("org", 10);
    store.seed({ now, counter: org, amounts: [] });
    store.reserve({ reservationId: "crashed", now, ttlMs: 1000, entries: [{ counter: org, amount: 10 }] });
    expect(store.reserve({ reservationId: "b", now: now + 999, ttlMs: 1000, entries: [{ counter: org, amount: 1 }] }).outcome).toBe("pending");
    expect(store.reserve({ reservationId: "b", now: now + 1000, ttlMs: 1000, entries: [{ counter: org, amount: 1 }] }).outcome).toBe("reserved");
    // The late settle of the crashed holder still counts its usage, once.
    store.settle({ reservationId: "crashed", now: now + 2000, at: now, entries: [{ counter: org, amount: 4 }] });
    expect(store.read({ now: now + 1500, counters: [org] })).toEqual([{ seeded: true, used: 4, reserved: 1 }]);
  });

  it("reports each threshold once per window", () => {
    const store = new MemoryQuotaStore();
    const org = counter("org", 10, { block: false });
    store.seed({ now, counter: org, amounts: [] });
    const settle = (amount: number) => store.settle({ reservationId: crypto.randomUUID(), now, at: now, entries: [{ counter: org, amount, thresholds: [50, 80, 100] }] });
    expect(settle(4)).toEqual([]);
    expect(settle(4)).toEqual([
      { index: 0, threshold: 50, used: 8 },
      { index: 0, threshold: 80, used: 8 },
    ]);
    expect(settle(1)).toEqual([]);
    expect(settle(5)).toEqual([{ index: 0, threshold: 100, used: 14 }]);
    expect(settle(5)).toEqual([]);
  });

  it("rolling windows keep buckets; seeded amounts older than the window fall into its oldest bucket", () => {
    const store = new MemoryQuotaStore();
    const hour = counter("hour", 5, { window: { kind: "rolling", windowMs: 3_600_000, bucketMs: 60_000 } });
    store.seed({ now, counter: hour, amounts: [{ at: now - 30 * 60_000, amount: 3 }, { at: now - 2 * 3_600_000, amount: 100 }] });
    expect(store.read({ now, counters: [hour] })).toEqual([{ seeded: true, used: 103, reserved: 0 }]);
    expect(store.read({ now: now + 60_000, counters: [hour] })).toEqual([{ seeded: true, used: 3, reserved: 0 }]);
    expect(store.read({ now: now + 31 * 60_000, counters: [hour] })).toEqual([{ seeded: true, used: 0, reserved: 0 }]);
  });
});
