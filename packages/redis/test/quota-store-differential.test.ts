import { MemoryQuotaStore, type QuotaCounterV1, type QuotaEntryV1, type QuotaStoreV1 } from "@usagepilot/core";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisQuotaStore } from "../src/redis-quota-store";
import { redisPort, redisTestPrefix } from "./redis-test-prefix";

// The two stores are independent implementations of one contract (JavaScript in memory, Lua in Redis):
// the same operations at the same times must give the same answers. Redis expires keys on its own clock,
// so the times stay at or after the real now, and the time a sequence covers stays shorter than every
// window (what is tested here is the stores' arithmetic, not Redis's key expiry).

type CounterSpec = { limit: number; block: boolean; rolling: { windowMs: number; bucketMs: number } | null };

type Operation =
  | { kind: "advance"; ms: number }
  | { kind: "seed"; counter: number; amounts: { ago: number; amount: number }[] }
  | { kind: "reserve"; reservation: number; ttlMs: number; entries: { counter: number; amount: number }[] }
  | { kind: "settle"; reservation: number; ago: number; entries: { counter: number; amount: number }[]; thresholds: boolean }
  | { kind: "read" };

const counterSpec: fc.Arbitrary<CounterSpec> = fc.record({
  limit: fc.integer({ min: 0, max: 25 }),
  block: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
  rolling: fc.option(fc.record({ windowMs: fc.constantFrom(80_000, 120_000), bucketMs: fc.constantFrom(5_000, 20_000) }), { nil: null }),
});

const entries = (counters: number) => fc.uniqueArray(fc.record({ counter: fc.nat({ max: counters - 1 }), amount: fc.integer({ min: 0, max: 15 }) }), { minLength: 1, maxLength: counters, selector: (entry) => entry.counter });

const operation = (counters: number): fc.Arbitrary<Operation> =>
  // Weighted towards reserving, where counters compete; seeding again is mostly refused (set-if-absent).
  fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 6_000 }) }), weight: 2 },
    { arbitrary: seedOperation(counters), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant("reserve" as const), reservation: fc.nat({ max: 5 }), ttlMs: fc.constantFrom(2_000, 10_000, 60_000), entries: entries(counters) }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant("settle" as const), reservation: fc.nat({ max: 5 }), ago: fc.integer({ min: 0, max: 10_000 }), entries: entries(counters), thresholds: fc.boolean() }), weight: 3 },
    { arbitrary: fc.constant({ kind: "read" as const }), weight: 1 },
  );

function seedOperation(counters: number) {
  return fc.record({ kind: fc.constant("seed" as const), counter: fc.nat({ max: counters - 1 }), amounts: fc.array(fc.record({ ago: fc.integer({ min: 0, max: 150_000 }), amount: fc.integer({ min: 0, max: 20 }) }), { maxLength: 3 }) });
}

// Most scenarios seed every counter first, so that the operations after it meet counters in use.
const scenario = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc.record({
    counters: fc.array(counterSpec, { minLength: count, maxLength: count }),
    operations: fc
      .tuple(fc.boolean(), fc.tuple(...Array.from({ length: count }, (_, counter) => seedOperation(count).map((seed) => ({ ...seed, counter })))), fc.array(operation(count), { minLength: 1, maxLength: 30 }))
      .map(([seedFirst, seeds, rest]) => (seedFirst ? [...seeds, ...rest] : rest)),
  }),
);

let redis: Redis;
beforeAll(async () => {
  redis = new Redis({ port: redisPort, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
});
afterAll(() => redis?.disconnect());

describe("MemoryQuotaStore and RedisQuotaStore", () => {
  it("give the same answers to the same operations at the same times, and never reserve past a blocking budget", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ counters: specs, operations }) => {
        const { prefix, cleanup } = redisTestPrefix(redis);
        const stores: Record<"memory" | "redis", QuotaStoreV1> = { memory: new MemoryQuotaStore(), redis: new RedisQuotaStore({ redis, prefix }) };
        let now = Date.now() + 1_000;
        const counters: QuotaCounterV1[] = specs.map((spec, index) => ({
          id: `c${index}`,
          limit: spec.limit,
          block: spec.block,
          window: spec.rolling ? { kind: "rolling", ...spec.rolling } : { kind: "calendar", end: now + 86_400_000 },
        }));
        // Ids holding a reservation: the limits reserve an id again only after a refusal, when it holds
        // nothing (a refused reserve of a holding id may release it: RedisQuotaStore compensates by releasing).
        const holding = new Map<string, Set<number>>();
        const toEntries = (list: { counter: number; amount: number }[]): QuotaEntryV1[] => list.map(({ counter, amount }) => ({ counter: counters[counter]!, amount }));
        try {
          for (const step of operations) {
            if (step.kind === "advance") {
              now += step.ms;
              continue;
            }
            if (step.kind === "reserve" && (holding.get(`r${step.reservation}`)?.size ?? 0) > 0) continue;
            const answers: unknown[] = [];
            for (const store of [stores.memory, stores.redis]) {
              switch (step.kind) {
                case "seed":
                  answers.push(await store.seed({ now, counter: counters[step.counter]!, amounts: step.amounts.map(({ ago, amount }) => ({ at: now - ago, amount })) }));
                  break;
                case "reserve": {
                  const request = { reservationId: `r${step.reservation}`, now, ttlMs: step.ttlMs, entries: toEntries(step.entries) };
                  const outcome = await store.reserve(request);
                  answers.push(outcome);
                  if (outcome.outcome === "reserved") {
                    // Reserved means it fits: on every blocking counter, settled plus reserved within the budget.
                    const states = await store.read({ now, counters: request.entries.map((entry) => entry.counter) });
                    request.entries.forEach((entry, index) => {
                      if (entry.counter.block) expect(states[index]!.used + states[index]!.reserved).toBeLessThanOrEqual(entry.counter.limit);
                    });
                  }
                  break;
                }
                case "settle":
                  answers.push(
                    await store.settle({
                      reservationId: `r${step.reservation}`,
                      now,
                      at: now - step.ago,
                      entries: toEntries(step.entries).map((entry) => ({ ...entry, ...(step.thresholds ? { thresholds: [50, 80, 100] } : {}) })),
                    }),
                  );
                  break;
                case "read":
                  answers.push(await store.read({ now, counters }));
                  break;
              }
            }
            expect({ step, redis: answers[1] }).toEqual({ step, redis: answers[0] });
            if (step.kind === "reserve" && (answers[0] as { outcome: string }).outcome === "reserved") holding.set(`r${step.reservation}`, new Set(step.entries.map((entry) => entry.counter)));
            if (step.kind === "settle") for (const entry of step.entries) holding.get(`r${step.reservation}`)?.delete(entry.counter);
          }
        } finally {
          await cleanup();
        }
      }),
      { numRuns: 500 },
    );
  });
});
