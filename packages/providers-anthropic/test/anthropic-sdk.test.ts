import Anthropic from "@anthropic-ai/sdk";
import { fixtureBody } from "@usagepilot/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { anthropicFixture, anthropicFixtures } from "./anthropic-fixture-cases";
import { createHarness, type Harness } from "./meter-harness";
import { createWordTokenizer } from "./word-tokenizer";

const tenant = { "x-user-id": "user-1", "x-org-id": "org-1", "x-feature": "chat" };
const ask = { max_tokens: 1024, messages: [{ role: "user" as const, content: "Say hello" }] };

let harness: Harness;
let metered: Anthropic;
let plain: Anthropic;

async function open(options: Parameters<typeof createHarness>[0] = {}) {
  harness = await createHarness(options);
  // The SDK appends /v1/messages to its base URL, as it does to https://api.anthropic.com.
  metered = new Anthropic({ apiKey: "test", baseURL: harness.server.url, fetch: harness.fetchWithUsage, maxRetries: 0 });
  plain = new Anthropic({ apiKey: "test", baseURL: harness.server.url, maxRetries: 0 });
}

beforeEach(() => open());
afterEach(() => harness.close());

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe("the Anthropic SDK through usage.createFetch: every recorded fixture", () => {
  // The SDK warns on every call to a model it lists as deprecated, as the recorded claude-sonnet-4-5 is.
  beforeEach(() => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    return () => warn.mockRestore();
  });

  for (const fixture of anthropicFixtures) {
    const file = anthropicFixture(fixture.file);
    const expected = { provider: "anthropic", operation: "messages", model: fixture.model, usage: fixture.usage, units: {}, status: "ok", accuracy: "reported", streamed: fixture.streamed };

    it(`${fixture.file}: the caller gets the recorded bytes and the same parsed answer; one event with the SOURCES.md usage`, async () => {
      harness.server.enqueue({ kind: "replay", file }, { kind: "replay", file }, { kind: "replay", file });
      const request = { model: fixture.requestedModel, ...ask, ...(fixture.streamed ? { stream: true as const } : {}) };
      const raw = await metered.messages.create(request, { headers: tenant }).asResponse();
      expect((await bytesOf(raw)).equals(Buffer.from(fixtureBody(file).bytes))).toBe(true);

      if (fixture.streamed) {
        const collect = async (client: Anthropic) => {
          const events: unknown[] = [];
          for await (const event of await client.messages.create({ model: fixture.requestedModel, ...ask, stream: true }, { headers: tenant })) events.push(event);
          return events;
        };
        expect(await collect(metered)).toEqual(await collect(plain));
      } else {
        const viaMeter = await metered.messages.create({ model: fixture.requestedModel, ...ask }, { headers: tenant });
        const direct = await plain.messages.create({ model: fixture.requestedModel, ...ask });
        expect(viaMeter).toEqual(direct);
      }

      const events = await harness.events();
      expect(events).toHaveLength(2);
      for (const event of events) {
        expect(event).toMatchObject({ ...expected, dimensions: { user_id: "user-1", organization_id: "org-1", feature: "chat" } });
        expect(event.usage).toEqual(fixture.usage);
        expect(event.providerRequestId).toMatch(/^req_/);
      }
      expect(harness.errors).toEqual([]);
    });

    if (fixture.streamed) {
      it(`${fixture.file}: the SDK's stream helper sees the same message, split into 7-byte writes`, async () => {
        harness.server.enqueue({ kind: "replay", file, splitEvery: 7 }, { kind: "replay", file, splitEvery: 7 });
        const viaMeter = await metered.messages.stream({ model: fixture.requestedModel, ...ask }, { headers: tenant }).finalMessage();
        const direct = await plain.messages.stream({ model: fixture.requestedModel, ...ask }).finalMessage();
        expect(viaMeter).toEqual(direct);
        const [event] = await harness.events();
        expect(event).toMatchObject(expected);
        expect(event!.usage).toEqual(fixture.usage);
      });
    }
  }
});

