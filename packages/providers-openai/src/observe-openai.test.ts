import { MemoryStorage, UsagePilot } from "@usagepilot/core";
import { collectBytes, createReplayFetch, type ReplayResponse } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { createOpenAIAdapter } from "./create-openai-adapter";

const sse = (events: unknown[], done = true) => events.map((event) => `data: ${typeof event === "string" ? event : JSON.stringify(event)}\n\n`).join("") + (done ? "data: [DONE]\n\n" : "");
const chunk = (extra: Record<string, unknown>) => ({ id: "c1", object: "chat.completion.chunk", model: "m-1", choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }], usage: null, ...extra });
const eventStream = { "content-type": "text/event-stream" };

async function run(url: string, request: Record<string, unknown>, answer: ReplayResponse, options: { injectStreamUsage?: boolean } = {}) {
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const usage = new UsagePilot({ storage, providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: "http://gateway.local/v1", provider: "gateway" }] })], onError: (error) => errors.push(error) });
  const replay = createReplayFetch(answer);
  const fetchWithUsage = usage.createFetch(() => ({ user_id: "u" }), { fetch: replay, ...options });
  const response = await fetchWithUsage(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  const text = new TextDecoder().decode(await collectBytes(response.body!));
  await usage.shutdown();
  return { event: storage.events[0], events: storage.events, errors, text, sent: replay.requests, status: response.status };
}

