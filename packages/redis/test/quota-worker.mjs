// A child process for quota-concurrency.test.ts: one app instance. It meters the official OpenAI SDK
// through UsagePilot (the BUILT packages) with limits kept in Redis by RedisQuotaStore, fires `calls`
// chat calls at once against the fake LLM server, and prints what happened as JSON.
//
// usage: node quota-worker.mjs <job-json>
//   job: { redisPort, prefix, baseURL, calls, budget, startAt }
import { MemoryStorage, QuotaExceededError, UsagePilot } from "@usagepilot/core";
import { createOpenAIAdapter } from "@usagepilot/providers-openai";
import { RedisQuotaStore } from "@usagepilot/redis";
import Redis from "ioredis";
import OpenAI from "openai";

const job = JSON.parse(process.argv[2]);
const redis = new Redis({ port: job.redisPort, host: "127.0.0.1", lazyConnect: true });
await redis.connect();
const errors = [];
const storage = new MemoryStorage();
const usage = new UsagePilot({
  storage,
  providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: job.baseURL, provider: "openai" }] })],
  onError: (error) => errors.push(String(error?.message ?? error)),
  limits: {
    rules: [{ name: "org-month", key: ["organization_id"], window: "month", max: { tokens: job.budget }, action: "block" }],
    store: new RedisQuotaStore({ redis, prefix: job.prefix, timeoutMs: 10_000 }),
    // Before the adapter reads max_tokens, the same estimate: the request asks for at most 20.
    defaultOutputTokens: 20,
    maxWaitMs: 60_000,
  },
});
const fetchWithUsage = usage.createFetch((request) => ({ organization_id: request.headers.get("x-org-id"), user_id: request.headers.get("x-user-id") }));
const openai = new OpenAI({ apiKey: "sk-test", baseURL: job.baseURL, fetch: fetchWithUsage, maxRetries: 0 });

// Every process starts calling at the same instant, so the reservations really race.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
// 40 characters: ceil((40 + "user") / 4) = 11 estimated input tokens; the fake server bills 10 in, 20 out.
const content = "Count the words in this short sentence ok";
const outcomes = await Promise.all(
  Array.from({ length: job.calls }, (_, index) =>
    openai.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content }], max_tokens: 20, stream: index % 2 === 1 }, { headers: { "x-org-id": "acme", "x-user-id": `user-${index % 7}` } })
      .then(async (result) => {
        // Streams are read to the end, as a caller would.
        if (typeof result[Symbol.asyncIterator] === "function") for await (const _chunk of result) void _chunk;
        return { ok: true };
      })
      .catch((thrown) => {
        // The SDK wraps what its fetch throws in its APIConnectionError; the refusal is the cause.
        const error = QuotaExceededError.isInstance(thrown) ? thrown : thrown?.cause;
        return QuotaExceededError.isInstance(error) ? { ok: false, used: error.used, reserved: error.reserved, requested: error.requested, limit: error.limit } : { ok: false, unexpected: String(thrown?.message ?? thrown) };
      }),
  ),
);
await usage.flush();
const events = storage.events;
await usage.shutdown();
await redis.quit();
process.stdout.write(
  `${JSON.stringify({
    admitted: outcomes.filter((outcome) => outcome.ok).length,
    refusals: outcomes.filter((outcome) => !outcome.ok),
    tokens: events.reduce((sum, event) => sum + (event.usage ? event.usage.inputTokens + event.usage.outputTokens : 0), 0),
    events: events.length,
    errors,
  })}\n`,
);
