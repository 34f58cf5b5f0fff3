// Must show: every endpoint the metered fetch meters is checked before it leaves and settled to the
// usage it reported: chat, responses and embeddings, streamed or not, through the official OpenAI SDK.
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { Redis } from "ioredis";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisQuotaStore } from "../src/redis-quota-store";
import { createInstance, refused } from "./quota-harness";
import { redisPort, redisTestPrefix } from "./redis-test-prefix";

let redis: Redis;
let server: FakeLlmServer;
beforeAll(async () => {
  redis = new Redis({ port: redisPort, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  server = await createFakeLlmServer();
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});

const headers = { headers: { "x-org-id": "acme", "x-user-id": "u1" } };

/** One call per endpoint and mode; each reads its whole answer as a caller would. */
const endpoints: { name: string; tokens: number; call(openai: OpenAI): Promise<unknown> }[] = [
  { name: "chat", tokens: 30, call: (openai) => openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, headers) },
  {
    name: "chat, streamed",
    tokens: 30,
    call: async (openai) => {
      for await (const _chunk of await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }, headers)) void _chunk;
    },
  },
  { name: "responses", tokens: 30, call: (openai) => openai.responses.create({ model: "gpt-4o-mini", input: "hi" }, headers) },
  {
    name: "responses, streamed",
    tokens: 30,
    call: async (openai) => {
      for await (const _event of await openai.responses.create({ model: "gpt-4o-mini", input: "hi", stream: true }, headers)) void _event;
    },
  },
  { name: "embeddings", tokens: 16, call: (openai) => openai.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] }, headers) },
];

describe("every OpenAI endpoint is checked and settled", () => {
  for (const endpoint of endpoints) {
    it(`${endpoint.name}: settled to the reported usage; refused before sending once the budget is spent`, async () => {
      const { prefix, cleanup } = redisTestPrefix(redis);
      // Room for two calls of this endpoint, whatever its estimate: the request budget decides.
      const instance = createInstance({
        server,
        store: new RedisQuotaStore({ redis, prefix }),
        limits: { rules: [{ name: "org", key: ["organization_id"], window: "day", max: { requests: 2, tokens: 10_000 }, action: "block" }], defaultOutputTokens: 20 },
      });
      server.reset();
      try {
        await endpoint.call(instance.openai);
        await endpoint.call(instance.openai);
        await instance.usage.flush();
        const [status] = await instance.usage.limits.status({ organization_id: "acme" });
        expect(status!.metrics).toEqual([
          { metric: "tokens", limit: 10_000, used: 2 * endpoint.tokens, reserved: 0, remaining: 10_000 - 2 * endpoint.tokens },
          { metric: "requests", limit: 2, used: 2, reserved: 0, remaining: 0 },
        ]);
        const refusal = await refused(endpoint.call(instance.openai));
        expect(refusal).toMatchObject({ rule: "org", metric: "requests", used: 2 });
        expect(server.requests).toHaveLength(2);
        expect(instance.storage.events).toHaveLength(2);
        expect(instance.errors).toEqual([]);
      } finally {
        await instance.usage.shutdown();
        await cleanup();
      }
    });
  }
});