describe("OpenAI chat streams", () => {
  it("asks a stream for usage when the caller did not, keeping the caller's other stream options", async () => {
    const { sent } = await run("https://api.openai.com/v1/chat/completions", { model: "gpt-4o", stream: true, stream_options: { include_obfuscation: false } }, { body: sse([chunk({})]), headers: eventStream });
    expect(await sent[0]!.json()).toMatchObject({ stream: true, stream_options: { include_obfuscation: false, include_usage: true } });
  });

  it("leaves the body byte for byte when injection is off or not needed", async () => {
    const body = JSON.stringify({ model: "gpt-4o", stream: true });
    const storage = new MemoryStorage();
    const usage = new UsagePilot({ storage, providers: [createOpenAIAdapter()], onError: () => {} });
    const replay = createReplayFetch({ body: sse([chunk({})]), headers: eventStream });
    const response = await usage.createFetch(() => ({}), { fetch: replay, injectStreamUsage: false })("https://api.openai.com/v1/chat/completions", { method: "POST", body });
    await response.text();
    expect(await replay.requests[0]!.text()).toBe(body);
    await usage.shutdown();
    expect(storage.events[0]!.usage).toBeNull();
    expect(storage.events[0]!.accuracy).toBe("estimated");
  });

  it("does not inject stream options for hosts that reject them (Mistral), and still reads its final usage", async () => {
    const body = sse([chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } })]);
    const { sent, event } = await run("https://api.mistral.ai/v1/chat/completions", { model: "mistral-small", stream: true }, { body, headers: eventStream });
    expect(await sent[0]!.json()).not.toHaveProperty("stream_options");
    expect(event).toMatchObject({ provider: "mistral", usage: { inputTokens: 9, outputTokens: 4 }, status: "ok" });
  });

  it("keeps the last non-null usage, from Groq's x_groq too, and does not wait for empty choices", async () => {
    const body = sse([chunk({}), chunk({ x_groq: { usage: { prompt_tokens: 7, completion_tokens: 3 } }, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })]);
    const { event } = await run("https://api.groq.com/openai/v1/chat/completions", { model: "llama", stream: true }, { body, headers: eventStream });
    expect(event).toMatchObject({ provider: "groq", usage: { inputTokens: 7, outputTokens: 3 }, status: "ok", accuracy: "reported" });
  });

  it("reads OpenRouter's usage on a last chunk whose choices are not empty, past keep-alive comments", async () => {
    const body = ": OPENROUTER PROCESSING\n\n" + sse([chunk({}), chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 11, completion_tokens: 2, cost: 0.0001, prompt_tokens_details: { cached_tokens: 4 } } })]);
    const { event, text } = await run("https://openrouter.ai/api/v1/chat/completions", { model: "openai/gpt-4o", stream: true }, { body, headers: eventStream });
    expect(text).toBe(body);
    expect(event).toMatchObject({ provider: "openrouter", usage: { inputTokens: 11, cachedInputTokens: 4, outputTokens: 2 } });
  });

  it("records an Azure deployment call with the model from the response, past the empty first chunk", async () => {
    const body = sse([{ id: "", object: "", model: "", choices: [], prompt_filter_results: [] }, chunk({ model: "gpt-4o-2024-08-06" }), chunk({ model: "gpt-4o-2024-08-06", choices: [], usage: { prompt_tokens: 5, completion_tokens: 1 } })]);
    const { event } = await run("https://contoso.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21", { stream: true }, { body, headers: { ...eventStream, "apim-request-id": "azure-1" } });
    expect(event).toMatchObject({ provider: "azure-openai", model: "gpt-4o-2024-08-06", providerRequestId: "azure-1", usage: { inputTokens: 5, outputTokens: 1 } });
  });

  it("uses the Azure deployment name as the model when the response names none", async () => {
    const { event } = await run("https://contoso.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21", {}, { body: JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 1 } }) });
    expect(event!.model).toBe("my-gpt");
  });

  it("claims a configured base URL", async () => {
    const { event } = await run("http://gateway.local/v1/chat/completions", { model: "local" }, { body: JSON.stringify({ model: "local", usage: { prompt_tokens: 2, completion_tokens: 3 } }) });
    expect(event).toMatchObject({ provider: "gateway", usage: { inputTokens: 2, outputTokens: 3 } });
  });

  it("marks an error sent inside the stream", async () => {
    const body = sse([chunk({}), { error: { message: "The server had an error", type: "server_error" } }], false);
    const { event, errors, text } = await run("https://api.openai.com/v1/chat/completions", { model: "gpt-4o", stream: true }, { body, headers: eventStream });
    expect(text).toBe(body);
    expect(event).toMatchObject({ status: "error", usage: null, accuracy: "estimated" });
    expect(errors.length).toBeGreaterThan(0);
  });

  it("records a stream that ends before [DONE] and without usage as aborted, not as zero", async () => {
    const body = sse([chunk({}), chunk({})], false);
    const { event } = await run("https://api.openai.com/v1/chat/completions", { model: "gpt-4o", stream: true }, { body, headers: eventStream });
    expect(event).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated" });
  });

  it("records a stream cut by a network error as aborted, and the caller sees the error", async () => {
    const body = sse([chunk({}), chunk({})], false);
    const storage = new MemoryStorage();
    const usage = new UsagePilot({ storage, providers: [createOpenAIAdapter()], onError: () => {} });
    const replay = createReplayFetch({ body, headers: eventStream, failAfter: { bytes: 50, error: new TypeError("terminated") } });
    const response = await usage.createFetch(() => ({}), { fetch: replay })("https://api.openai.com/v1/chat/completions", { method: "POST", body: JSON.stringify({ stream: true }) });
    await expect(collectBytes(response.body!)).rejects.toThrow("terminated");
    await usage.shutdown();
    expect(storage.events[0]).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated" });
  });

  it("passes garbage SSE through unchanged and reports it without throwing", async () => {
    const body = "data: {not json\n\ndata: \u0000\u00ff\n\nevent: weird\ndata: [\n\n";
    const { event, text, errors } = await run("https://api.openai.com/v1/chat/completions", { model: "gpt-4o", stream: true }, { body, headers: eventStream });
    expect(text).toBe(body);
    expect(event).toMatchObject({ usage: null, accuracy: "estimated" });
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe("OpenAI JSON answers", () => {
  it("records a 4xx error with status error and no usage", async () => {
    const body = JSON.stringify({ error: { message: "Invalid model", type: "invalid_request_error", code: "model_not_found" } });
    const { event, text, status } = await run("https://api.openai.com/v1/chat/completions", { model: "nope" }, { body, status: 404 });
    expect(status).toBe(404);
    expect(text).toBe(body);
    expect(event).toMatchObject({ status: "error", usage: null, model: "nope" });
  });

  it("records a non-JSON 502 body unchanged", async () => {
    const { event, text } = await run("https://api.openai.com/v1/chat/completions", { model: "gpt-4o" }, { body: "<html>Bad gateway</html>", status: 502, headers: { "content-type": "text/html" } });
    expect(text).toBe("<html>Bad gateway</html>");
    expect(event).toMatchObject({ status: "error", usage: null });
  });

  it("reads embeddings usage as input only", async () => {
    const body = JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding: [0.1] }], model: "text-embedding-3-small", usage: { prompt_tokens: 8, total_tokens: 8 } });
    const { event } = await run("https://api.openai.com/v1/embeddings", { model: "text-embedding-3-small", input: "hello" }, { body });
    expect(event).toMatchObject({ operation: "embeddings", usage: { inputTokens: 8, outputTokens: 0 }, status: "ok", streamed: false });
  });

  it("counts Responses API built-in tool calls as units", async () => {
    const body = JSON.stringify({
      object: "response",
      status: "completed",
      model: "gpt-4.1-2025-04-14",
      output: [{ type: "web_search_call" }, { type: "web_search_call" }, { type: "message" }, { type: "file_search_call" }],
      usage: { input_tokens: 300, input_tokens_details: { cached_tokens: 100 }, output_tokens: 50, output_tokens_details: { reasoning_tokens: 0 } },
    });
    const { event } = await run("https://api.openai.com/v1/responses", { model: "gpt-4.1" }, { body });
    expect(event).toMatchObject({ operation: "responses", units: { web_searches: 2, file_searches: 1 }, usage: { inputTokens: 300, cachedInputTokens: 100, outputTokens: 50 } });
  });

  it("does not claim other endpoints or methods", async () => {
    const storage = new MemoryStorage();
    const usage = new UsagePilot({ storage, providers: [createOpenAIAdapter()], onError: () => {} });
    const replay = createReplayFetch({ body: "{}" });
    const fetchWithUsage = usage.createFetch(() => ({}), { fetch: replay });
    await fetchWithUsage("https://api.openai.com/v1/models");
    await fetchWithUsage("https://example.com/v1/chat/completions", { method: "POST", body: "{}" });
    await usage.shutdown();
    expect(storage.events).toHaveLength(0);
    expect(usage.stats().unmetered).toBe(2);
  });
});

