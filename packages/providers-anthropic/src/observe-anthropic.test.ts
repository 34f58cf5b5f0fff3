import { MemoryStorage, UsagePilot, type TokenizerV1 } from "@usagepilot/core";
import { collectBytes, createReplayFetch, type ReplayResponse } from "@usagepilot/core/test";
import { synthesizeAnthropicStream } from "@usagepilot/testing";
import { describe, expect, it } from "vitest";
import { createAnthropicAdapter } from "./create-anthropic-adapter";

const messagesUrl = "https://api.anthropic.com/v1/messages";
const eventStream = { "content-type": "text/event-stream; charset=utf-8", "request-id": "req_011" };
const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const start = (usage: Record<string, unknown>, model = "claude-haiku-4-5-20251001") =>
  event("message_start", { message: { id: "msg_1", type: "message", role: "assistant", model, content: [], stop_reason: null, usage } });
const text = (value: string) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text: value } });
const delta = (usage: Record<string, unknown>) => event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage });
const stop = event("message_stop", {});
const request = { model: "claude-haiku-4-5", max_tokens: 64, system: [{ type: "text", text: "Be brief" }], messages: [{ role: "user", content: "one two three" }], stream: true };

/** One word per token, "counted": enough to see what core does with a cut stream. */
const wordTokenizer: TokenizerV1 = {
  specificationVersion: "v1",
  count: ({ input }) => {
    const words = (value: string) => value.split(/\s+/).filter(Boolean).length;
    const tokens = typeof input === "string" ? words(input) : input.messages.reduce((sum, message) => sum + words(message.content), words(input.system ?? "") + words(input.tools ?? ""));
    return { tokens, accuracy: "counted" };
  },
};

async function run(answer: ReplayResponse, options: { url?: string; body?: unknown; method?: string; tokenizer?: TokenizerV1; adapterBaseURL?: string } = {}) {
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const adapter = createAnthropicAdapter(options.adapterBaseURL ? { baseURLs: [{ baseURL: options.adapterBaseURL, provider: "gateway" }] } : {});
  const usage = new UsagePilot({ storage, providers: [adapter], ...(options.tokenizer ? { tokenizers: options.tokenizer } : {}), onError: (error) => errors.push(error) });
  const replay = createReplayFetch(answer);
  const fetchWithUsage = usage.createFetch(() => ({ user_id: "u" }), { fetch: replay });
  const method = options.method ?? "POST";
  const response = await fetchWithUsage(options.url ?? messagesUrl, { method, headers: { "content-type": "application/json" }, ...(method === "GET" ? {} : { body: JSON.stringify(options.body ?? request) }) });
  let received = "";
  let failure: unknown;
  try {
    received = new TextDecoder().decode(await collectBytes(response.body!));
  } catch (error) {
    failure = error;
  }
  await usage.shutdown();
  return { event: storage.events[0], events: storage.events, errors, received, failure, sent: replay.requests, stats: usage.stats() };
}

