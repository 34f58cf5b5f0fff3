import { MemoryStorage, type QuotaCounterV1 } from "@usagepilot/core";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisQuotaStore } from "../src/redis-quota-store";
import { chat, createInstance, refused } from "./quota-harness";
import { redisPort, redisTestPrefix } from "./redis-test-prefix";

let redis: Redis;
let server: FakeLlmServer;
let cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  redis = new Redis({ port: redisPort, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  server = await createFakeLlmServer();
});
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});

function newStore() {
  const { prefix, cleanup } = redisTestPrefix(redis);
  cleanups.push(cleanup);
  return { prefix, store: new RedisQuotaStore({ redis, prefix }) };
}

// Redis expires keys on its own clock, so the times given to the store stay near the real now.
const now = Date.now();
const counter = (id: string, limit: number, extra: Partial<QuotaCounterV1> = {}): QuotaCounterV1 => ({ id, limit, block: true, window: { kind: "calendar", end: now + 86_400_000 }, ...extra });

describe("RedisQuotaStore", () => {
  it("keeps all keys of a counter under one hash tag, so a counter lives on one Cluster slot", async () => {
    const { prefix, store } = newStore();
    const odd = counter("rule:tokens:a{b}c:2026-11", 100);
    await store.seed({ now, counter: odd, amounts: [] });
    await store.reserve({ reservationId: "r1", now, ttlMs: 60_000, entries: [{ counter: odd, amount: 5 }] });
    await store.settle({ reservationId: "r1", now, at: now, entries: [{ counter: odd, amount: 5, thresholds: [1] }] });
    const keys = await redis.keys(`{${prefix}:*`);
    const tag = `{${prefix}:rule:tokens:a%7Bb%7Dc:2026-11}`;
    expect(keys.sort()).toEqual([`${tag}:r`, `${tag}:t`, `${tag}:u`]);
    // A held reservation adds its expiry index, under the same tag.
    await store.reserve({ reservationId: "r2", now, ttlMs: 60_000, entries: [{ counter: odd, amount: 5 }] });
    expect((await redis.keys(`{${prefix}:*`)).sort()).toEqual([`${tag}:e`, `${tag}:r`, `${tag}:t`, `${tag}:u`]);
    // Every key expires with its window: nothing is left behind for ever.
    for (const key of await redis.keys(`{${prefix}:*`)) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it("reserve: unseeded, reserved, pending (room once in-flight settles), exceeded; all-or-nothing over counters", async () => {
    const { store } = newStore();
    const org = counter("org", 100);
    const user = counter("user", 10);
    expect(await store.reserve({ reservationId: "a", now, ttlMs: 60_000, entries: [{ counter: org, amount: 8 }] })).toEqual({ outcome: "unseeded", indexes: [0] });
    expect(await store.seed({ now, counter: org, amounts: [{ at: now, amount: 80 }] })).toBe(true);
    // Set-if-absent: a second seed (another instance starting) changes nothing.
    expect(await store.seed({ now, counter: org, amounts: [{ at: now, amount: 80 }] })).toBe(false);
    await store.seed({ now, counter: user, amounts: [] });
    expect(await store.reserve({ reservationId: "a", now, ttlMs: 60_000, entries: [{ counter: org, amount: 8 }, { counter: user, amount: 8 }] })).toEqual({ outcome: "reserved" });
    expect(await store.reserve({ reservationId: "b", now, ttlMs: 60_000, entries: [{ counter: org, amount: 8 }, { counter: user, amount: 3 }] })).toEqual({ outcome: "pending", index: 1, used: 0, reserved: 8 });
    // The refusal on `user` gave back what `b` had reserved on `org`.
    expect(await store.read({ now, counters: [org, user] })).toEqual([
      { seeded: true, used: 80, reserved: 8 },
      { seeded: true, used: 0, reserved: 8 },
    ]);
    expect(await store.reserve({ reservationId: "c", now, ttlMs: 60_000, entries: [{ counter: org, amount: 21 }] })).toEqual({ outcome: "exceeded", index: 0, used: 80, reserved: 8 });
    await store.settle({ reservationId: "a", now, at: now, entries: [{ counter: org, amount: 6 }, { counter: user, amount: 6 }] });
    expect(await store.read({ now, counters: [org, user] })).toEqual([
      { seeded: true, used: 86, reserved: 0 },
      { seeded: true, used: 6, reserved: 0 },
    ]);
  });

  it("a crashed holder's reservation expires after its TTL", async () => {
    const { store } = newStore();
    const org = counter("org", 10);
    await store.seed({ now, counter: org, amounts: [] });
    await store.reserve({ reservationId: "crashed", now, ttlMs: 1_000, entries: [{ counter: org, amount: 10 }] });
    expect((await store.reserve({ reservationId: "next", now: now + 999, ttlMs: 1_000, entries: [{ counter: org, amount: 1 }] })).outcome).toBe("pending");
    expect(await store.reserve({ reservationId: "next", now: now + 1_000, ttlMs: 1_000, entries: [{ counter: org, amount: 1 }] })).toEqual({ outcome: "reserved" });
    expect(await store.read({ now: now + 1_000, counters: [org] })).toEqual([{ seeded: true, used: 0, reserved: 1 }]);
  });

  it("thresholds are reported once per window, across instances", async () => {
    const { prefix, store } = newStore();
    const other = new RedisQuotaStore({ redis, prefix });
    const org = counter("org", 10, { block: false });
    await store.seed({ now, counter: org, amounts: [] });
    const settle = (target: RedisQuotaStore, amount: number) => target.settle({ reservationId: crypto.randomUUID(), now, at: now, entries: [{ counter: org, amount, thresholds: [50, 80, 100] }] });
    expect(await settle(store, 4)).toEqual([]);
    expect(await settle(other, 4)).toEqual([
      { index: 0, threshold: 50, used: 8 },
      { index: 0, threshold: 80, used: 8 },
    ]);
    expect(await settle(store, 1)).toEqual([]);
    expect(await settle(other, 5)).toEqual([{ index: 0, threshold: 100, used: 14 }]);
  });

  it("a rolling window drops buckets that left it", async () => {
    const { store } = newStore();
    const hour = counter("hour", 5, { window: { kind: "rolling", windowMs: 3_600_000, bucketMs: 60_000 } });
    await store.seed({ now, counter: hour, amounts: [{ at: now - 30 * 60_000, amount: 3 }, { at: now - 2 * 3_600_000, amount: 100 }] });
    // The seeded amount from two hours ago is clamped into the oldest bucket, so it leaves at the next minute.
    expect(await store.read({ now, counters: [hour] })).toEqual([{ seeded: true, used: 103, reserved: 0 }]);
    expect(await store.read({ now: now + 60_000, counters: [hour] })).toEqual([{ seeded: true, used: 3, reserved: 0 }]);
    expect(await store.read({ now: now + 31 * 60_000, counters: [hour] })).toEqual([{ seeded: true, used: 0, reserved: 0 }]);
  });
});

describe("limits on Redis through UsagePilot", () => {
  it("instances starting together seed the month from storage once, not once each", async () => {
    const { prefix } = newStore();
    const storage = new MemoryStorage();
    const seedInstance = createInstance({ server, store: new RedisQuotaStore({ redis, prefix: `${prefix}-seed` }), storage, limits: { rules: [] } });
    for (let index = 0; index < 3; index += 1) await chat(seedInstance.openai, "acme");
    await seedInstance.usage.shutdown();
    const limits = { rules: [{ name: "org", key: ["organization_id" as const], window: "month" as const, max: { tokens: 1_000 }, action: "block" as const }] };
    const instances = [0, 1, 2].map(() => createInstance({ server, store: new RedisQuotaStore({ redis, prefix }), storage, limits }));
    const statuses = await Promise.all(instances.map((instance) => instance.usage.limits.status({ organization_id: "acme" })));
    for (const [status] of statuses) expect(status!.metrics[0]).toMatchObject({ used: 90, reserved: 0 });
    await chat(instances[1]!.openai, "acme");
    await instances[1]!.usage.flush();
    expect((await instances[2]!.usage.limits.status({ organization_id: "acme" }))[0]!.metrics[0]).toMatchObject({ used: 120 });
    await Promise.all(instances.map((instance) => instance.usage.shutdown()));
  });

  it("the month rolls over at local midnight in the configured time zone", async () => {
    const { prefix } = newStore();
    // 23:50 on 31 January in Tokyo is 14:50 UTC; next year's, so Redis's own clock never expires the keys first.
    const year = new Date().getUTCFullYear() + 1;
    let clock = Date.UTC(year, 0, 31, 14, 50);
    const instance = createInstance({
      server,
      store: new RedisQuotaStore({ redis, prefix }),
      limits: { rules: [{ name: "org", key: ["organization_id"], window: "month", max: { requests: 2 }, action: "block" }], timeZone: "Asia/Tokyo", now: () => clock },
    });
    await chat(instance.openai, "acme");
    await chat(instance.openai, "acme");
    await instance.usage.flush();
    const refusal = await refused(chat(instance.openai, "acme"));
    expect(refusal).toMatchObject({ used: 2, limit: 2, resetsAt: new Date(Date.UTC(year, 0, 31, 15)) });
    clock = Date.UTC(year, 0, 31, 15); // 1 February, 00:00 in Tokyo
    await chat(instance.openai, "acme");
    const [status] = await instance.usage.limits.status({ organization_id: "acme" });
    expect(status!.window).toEqual({ id: `${year}-02`, start: new Date(Date.UTC(year, 0, 31, 15)), resetsAt: new Date(Date.UTC(year, 1, new Date(Date.UTC(year, 2, 0)).getUTCDate(), 15)) });
    await instance.usage.flush();
    expect((await instance.usage.limits.status({ organization_id: "acme" }))[0]!.metrics[0]).toMatchObject({ used: 1 });
    await instance.usage.shutdown();
  });
});