describe("long OpenAI streams (past the tail window)", () => {
  it("a 2,000-chunk stream split anywhere: model from the head, usage from the tail, status ok", async () => {
    const { synthesizeChatStream } = await import("@usagepilot/testing");
    const body = synthesizeChatStream({ usage: { prompt_tokens: 77, completion_tokens: 2000, cached_tokens: 64 }, chunks: 2000, includeUsage: true, model: "gpt-4o-mini-2024-07-18" });
    const length = new TextEncoder().encode(body).length;
    const irregular = Array.from({ length: 300 }, (_, index) => (index * 7919 + index * index * 13) % length);
    for (const splitAt of [...[97, 4096, 65_536, length].map((step) => Array.from({ length: Math.ceil(length / step) }, (_, index) => (index + 1) * step)), irregular]) {
      const { event, text } = await run("https://api.openai.com/v1/chat/completions", { model: "gpt-4o-mini", stream: true }, { body, headers: eventStream, splitAt });
      expect(text).toBe(body);
      expect(event).toMatchObject({ model: "gpt-4o-mini-2024-07-18", status: "ok", accuracy: "reported", usage: { inputTokens: 77, outputTokens: 2000, cachedInputTokens: 64 } });
    }
  });

  it("reads a long stream's usage when more events follow it than its last three (content filter results)", async () => {
    const { synthesizeChatStream } = await import("@usagepilot/testing");
    const content = synthesizeChatStream({ usage: { prompt_tokens: 21, completion_tokens: 800 }, chunks: 800, includeUsage: true, model: "gpt-4o-mini" }).replace("data: [DONE]\n\n", "");
    const filter = sse([chunk({ choices: [{ index: 0, delta: {}, finish_reason: null, content_filter_results: { hate: { filtered: false } } }] })], false);
    const body = content + filter + filter + filter + "data: [DONE]\n\n";
    for (const splitAt of [[], [1000, 150_000], Array.from({ length: 60 }, (_, index) => (index + 1) * 4096)]) {
      const { event, text } = await run("https://my-resource.openai.azure.com/openai/deployments/chat/chat/completions?api-version=2024-10-21", { stream: true }, { body, headers: eventStream, splitAt });
      expect(text).toBe(body);
      expect(event).toMatchObject({ status: "ok", accuracy: "reported", usage: { inputTokens: 21, outputTokens: 800 } });
    }
  });

  it("an error sent at the end of a long stream is seen", async () => {
    const { synthesizeChatStream } = await import("@usagepilot/testing");
    const content = synthesizeChatStream({ usage: { prompt_tokens: 1, completion_tokens: 1 }, chunks: 1500, includeUsage: false, model: "m-1" }).replace("data: [DONE]\n\n", "");
    const body = content + 'data: {"error":{"message":"The server had an error","type":"server_error"}}\n\n';
    const { event } = await run("https://api.openai.com/v1/chat/completions", { model: "m", stream: true }, { body, headers: eventStream, splitAt: [100, 5000, 200_000] });
    expect(event).toMatchObject({ status: "error", usage: null });
  });
});