describe("the Anthropic SDK through usage.createFetch: synthesised traffic", () => {
  it("JSON with 5-minute and 1-hour cache writes, cache reads, thinking and web search: all mapped, input adds the cache", async () => {
    const usage = {
      input_tokens: 40,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      output_tokens: 250,
      output_tokens_details: { thinking_tokens: 180 },
      server_tool_use: { web_search_requests: 3, web_fetch_requests: 1 },
      service_tier: "standard",
    };
    harness.server.enqueue({ kind: "anthropic", usage, thinking: "Let me think." });
    const message = await metered.messages.create({ model: "claude-opus-4-1", ...ask }, { headers: tenant });
    expect(message.usage.server_tool_use?.web_search_requests).toBe(3);
    const [event] = await harness.events();
    expect(event).toMatchObject({
      model: "claude-opus-4-1",
      usage: { inputTokens: 1340, cachedInputTokens: 1000, cacheWriteInputTokens: 300, cacheWrite1hInputTokens: 200, outputTokens: 250, reasoningTokens: 180 },
      units: { web_search_requests: 3, web_fetch_requests: 1 },
      status: "ok",
      accuracy: "reported",
      streamed: false,
    });
  });

  it("stream whose message_delta updates input and cache counts (server tools ran): last wins, never added", async () => {
    harness.server.enqueue({
      kind: "anthropic",
      startUsage: { input_tokens: 50, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 1 },
      usage: { input_tokens: 4050, cache_read_input_tokens: 2000, cache_creation_input_tokens: 500, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 500 }, output_tokens: 321, server_tool_use: { web_search_requests: 2 } },
      chunks: 12,
    });
    const final = await metered.messages.stream({ model: "claude-sonnet-4-6", ...ask }, { headers: tenant }).finalMessage();
    expect(final.usage.input_tokens).toBe(4050);
    const [event] = await harness.events();
    expect(event).toMatchObject({
      usage: { inputTokens: 6550, cachedInputTokens: 2000, cacheWriteInputTokens: 500, cacheWrite1hInputTokens: 500, outputTokens: 321 },
      units: { web_search_requests: 2 },
      status: "ok",
      streamed: true,
    });
  });

  it("iterations: the sum over the passes is billed (compaction left out of the top-level counts)", async () => {
    const iterations = [
      { type: "compaction", input_tokens: 150_000, output_tokens: 2_000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      { type: "message", input_tokens: 2_500, output_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 1_000, cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 0 } },
    ];
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 2_500, output_tokens: 40, cache_creation_input_tokens: 1_000, iterations } });
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 2_500, output_tokens: 40, cache_creation_input_tokens: 1_000, iterations } });
    await metered.messages.create({ model: "claude-sonnet-4-6", ...ask }, { headers: tenant });
    await metered.messages.stream({ model: "claude-sonnet-4-6", ...ask }, { headers: tenant }).finalMessage();
    const events = await harness.events();
    expect(events.map((event) => event.usage)).toEqual([
      { inputTokens: 153_500, cachedInputTokens: 0, cacheWriteInputTokens: 1_000, outputTokens: 2_040, reasoningTokens: 0 },
      { inputTokens: 153_500, cachedInputTokens: 0, cacheWriteInputTokens: 1_000, outputTokens: 2_040, reasoningTokens: 0 },
    ]);
    expect(events.map((event) => event.streamed)).toEqual([false, true]);
  });

  it("an error event mid-stream: the SDK raises its APIError as without metering; the event is an error without usage", async () => {
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 9, output_tokens: 30 }, errorAfterEvents: 4 });
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 9, output_tokens: 30 }, errorAfterEvents: 4 });
    const consume = async (client: Anthropic) => {
      try {
        for await (const _event of await client.messages.create({ model: "claude-sonnet-4-6", ...ask, stream: true }, { headers: tenant })) {
          // drain
        }
        return "completed";
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    const outcome = await consume(metered);
    expect(outcome).toMatch(/overloaded/i);
    expect(outcome).toEqual(await consume(plain));
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null, streamed: true, model: "claude-sonnet-4-6" });
  });

  it("a 529 overloaded answer reaches the caller as the SDK's error, recorded as an error without usage", async () => {
    harness.server.enqueue({ kind: "error", status: 529, body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } });
    await expect(metered.messages.create({ model: "claude-sonnet-4-6", ...ask }, { headers: tenant })).rejects.toBeInstanceOf(Anthropic.APIError);
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null, model: "claude-sonnet-4-6", streamed: false });
  });

  it("SDK retries after a 500: one error event without usage, one with the usage, never doubled", async () => {
    const retrying = new Anthropic({ apiKey: "test", baseURL: harness.server.url, fetch: harness.fetchWithUsage, maxRetries: 2 });
    harness.server.enqueue({ kind: "error", status: 500, headers: { "retry-after-ms": "1" }, body: { type: "error", error: { type: "api_error", message: "Internal server error" } } });
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 5, output_tokens: 6 } });
    await retrying.messages.create({ model: "claude-sonnet-4-6", ...ask }, { headers: tenant });
    const events = await harness.events();
    expect(events.map((event) => event.status)).toEqual(["error", "ok"]);
    expect(events.reduce((sum, event) => sum + (event.usage?.inputTokens ?? 0), 0)).toBe(5);
  });

  it("a stream cut before message_delta without a tokenizer: aborted, usage not measured (null, not zero)", async () => {
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 9, output_tokens: 30 }, cutAfterEvents: 5 });
    await expect(
      (async () => {
        for await (const _event of await metered.messages.create({ model: "claude-sonnet-4-6", ...ask, stream: true }, { headers: tenant })) {
          // drain
        }
      })(),
    ).rejects.toThrow();
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated", model: "claude-sonnet-4-6", streamed: true });
  });

  it("count_tokens and batches are not billed generation calls: they pass through unmetered", async () => {
    harness.server.enqueue({ kind: "raw", headers: { "content-type": "application/json" }, body: JSON.stringify({ input_tokens: 14 }) });
    harness.server.enqueue({
      kind: "raw",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "msgbatch_1", type: "message_batch", processing_status: "in_progress", request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, created_at: "2026-01-01T00:00:00Z", expires_at: "2026-01-02T00:00:00Z", ended_at: null, archived_at: null, cancel_initiated_at: null, results_url: null }),
    });
    const counted = await metered.messages.countTokens({ model: "claude-sonnet-4-6", messages: ask.messages }, { headers: tenant });
    expect(counted.input_tokens).toBe(14);
    await metered.messages.batches.create({ requests: [{ custom_id: "a", params: { model: "claude-sonnet-4-6", ...ask } }] }, { headers: tenant });
    expect(harness.server.requests.map((request) => request.path)).toEqual(["/v1/messages/count_tokens", "/v1/messages/batches"]);
    expect(await harness.events()).toHaveLength(0);
    expect(harness.usage.stats().unmetered).toBe(2);
  });
});

describe("the Anthropic SDK with a tokenizer configured", () => {
  beforeEach(async () => {
    await harness.close();
    await open({ tokenizer: createWordTokenizer() });
  });

  it("a stream cut mid-answer is aborted with message_start's input kept and the output seen counted, never reported", async () => {
    const content = "one two three four five six seven eight";
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 9, output_tokens: 30 }, content, chunks: 8, cutAfterEvents: 7 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of await metered.messages.create({ model: "claude-sonnet-4-6", system: "Be brief please", max_tokens: 100, messages: [{ role: "user", content: "count to eight" }], stream: true }, { headers: tenant })) {
          if (event.type === "content_block_delta" && event.delta.type === "text_delta") seen.push(event.delta.text);
        }
      })(),
    ).rejects.toThrow();
    // message_start, ping, content_block_start, then four text deltas reached the caller.
    expect(seen).toHaveLength(4);
    const [event] = await harness.events();
    const outputWords = seen.join("").split(/\s+/).filter((word) => word !== "").length;
    // The input is what message_start reported (9), not a count of the request (6 words).
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", usage: { inputTokens: 9, outputTokens: outputWords, cachedInputTokens: 0 } });
  });
});
