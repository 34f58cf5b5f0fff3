import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryQuotaStore, type QuotaCounterV1, type QuotaStoreV1 } from "@usagepilot/core";
import { RedisQuotaStore } from "@usagepilot/redis";
import { fixturesDir } from "@usagepilot/testing";
import { Redis } from "ioredis";
import { createOpenAIAdapter, MemoryStorage, UsagePilot } from "usagepilot";
import { median } from "./statistics";
import { startBenchServer } from "./start-bench-server";

/** How much work the quota benchmark does. */
export interface QuotaSizes {
  rounds: number;
  callsPerRound: number;
  warmupCalls: number;
  /** Check-and-reserve + settle operations timed directly on each store. */
  memoryOperations: number;
  redisOperations: number;
}

/** Sizes for the recorded run: about 30 s. */
export const fullQuotaSizes: QuotaSizes = { rounds: 30, callsPerRound: 100, warmupCalls: 200, memoryOperations: 200_000, redisOperations: 3_000 };

/** Sizes for a smoke run (`--quick`). */
export const quickQuotaSizes: QuotaSizes = { rounds: 3, callsPerRound: 30, warmupCalls: 30, memoryOperations: 10_000, redisOperations: 200 };

/** The three ways a call is made: metered without limits, with limits in memory, with limits in Redis. */
export type QuotaSide = "none" | "memory" | "redis";
export const quotaSides: readonly QuotaSide[] = ["none", "memory", "redis"];

/** Results of the quota benchmark. */
export interface QuotaResults {
  sizes: QuotaSizes;
  /** Per-call durations (ms) of each side. */
  calls: Record<QuotaSide, number[]>;
  /** Per round, each side's total time divided by the no-limits side's. */
  roundRatios: Record<Exclude<QuotaSide, "none">, number[]>;
  /** Microseconds per check-and-reserve followed by its settle, on the store alone. */
  storeMicroseconds: { memory: number; redis: number };
  redisVersion: string;
  problems: string[];
}

const headers = { "content-type": "application/json", authorization: "Bearer sk-bench", "x-org-id": "acme", "x-user-id": "user-1" };
const body = JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday." }], max_tokens: 400 });
// The recorded answer bills 16 input and 363 output tokens.
const tokensPerCall = 16 + 363;

/**
 * Times one metered call three ways on the same local server in one run (no limits; an organisation and
 * a user budget in memory; the same budgets in Redis), in rounds whose side order rotates, then times the
 * stores' check-and-reserve + settle alone. Budgets are large enough never to refuse, so every call does
 * the full check, reservation and settlement.
 */
