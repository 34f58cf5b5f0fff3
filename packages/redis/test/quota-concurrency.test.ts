// Must show: many processes sharing one organisation budget through Redis never spend past it by more
// than the reservations in flight, and never refuse a call while the budget has room once those settle.
// And the same on one instance, in memory.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MemoryQuotaStore, MemoryStorage, QuotaExceededError, UsagePilot } from "@usagepilot/core";
import { createOpenAIAdapter } from "@usagepilot/providers-openai";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { Redis } from "ioredis";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisQuotaStore } from "../src/redis-quota-store";
import { redisPort, redisTestPrefix } from "./redis-test-prefix";

const runChild = promisify(execFile);
const worker = fileURLToPath(new URL("./quota-worker.mjs", import.meta.url));
// Each call is billed 10 + 20 = 30 tokens and reserves 11 + 20 = 31.
const perCall = 30;
const estimate = 31;

let server: FakeLlmServer;
let redis: Redis;
beforeAll(async () => {
  server = await createFakeLlmServer();
  redis = new Redis({ port: redisPort, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});

type WorkerResult = {
  admitted: number;
  refusals: { ok: false; used?: number; reserved?: number; requested?: number; limit?: number; unexpected?: string }[];
  tokens: number;
  events: number;
  errors: string[];
};

/** The checks both runs share, given what every instance admitted and what the budget's counter says. */
function expectExactBudget(results: readonly WorkerResult[], used: number, budget: number): void {
  const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
  const refusals = results.flatMap((result) => result.refusals);
  // Nothing unexpected: every call either went through or was refused by the quota.
  expect(refusals.filter((refusal) => refusal.unexpected !== undefined)).toEqual([]);
  expect(results.flatMap((result) => result.errors)).toEqual([]);
  // The counter agrees with the events each instance recorded, and with the provider's requests.
  expect(used).toBe(results.reduce((sum, result) => sum + result.tokens, 0));
  expect(used).toBe(admitted * perCall);
  // Never over: every estimate covered its call, so no reservation in flight was exceeded.
  expect(used).toBeLessThanOrEqual(budget);
  // No false blocks: a refusal only when the settled usage left no room for the call's estimate...
  for (const refusal of refusals) expect(refusal.used! + refusal.requested!).toBeGreaterThan(budget);
  // ...so the budget ends full to within one call.
  expect(used).toBeGreaterThan(budget - estimate);
  expect(refusals.length).toBeGreaterThan(0);
}

describe("one organisation budget shared through Redis", () => {
  it("4 processes × 200 concurrent calls: never over the budget, no call refused while it had room", async () => {
    const { prefix, cleanup } = redisTestPrefix(redis);
    const budget = 9_000;
    server.reset();
    try {
      const startAt = Date.now() + 1_500;
      const results = await Promise.all(
        [0, 1, 2, 3].map(async () => {
          const job = { redisPort, prefix, baseURL: server.baseURL, calls: 200, budget, startAt };
          const { stdout } = await runChild(process.execPath, [worker, JSON.stringify(job)], { timeout: 120_000 });
          return JSON.parse(stdout) as WorkerResult;
        }),
      );
      const store = new RedisQuotaStore({ redis, prefix });
      const month = new Date();
      const id = `org-month:tokens:acme:${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
      const [state] = await store.read({ now: Date.now(), counters: [{ id, limit: budget, block: true, window: { kind: "calendar", end: Date.now() + 86_400_000 } }] });
      expect(state).toMatchObject({ seeded: true, reserved: 0 });
      expectExactBudget(results, state!.used, budget);
      // The refused calls never reached the provider.
      const admitted = results.reduce((sum, result) => sum + result.admitted, 0);
      expect(server.requests).toHaveLength(admitted);
      expect(admitted).toBeLessThan(800);
    } finally {
      await cleanup();
    }
  }, 180_000);
});

describe("one instance in memory", () => {
  it("200 concurrent calls through the OpenAI SDK: never over the budget, no call refused while it had room", async () => {
    server.reset();
    const budget = 3_000;
    const storage = new MemoryStorage();
    const errors: unknown[] = [];
    const usage = new UsagePilot({
      storage,
      providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
      onError: (error) => errors.push(error),
      limits: { rules: [{ name: "org-month", key: ["organization_id"], window: "month", max: { tokens: budget }, action: "block" }], store: new MemoryQuotaStore(), defaultOutputTokens: 20 },
    });
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch: usage.createFetch((request) => ({ organization_id: request.headers.get("x-org-id") })), maxRetries: 0 });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () =>
        openai.chat.completions
          .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Count the words in this short sentence ok" }], max_tokens: 20 }, { headers: { "x-org-id": "acme" } })
          .then(() => ({ ok: true as const }))
          .catch((thrown: unknown) => {
            // The SDK wraps what its fetch throws in its APIConnectionError; the refusal is the cause.
            const error = thrown instanceof OpenAI.APIConnectionError ? thrown.cause : thrown;
            if (!QuotaExceededError.isInstance(error)) return { ok: false as const, unexpected: String(thrown) };
            return { ok: false as const, used: error.used as number, reserved: error.reserved as number, requested: error.requested as number };
          }),
      ),
    );
    await usage.flush();
    const [status] = await usage.limits.status({ organization_id: "acme" });
    const result: WorkerResult = {
      admitted: outcomes.filter((outcome) => outcome.ok).length,
      refusals: outcomes.filter((outcome) => !outcome.ok),
      tokens: storage.events.reduce((sum, event) => sum + (event.usage ? event.usage.inputTokens + event.usage.outputTokens : 0), 0),
      events: storage.events.length,
      errors: errors.map(String),
    };
    expect(status!.metrics[0]!.reserved).toBe(0);
    expectExactBudget([result], status!.metrics[0]!.used as number, budget);
    expect(server.requests).toHaveLength(result.admitted);
    await usage.shutdown();
  });
});
