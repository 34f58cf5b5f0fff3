import { fixtureBody, fixturesDir } from "@usagepilot/testing";
import OpenAI from "openai";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";

const fixture = (name: string) => join(fixturesDir(), "openai", name);
const tenant = { "x-user-id": "user-1", "x-org-id": "org-1", "x-feature": "chat" };

let harness: Harness;
let metered: OpenAI;
let plain: OpenAI;

beforeEach(async () => {
  harness = await createHarness();
  metered = new OpenAI({ apiKey: "sk-test", baseURL: harness.server.baseURL, fetch: harness.fetchWithUsage, maxRetries: 0 });
  plain = new OpenAI({ apiKey: "sk-test", baseURL: harness.server.baseURL, maxRetries: 0 });
});
afterEach(async () => {
  await harness.close();
});

async function rawBytes(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe("the openai SDK through usage.createFetch", () => {
  it("JSON chat: the caller gets the recorded bytes and the same parsed result; the event carries the usage", async () => {
    const file = fixture("chat-nonstream-gpt-4.1-nano.json");
    harness.server.enqueue({ kind: "replay", file });
    harness.server.enqueue({ kind: "replay", file });
    const viaMeter = await metered.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] }, { headers: tenant }).asResponse();
    expect((await rawBytes(viaMeter)).equals(Buffer.from(fixtureBody(file).bytes))).toBe(true);
    const parsedPlain = await plain.chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] });
    expect(parsedPlain.usage?.completion_tokens).toBe(363);
    const [event] = await harness.events();
    expect(event).toMatchObject({
      provider: "openai",
      operation: "chat",
      model: "gpt-4.1-nano-2025-04-14",
      dimensions: { user_id: "user-1", organization_id: "org-1", feature: "chat" },
      usage: { inputTokens: 16, outputTokens: 363, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
      status: "ok",
      accuracy: "reported",
      streamed: false,
    });
    expect(event!.providerRequestId).toMatch(/^req_/);
  });

  it("JSON reasoning model: reasoning tokens are a subset of output", async () => {
    harness.server.enqueue({ kind: "replay", file: fixture("chat-nonstream-reasoning.json") });
    const completion = await metered.chat.completions.create({ model: "o3-mini", messages: [{ role: "user", content: "think" }] }, { headers: tenant });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(1792);
    const [event] = await harness.events();
    expect(event!.usage).toEqual({ inputTokens: 577, outputTokens: 2320, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 1792 });
  });

  for (const name of ["chat-stream-gpt-4.1-nano.chunks.jsonl", "chat-stream-include-usage-gpt-4o-mini-toolcall.sse"]) {
    it(`streamed chat (${name}): byte-identical stream, same chunks as without metering, usage from the final chunk`, async () => {
      const file = fixture(name);
      harness.server.enqueue({ kind: "replay", file, splitEvery: 97 });
      harness.server.enqueue({ kind: "replay", file, splitEvery: 97 });
      harness.server.enqueue({ kind: "replay", file });
      const request = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }], stream: true as const, stream_options: { include_usage: true } };
      const raw = await metered.chat.completions.create(request, { headers: tenant }).asResponse();
      expect((await rawBytes(raw)).equals(Buffer.from(fixtureBody(file).bytes))).toBe(true);

      const collect = async (client: OpenAI) => {
        const chunks: unknown[] = [];
        for await (const chunk of await client.chat.completions.create(request, { headers: tenant })) chunks.push(chunk);
        return chunks;
      };
      expect(await collect(metered)).toEqual(await collect(plain));
      const events = await harness.events();
      expect(events).toHaveLength(2);
      const expected = name.includes("4o-mini") ? { inputTokens: 53, outputTokens: 15 } : { inputTokens: 16, outputTokens: 300 };
      for (const event of events) {
        expect(event).toMatchObject({ streamed: true, status: "ok", accuracy: "reported", usage: { ...expected, cachedInputTokens: 0, reasoningTokens: 0 } });
      }
    });
  }

  it("streamed chat without include_usage: asks for it, so the usage is measured", async () => {
    harness.server.enqueue({ kind: "chat", usage: { prompt_tokens: 12, completion_tokens: 34, cached_tokens: 4 }, chunks: 6 });
    const stream = await metered.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }, { headers: tenant });
    let content = "";
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
    expect(content.length).toBeGreaterThan(0);
    expect(harness.server.requests[0]!.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const [event] = await harness.events();
    expect(event!.usage).toEqual({ inputTokens: 12, outputTokens: 34, cachedInputTokens: 4, cacheWriteInputTokens: 0, reasoningTokens: 0 });
  });

  it("Responses API stream: usage from response.completed, reasoning and service tier model kept", async () => {
    const file = fixture("responses-stream-usage-reasoning.sse");
    harness.server.enqueue({ kind: "replay", file, splitEvery: 61 });
    const stream = await metered.responses.create({ model: "gpt-5", input: "hi", stream: true }, { headers: tenant });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "responses", model: "gpt-5-2025-08-07", usage: { inputTokens: 53, outputTokens: 469, reasoningTokens: 448, cachedInputTokens: 0 }, status: "ok" });
  });

  it("Responses API failed stream: the SDK raises as it would, the event is an error without usage", async () => {
    const file = fixture("responses-stream-failed-insufficient-quota.chunks.jsonl");
    harness.server.enqueue({ kind: "replay", file });
    harness.server.enqueue({ kind: "replay", file });
    const consume = async (client: OpenAI) => {
      try {
        for await (const _event of await client.responses.create({ model: "gpt-5-nano", input: "hi", stream: true })) {
          // drain
        }
        return "completed";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await consume(metered)).toEqual(await consume(plain));
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "responses", status: "error", usage: null });
  });

  it("embeddings: input tokens only", async () => {
    const result = await metered.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] }, { headers: tenant });
    expect(result.data).toHaveLength(2);
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "embeddings", usage: { inputTokens: result.usage.prompt_tokens, outputTokens: 0 } });
  });

  it("SDK retries after a 500: one error event without usage, one event with the usage — never doubled", async () => {
    const retrying = new OpenAI({ apiKey: "sk-test", baseURL: harness.server.baseURL, fetch: harness.fetchWithUsage, maxRetries: 2 });
    harness.server.enqueue({ kind: "error", status: 500 });
    harness.server.enqueue({ kind: "chat", usage: { prompt_tokens: 5, completion_tokens: 6 } });
    await retrying.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { headers: tenant });
    const events = await harness.events();
    expect(events.map((event) => event.status)).toEqual(["error", "ok"]);
    expect(events[0]!.usage).toBeNull();
    expect(events.reduce((sum, event) => sum + (event.usage?.inputTokens ?? 0), 0)).toBe(5);
  });

  it("a 429 reaches the caller as the SDK's RateLimitError, recorded as an error", async () => {
    harness.server.enqueue({ kind: "error", status: 429, headers: { "retry-after": "0" } });
    await expect(metered.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { headers: tenant })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null, model: "gpt-4o-mini" });
  });

  it("a stream cut mid-way: the SDK sees the same failure, the event is aborted with usage not measured", async () => {
    harness.server.enqueue({ kind: "cut", afterChunks: 3, usage: { prompt_tokens: 5, completion_tokens: 50 } });
    await expect(
      (async () => {
        for await (const _chunk of await metered.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }, { headers: tenant })) {
          // drain
        }
      })(),
    ).rejects.toThrow();
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated" });
  });

  it("the caller aborting a stream records it as aborted", async () => {
    harness.server.enqueue({ kind: "chat", usage: { prompt_tokens: 5, completion_tokens: 50 }, chunks: 50, delayMs: 5 });
    const controller = new AbortController();
    const stream = await metered.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }, { headers: tenant, signal: controller.signal });
    let seen = 0;
    // The SDK ends the iteration quietly when its signal aborts.
    for await (const _chunk of stream) {
      seen += 1;
      if (seen === 3) controller.abort();
    }
    expect(seen).toBeLessThan(50);
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated" });
  });
});