export async function benchQuotas(sizes: QuotaSizes, log: (line: string) => void): Promise<QuotaResults> {
  const json = readFileSync(join(fixturesDir(), "openai/chat-nonstream-gpt-4.1-nano.json"), "utf8");
  const server = await startBenchServer({ json, sse: "" });
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `usagepilot-bench:${randomUUID()}`;
  const problems: string[] = [];
  const rules = [
    { name: "org-month", key: ["organization_id"], window: "month" as const, max: { tokens: 1_000_000_000_000 }, action: "block" as const },
    { name: "user-day", key: ["organization_id", "user_id"], window: "day" as const, max: { requests: 1_000_000_000 }, action: "block" as const },
  ];
  const make = (store: QuotaStoreV1 | undefined) => {
    const storage = new MemoryStorage();
    const usage = new UsagePilot({
      storage,
      providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
      onError: (error) => problems.push(`onError: ${error instanceof Error ? error.message : String(error)}`),
      ...(store === undefined ? {} : { limits: { rules, store } }),
    });
    return { storage, usage, fetch: usage.createFetch((request) => ({ organization_id: request.headers.get("x-org-id"), user_id: request.headers.get("x-user-id") })) };
  };
  const sides: Record<QuotaSide, ReturnType<typeof make>> = { none: make(undefined), memory: make(new MemoryQuotaStore()), redis: make(new RedisQuotaStore({ redis, prefix })) };
  const url = `${server.baseURL}/chat/completions`;
  const call = async (side: QuotaSide) => {
    const response = await sides[side].fetch(url, { method: "POST", headers, body });
    if (!response.ok) throw new Error(`the bench server answered ${response.status}`);
    await response.json();
  };

  try {
    for (let index = 0; index < sizes.warmupCalls; index += 1) for (const side of quotaSides) await call(side);
    log(`quotas: ${sizes.rounds} rounds × ${sizes.callsPerRound} calls per side…`);
    const calls: Record<QuotaSide, number[]> = { none: [], memory: [], redis: [] };
    const roundRatios: QuotaResults["roundRatios"] = { memory: [], redis: [] };
    for (let round = 0; round < sizes.rounds; round += 1) {
      // The order rotates each round, so drift and order effects hit every side alike.
      const order = quotaSides.map((_, index) => quotaSides[(index + round) % quotaSides.length]!);
      const totals: Record<QuotaSide, number> = { none: 0, memory: 0, redis: 0 };
      for (const side of order) {
        for (let index = 0; index < sizes.callsPerRound; index += 1) {
          const started = performance.now();
          await call(side);
          const duration = performance.now() - started;
          calls[side].push(duration);
          totals[side] += duration;
        }
      }
      roundRatios.memory.push(totals.memory / totals.none);
      roundRatios.redis.push(totals.redis / totals.none);
    }

    // Every call metered, reserved and settled: otherwise the timings measured the wrong thing.
    const expectedCalls = sizes.warmupCalls + sizes.rounds * sizes.callsPerRound;
    for (const side of quotaSides) {
      await sides[side].usage.flush();
      const events = sides[side].storage.events;
      if (events.length !== expectedCalls) problems.push(`${side}: ${events.length} events for ${expectedCalls} calls`);
      if (side === "none") continue;
      const [org] = await sides[side].usage.limits.status({ organization_id: "acme" });
      const tokens = org?.metrics[0];
      if (tokens?.used !== expectedCalls * tokensPerCall || tokens.reserved !== 0) problems.push(`${side}: the org budget counted ${String(tokens?.used)} tokens (${String(tokens?.reserved)} reserved) for ${expectedCalls * tokensPerCall}`);
    }

    log(`quotas: ${sizes.memoryOperations} in-memory and ${sizes.redisOperations} Redis check-and-reserve + settle operations…`);
    const storeMicroseconds = {
      memory: await timeStore(new MemoryQuotaStore(), sizes.memoryOperations),
      redis: await timeStore(new RedisQuotaStore({ redis, prefix: `${prefix}:store` }), sizes.redisOperations),
    };
    const info = await redis.info("server");
    return { sizes, calls, roundRatios, storeMicroseconds, redisVersion: /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown", problems };
  } finally {
    for (const side of quotaSides) await sides[side].usage.shutdown();
    await server.close();
    const keys = await redis.keys(`{${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

/** Microseconds per reserve (two counters, as an organisation and a user budget) followed by its settle. */
async function timeStore(store: QuotaStoreV1, operations: number): Promise<number> {
  const now = Date.now();
  const window = { kind: "calendar" as const, end: now + 86_400_000 };
  const counters: QuotaCounterV1[] = [
    { id: "org", limit: Number.MAX_SAFE_INTEGER, block: true, window },
    { id: "user", limit: Number.MAX_SAFE_INTEGER, block: true, window },
  ];
  for (const counter of counters) await store.seed({ now, counter, amounts: [] });
  const entries = counters.map((counter) => ({ counter, amount: 400 }));
  const started = performance.now();
  for (let index = 0; index < operations; index += 1) {
    const reservationId = `r${index}`;
    const reserved = store.reserve({ reservationId, now, ttlMs: 60_000, entries });
    if ((reserved instanceof Promise ? await reserved : reserved).outcome !== "reserved") throw new Error("the bench budget refused a reservation");
    const settled = store.settle({ reservationId, now, at: now, entries: counters.map((counter) => ({ counter, amount: 379 })) });
    if (settled instanceof Promise) await settled;
  }
  return ((performance.now() - started) * 1000) / operations;
}

/** The median per-call time of a side, ms. */
export function medianCall(results: QuotaResults, side: QuotaSide): number {
  return median(results.calls[side]);
}