describe("Anthropic streams", () => {
  it("message_delta overrides the fields it carries (input and cache too) and never adds", async () => {
    const body = start({ input_tokens: 30, cache_read_input_tokens: 100, cache_creation_input_tokens: 0, output_tokens: 1 }) + text("hi") + delta({ input_tokens: 930, cache_creation_input_tokens: 50, output_tokens: 12 }) + stop;
    const { event, received } = await run({ body, headers: eventStream });
    expect(received).toBe(body);
    // Input 930 (updated) + cache read 100 (kept from the start) + cache write 50 (updated).
    expect(event).toMatchObject({ model: "claude-haiku-4-5-20251001", usage: { inputTokens: 1080, cachedInputTokens: 100, cacheWriteInputTokens: 50, outputTokens: 12 }, status: "ok", accuracy: "reported", streamed: true, providerRequestId: "req_011" });
  });

  it("a message_delta with only output_tokens (older API versions) keeps the start's input and cache", async () => {
    const body = start({ input_tokens: 8, cache_read_input_tokens: 16, cache_creation_input_tokens: 4, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 4 }, output_tokens: 1 }) + text("a") + delta({ output_tokens: 3 }) + stop;
    const { event } = await run({ body, headers: eventStream });
    expect(event!.usage).toEqual({ inputTokens: 28, cachedInputTokens: 16, cacheWriteInputTokens: 4, cacheWrite1hInputTokens: 4, outputTokens: 3, reasoningTokens: 0 });
  });

  it("reads a stream whose events lost their names (a proxy) from the data's type", async () => {
    const body = [start({ input_tokens: 5, output_tokens: 1 }), text("x"), delta({ output_tokens: 2 }), stop].map((part) => part.replace(/^event: [a-z_]+\n/, "")).join("");
    const { event } = await run({ body, headers: eventStream });
    expect(event).toMatchObject({ usage: { inputTokens: 5, outputTokens: 2 }, status: "ok" });
  });

  it("a stream ending after message_delta without message_stop is aborted, with the final counts it did carry", async () => {
    const body = start({ input_tokens: 5, output_tokens: 1 }) + text("x") + delta({ output_tokens: 2 });
    const { event } = await run({ body, headers: eventStream });
    expect(event).toMatchObject({ status: "aborted", usage: { inputTokens: 5, outputTokens: 2 }, accuracy: "reported" });
  });

  it("a message_delta without an output count never lets message_start's placeholder pass for the output", async () => {
    const body = start({ input_tokens: 5, output_tokens: 1 }) + text("x") + delta({ input_tokens: 5 }) + stop;
    const { event, errors } = await run({ body, headers: eventStream });
    expect(event).toMatchObject({ status: "ok", usage: null, accuracy: "estimated" });
    expect(String(errors[0])).toContain("carried no usage");
  });

  it("a stream cut before message_delta: aborted; usage null without a tokenizer, never the placeholder output", async () => {
    const body = start({ input_tokens: 5, output_tokens: 1 }) + text("one two");
    const { event, errors } = await run({ body, headers: eventStream });
    expect(event).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated", model: "claude-haiku-4-5-20251001" });
    expect(String(errors[0])).toContain("message_stop");
  });

  it("a cut stream with a tokenizer: message_start's input counts are kept, and the text, thinking and tool-call deltas seen are counted", async () => {
    const body =
      start({ input_tokens: 3, cache_read_input_tokens: 1200, output_tokens: 1 }) +
      event("content_block_delta", { index: 0, delta: { type: "thinking_delta", thinking: "let me see" } }) +
      event("content_block_delta", { index: 0, delta: { type: "signature_delta", signature: "c2lnbmF0dXJl" } }) +
      text(" one two") +
      event("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '{"city": "Paris"' } });
    const failAfter = { bytes: new TextEncoder().encode(body).length, error: new TypeError("terminated") };
    const { event: recorded, failure } = await run({ body: body + stop, headers: eventStream, failAfter }, { tokenizer: wordTokenizer });
    expect(failure).toBeInstanceOf(TypeError);
    // Input as message_start reported it (3 uncached + 1,200 cache reads), not re-counted from the request.
    // Output: "let me see" + " one two" + '{"city": "Paris"' = 7 words.
    expect(recorded).toMatchObject({ status: "aborted", accuracy: "estimated", usage: { inputTokens: 1203, outputTokens: 7, cachedInputTokens: 1200, cacheWriteInputTokens: 0, reasoningTokens: 0 } });
  });

  it("a long cut stream read only in part: the output seen is scaled to the bytes that passed and marked estimated", async () => {
    const complete = synthesizeAnthropicStream({ usage: { input_tokens: 3, output_tokens: 4000 }, model: "claude-haiku-4-5", chunks: 4000 });
    const cut = complete.slice(0, complete.indexOf("event: message_delta"));
    const bytes = new TextEncoder().encode(cut).length;
    const splitAt = Array.from({ length: Math.ceil(bytes / 512) }, (_, index) => (index + 1) * 512);
    const { event } = await run({ body: cut, headers: eventStream, splitAt }, { tokenizer: wordTokenizer });
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated" });
    // 4,000 one-word deltas passed; only the tail was decoded, and the count is scaled back up.
    expect(event!.usage!.outputTokens).toBeGreaterThan(3000);
    expect(event!.usage!.outputTokens).toBeLessThan(5000);
  });

  it("an error event marks the call as an error, and the caller's bytes pass unchanged", async () => {
    const body = start({ input_tokens: 5, output_tokens: 1 }) + text("x") + 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const { event, received, errors } = await run({ body, headers: eventStream });
    expect(received).toBe(body);
    expect(event).toMatchObject({ status: "error", usage: null });
    expect(String(errors[0])).toContain("overloaded_error");
  });

  it("a usage object with a bad count is not trusted: usage not measured, the problem reported", async () => {
    const body = start({ input_tokens: 5, output_tokens: 1 }) + delta({ output_tokens: -3 }) + stop;
    const { event, errors } = await run({ body, headers: eventStream });
    expect(event).toMatchObject({ status: "ok", usage: null, accuracy: "estimated" });
    expect(String(errors[0])).toContain("usage.output_tokens is not a non-negative integer");
  });

  it("garbage passes through unchanged and is reported without throwing", async () => {
    const body = "event: message_start\ndata: {not json\n\ndata: \u0000\u00ff\n\nevent: weird\ndata: [\n\n";
    const { event, received, errors } = await run({ body, headers: eventStream });
    expect(received).toBe(body);
    expect(event).toMatchObject({ usage: null, status: "aborted", accuracy: "estimated" });
    expect(errors.length).toBeGreaterThan(0);
  });

  it("a 2,000-delta stream split anywhere: model from the head, usage and units from the tail", async () => {
    const body = synthesizeAnthropicStream({
      usage: { input_tokens: 77, cache_read_input_tokens: 64, output_tokens: 2000, server_tool_use: { web_search_requests: 1 } },
      model: "claude-haiku-4-5-20251001",
      chunks: 2000,
    });
    const length = new TextEncoder().encode(body).length;
    const irregular = Array.from({ length: 300 }, (_, index) => (index * 7919 + index * index * 13) % length);
    for (const splitAt of [...[97, 4096, 65_536, length].map((step) => Array.from({ length: Math.ceil(length / step) }, (_, index) => (index + 1) * step)), irregular]) {
      const { event, received } = await run({ body, headers: eventStream, splitAt });
      expect(received).toBe(body);
      expect(event).toMatchObject({ model: "claude-haiku-4-5-20251001", status: "ok", accuracy: "reported", units: { web_search_requests: 1 }, usage: { inputTokens: 141, cachedInputTokens: 64, outputTokens: 2000 } });
    }
  });
});