describe("long Responses API streams", () => {
  it("reads usage from a response.completed event far larger than the tail window", async () => {
    const answer = "lorem ipsum ".repeat(20_000);
    const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    const body =
      event("response.created", { type: "response.created", response: { model: "gpt-5-2025-08-07", status: "in_progress", usage: null } }) +
      Array.from({ length: 800 }, (_, index) => event("response.output_text.delta", { type: "response.output_text.delta", delta: `word${index} ` })).join("") +
      event("response.completed", {
        type: "response.completed",
        response: { model: "gpt-5-2025-08-07", status: "completed", output: [{ type: "web_search_call" }, { type: "message", content: [{ type: "output_text", text: answer }] }], usage: { input_tokens: 40, output_tokens: 60_000, output_tokens_details: { reasoning_tokens: 500 } } },
      });
    const length = new TextEncoder().encode(body).length;
    for (const step of [1024, 16_384, length]) {
      const splitAt = Array.from({ length: Math.ceil(length / step) }, (_, index) => (index + 1) * step);
      const { event: recorded } = await run("https://api.openai.com/v1/responses", { model: "gpt-5", stream: true }, { body, headers: eventStream, splitAt });
      expect(recorded).toMatchObject({ operation: "responses", status: "ok", units: { web_searches: 1 }, usage: { inputTokens: 40, outputTokens: 60_000, reasoningTokens: 500 } });
    }
  });
});

describe("Responses API stream errors", () => {
  it("marks a stream that ends with an untyped error object (as a gateway may send it)", async () => {
    const body =
      `event: response.created\ndata: ${JSON.stringify({ type: "response.created", response: { model: "gpt-5-2025-08-07", status: "in_progress", usage: null } })}\n\n` +
      `data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error" } })}\n\n`;
    const { event, text } = await run("https://api.openai.com/v1/responses", { model: "gpt-5", stream: true }, { body, headers: eventStream });
    expect(text).toBe(body);
    expect(event).toMatchObject({ operation: "responses", status: "error", usage: null, model: "gpt-5-2025-08-07" });
  });
});