describe("Anthropic JSON answers", () => {
  it("records a 4xx error body with status error and no usage, the model as requested", async () => {
    const body = JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: field required" } });
    const { event, received } = await run({ body, status: 400 }, { body: { model: "claude-haiku-4-5", messages: [] } });
    expect(received).toBe(body);
    expect(event).toMatchObject({ status: "error", usage: null, model: "claude-haiku-4-5", streamed: false });
  });

  it("records a streamed request answered with a JSON error as an error, and as asked to stream", async () => {
    const body = JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    const { event } = await run({ body, status: 529 });
    expect(event).toMatchObject({ status: "error", usage: null, streamed: true });
  });

  it("a message without usage, or with usage lacking output_tokens, is not measured (null, never zero)", async () => {
    for (const usage of [undefined, { input_tokens: 4 }]) {
      const body = JSON.stringify({ type: "message", model: "claude-haiku-4-5-20251001", content: [], ...(usage ? { usage } : {}) });
      const { event, errors } = await run({ body }, { body: { model: "claude-haiku-4-5", messages: [] } });
      expect(event).toMatchObject({ status: "ok", usage: null, accuracy: "estimated" });
      expect(errors.length).toBe(1);
    }
  });
});

describe("which calls the adapter claims", () => {
  it("claims POST /v1/messages on api.anthropic.com only", async () => {
    const answer = { body: "{}" };
    for (const [url, method] of [
      ["https://api.anthropic.com/v1/messages/count_tokens", "POST"],
      ["https://api.anthropic.com/v1/messages/batches", "POST"],
      ["https://api.anthropic.com/v1/messages/batches/msgbatch_1/results", "GET"],
      ["https://api.anthropic.com/v1/messages", "GET"],
      ["https://api.anthropic.com/v1/models", "GET"],
      ["https://example.com/v1/messages", "POST"],
    ] as const) {
      const { events, stats } = await run(answer, { url, method });
      expect(events).toHaveLength(0);
      expect(stats.unmetered).toBe(1);
    }
    const { event } = await run({ body: JSON.stringify({ model: "claude-haiku-4-5-20251001", usage: { input_tokens: 1, output_tokens: 1 } }) }, { url: "https://api.anthropic.com/v1/messages?beta=true" });
    expect(event).toMatchObject({ provider: "anthropic", operation: "messages" });
  });

  it("claims a configured base URL as the Anthropic SDK and the AI SDK address it, and nothing else there", async () => {
    const answer = { body: JSON.stringify({ model: "claude-haiku-4-5-20251001", usage: { input_tokens: 1, output_tokens: 2 } }) };
    const base = "https://gateway.example.com/anthropic/";
    for (const url of ["https://gateway.example.com/anthropic/v1/messages", "https://gateway.example.com/anthropic/messages"]) {
      const { event } = await run(answer, { url, adapterBaseURL: base });
      expect(event).toMatchObject({ provider: "gateway", usage: { inputTokens: 1, outputTokens: 2 } });
    }
    for (const url of ["https://gateway.example.com/anthropic/v1/threads/t_1/messages", "https://gateway.example.com/other/v1/messages", "https://gateway.example.com/anthropic/v1/messages/count_tokens"]) {
      const { events } = await run(answer, { url, adapterBaseURL: base });
      expect(events).toHaveLength(0);
    }
  });
});
