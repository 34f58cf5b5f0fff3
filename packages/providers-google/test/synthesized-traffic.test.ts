import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { googleErrorBody, readResponseText, synthesizeGeminiChunks } from "@usagepilot/testing";
import { embed, embedMany, generateText, streamText } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeTokenizer } from "./fake-tokenizer";
import { tokens } from "./google-conformance-cases";
import { createHarness, type Harness } from "./meter-harness";

let harness: Harness;
let tokenizer: ReturnType<typeof createFakeTokenizer>;
beforeEach(async () => {
  tokenizer = createFakeTokenizer();
  harness = await createHarness({ tokenizer });
});
afterEach(async () => {
  await harness.close();
});

const tenant = { "x-user-id": "user-3" };
const google = () => createGoogleGenerativeAI({ apiKey: "test-key", baseURL: harness.geminiBaseURL, fetch: harness.fetchWithUsage });
const post = (path: string, body: unknown) =>
  harness.fetchWithUsage(`${harness.geminiBaseURL}${path}`, { method: "POST", headers: { "content-type": "application/json", ...tenant }, body: JSON.stringify(body) });
const askBody = { systemInstruction: { parts: [{ text: "Be brief." }] }, contents: [{ role: "user", parts: [{ text: "Say hello to the whole wide world" }] }] };

describe("Gemini usage mapping on synthesised traffic", () => {
  it("generateText: tool-use prompt added to input, thoughts to output, cache and modalities kept as subsets", async () => {
    harness.server.enqueue({
      kind: "gemini",
      model: "gemini-2.5-pro-002",
      thoughts: "Thinking about greetings",
      usageMetadata: {
        promptTokenCount: 1200,
        cachedContentTokenCount: 1024,
        toolUsePromptTokenCount: 300,
        candidatesTokenCount: 40,
        thoughtsTokenCount: 500,
        promptTokensDetails: [
          { modality: "TEXT", tokenCount: 200 },
          { modality: "IMAGE", tokenCount: 258 },
          { modality: "AUDIO", tokenCount: 742 },
        ],
      },
    });
    const result = await generateText({ model: google()("gemini-2.5-pro"), prompt: "hi", headers: tenant, maxRetries: 0 });
    expect(result.text).toBe("Hello from the fake server");
    const [event] = await harness.events();
    expect(event).toMatchObject({ provider: "google", operation: "chat", model: "gemini-2.5-pro-002", status: "ok", accuracy: "reported", streamed: false });
    expect(event!.usage).toEqual(tokens(1500, 1024, 0, 540, 500, { imageInputTokens: 258, audioInputTokens: 742 }));
    // The AI SDK leaves the tool-use prompt out of its input; output agrees.
    expect(result.usage.outputTokens).toBe(540);
  });

  it("streamText: a snapshot per chunk, and the last one counts even when it is lower than an earlier one", async () => {
    const chunks = synthesizeGeminiChunks({ model: "gemini-2.5-flash", usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 12, thoughtsTokenCount: 8 }, chunks: 4 });
    // A middle snapshot that overshoots: Gemini's counts can go down.
    (chunks[2]!.usageMetadata as Record<string, number>).candidatesTokenCount = 90;
    const body = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join("");
    harness.server.enqueue({ kind: "raw", headers: { "content-type": "text/event-stream" }, body, splitEvery: 50 });
    const result = streamText({ model: google()("gemini-2.5-flash"), prompt: "hi", headers: tenant, maxRetries: 0 });
    await result.text;
    const [event] = await harness.events();
    expect(event).toMatchObject({ usage: tokens(30, 0, 0, 20, 8), status: "ok", accuracy: "reported", streamed: true });
    expect((await result.usage).outputTokens).toBe(20);
  });

  it("streamText with usage only on the last chunk, over a long stream (only its head and tail are decoded)", async () => {
    harness.server.enqueue({ kind: "gemini", chunks: 400, snapshots: "last-chunk", usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 400 } });
    const result = streamText({ model: google()("gemini-2.5-flash-lite"), prompt: "hi", headers: tenant, maxRetries: 0 });
    expect((await result.text).split(" ")).toHaveLength(400);
    const [event] = await harness.events();
    expect(event).toMatchObject({ model: "gemini-2.5-flash-lite", usage: tokens(7, 0, 0, 400, 0), status: "ok", accuracy: "reported" });
  });

  it("a streamed JSON array (no alt=sse) synthesised with thoughts: the metered fetch reads its last snapshot", async () => {
    harness.server.enqueue({ kind: "gemini", chunks: 6, thoughts: "hmm", usageMetadata: { promptTokenCount: 21, candidatesTokenCount: 60, thoughtsTokenCount: 99 } });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent", askBody);
    const elements = JSON.parse(await response.text()) as unknown[];
    expect(elements).toHaveLength(6);
    const [event] = await harness.events();
    expect(event).toMatchObject({ usage: tokens(21, 0, 0, 159, 99), status: "ok", accuracy: "reported", streamed: true, model: "gemini-2.5-flash" });
  });

  it("the Vertex AI URL shape is claimed as google-vertex, with the model from the path", async () => {
    const vertex = createGoogleGenerativeAI({ apiKey: "test-key", baseURL: harness.vertexBaseURL, fetch: harness.fetchWithUsage });
    harness.server.enqueue({ kind: "gemini", usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 6 } });
    await generateText({ model: vertex("gemini-2.5-flash"), prompt: "hi", headers: tenant, maxRetries: 0 });
    expect(harness.server.requests[0]!.path).toBe("/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent");
    const [event] = await harness.events();
    expect(event).toMatchObject({ provider: "google-vertex", operation: "chat", model: "gemini-2.5-flash", usage: tokens(4, 0, 0, 6, 0) });
  });
});

describe("Gemini errors", () => {
  it("an HTTP 429 with Google's error JSON: the SDK sees it unchanged, the event is an error without usage", async () => {
    harness.server.enqueue({ kind: "error", status: 429, body: googleErrorBody({ status: 429, message: "Resource has been exhausted (e.g. check quota)." }) });
    await expect(generateText({ model: google()("gemini-2.5-flash"), prompt: "hi", headers: tenant, maxRetries: 0 })).rejects.toThrow(/Resource has been exhausted/);
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null, streamed: false, model: "gemini-2.5-flash" });
  });

  it("an HTTP 500 to a stream request: an error, recorded as a stream", async () => {
    harness.server.enqueue({ kind: "error", status: 500, body: googleErrorBody({ status: 500 }) });
    const result = streamText({ model: google()("gemini-2.5-flash"), prompt: "hi", headers: tenant, maxRetries: 0, onError: () => {} });
    await result.consumeStream();
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null, streamed: true });
  });

  it("an error object inside an SSE stream: status error, the snapshot before it kept but not reported as final", async () => {
    harness.server.enqueue({ kind: "gemini-stream-error", afterChunks: 2, usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 20 } });
    const result = streamText({ model: google()("gemini-2.5-flash"), prompt: "hi", headers: tenant, maxRetries: 0, onError: () => {} });
    await result.consumeStream();
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", streamed: true, accuracy: "estimated", usage: tokens(10, 0, 0, 8, 0) });
  });

  it("an error object inside a streamed JSON array: status error", async () => {
    harness.server.enqueue({ kind: "gemini-stream-error", afterChunks: 1, status: 503 });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent", askBody);
    const elements = JSON.parse(await response.text()) as { error?: { code: number } }[];
    expect(elements.at(-1)!.error!.code).toBe(503);
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", streamed: true });
  });

  it("a body that is not JSON reaches the caller unchanged; metering reports the problem and never throws", async () => {
    harness.server.enqueue({ kind: "raw", status: 200, headers: { "content-type": "application/json" }, body: "<html>proxy error</html>" });
    const response = await post("/models/gemini-2.5-flash:generateContent", askBody);
    expect(await response.text()).toBe("<html>proxy error</html>");
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null });
    expect(harness.errors.length).toBeGreaterThan(0);
  });
});

describe("cut Gemini streams", () => {
  it("SSE cut after two chunks (no finishReason): aborted, with the last snapshot as an estimate", async () => {
    harness.server.enqueue({ kind: "gemini-cut", afterChunks: 2, chunks: 5, usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 50, thoughtsTokenCount: 5 } });
    const result = streamText({ model: google()("gemini-2.5-flash"), prompt: "hi", headers: tenant, maxRetries: 0, onError: () => {} });
    await result.consumeStream();
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", streamed: true, usage: tokens(10, 0, 0, 25, 5) });
  });

  it("SSE cut inside the first chunk: aborted, input and output seen counted with the tokenizer, as an estimate", async () => {
    harness.server.enqueue({ kind: "gemini-cut", afterChunks: 0, partialBytes: 40 });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse", askBody);
    const received = await readResponseText(response);
    expect(received).toMatchObject({ failed: true });
    expect(received.text).toHaveLength(40);
    const [event] = await harness.events();
    // "Be brief.", "Say hello to the whole wide world" and no tools, joined by newlines: 44 characters, 11 tokens.
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", streamed: true, usage: tokens(11, 0, 0, 0, 0) });
    expect(tokenizer.calls.map((call) => [call.provider, call.model])).toEqual([
      ["google", "gemini-2.5-flash"],
      ["google", "gemini-2.5-flash"],
    ]);
  });

  it("SSE cut after output but before any snapshot: the text seen is counted as output", async () => {
    harness.server.enqueue({ kind: "gemini-cut", afterChunks: 2, chunks: 4, snapshots: "last-chunk", content: "abcdefgh" });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse", askBody);
    expect(await readResponseText(response)).toMatchObject({ failed: true });
    const [event] = await harness.events();
    // Output seen: "ab" + "cd", one token; input as above, 11.
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", usage: tokens(11, 0, 0, 1, 0), model: "gemini-2.5-flash" });
    expect(tokenizer.calls.at(-1)!.input).toBe("abcd");
  });

  it("a cut stream of a request with an image: counted from text, so estimated", async () => {
    harness.server.enqueue({ kind: "gemini-cut", afterChunks: 0 });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse", { contents: [{ role: "user", parts: [{ text: "What is this?" }, { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }] }] });
    expect(await readResponseText(response)).toMatchObject({ failed: true });
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", usage: tokens(4, 0, 0, 0, 0) });
  });

  it("a streamed JSON array cut inside an element after one whole element: aborted with that element's snapshot", async () => {
    harness.server.enqueue({ kind: "gemini-cut", afterChunks: 1, partialBytes: 30, chunks: 3, usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 30 } });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent", askBody);
    const received = await readResponseText(response);
    expect(received.failed).toBe(true);
    expect(received.text.startsWith("[{")).toBe(true);
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", streamed: true, usage: tokens(9, 0, 0, 10, 0) });
  });

  it("a caller that stops reading a stream: aborted", async () => {
    harness.server.enqueue({ kind: "gemini", chunks: 50, delayMs: 5, usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 50 } });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse", askBody);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "aborted", streamed: true });
    expect(event!.accuracy).not.toBe("reported");
  });
});

describe("Gemini embeddings and countTokens", () => {
  it("embed (embedContent) with usageMetadata: operation embeddings, input tokens reported", async () => {
    harness.server.enqueue({ kind: "gemini", usageMetadata: { promptTokenCount: 6 }, dimensions: 4 });
    const result = await embed({ model: google().embedding("gemini-embedding-001"), value: "sunny day at the beach", headers: tenant, maxRetries: 0 });
    expect(result.embedding).toHaveLength(4);
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "embeddings", model: "gemini-embedding-001", usage: tokens(6, 0, 0, 0, 0), accuracy: "reported", status: "ok" });
  });

  it("embedMany (batchEmbedContents) without usage: usage null (not measured), never 0", async () => {
    harness.server.enqueue({ kind: "gemini" });
    const result = await embedMany({ model: google().embedding("gemini-embedding-001"), values: ["a", "b", "c"], headers: tenant, maxRetries: 0 });
    expect(result.embeddings).toHaveLength(3);
    expect(harness.server.requests[0]!.path).toBe("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "embeddings", usage: null, status: "ok" });
    expect(event!.accuracy).not.toBe("reported");
  });

  it("countTokens: recorded as an unbilled call (zero tokens), its count not taken for usage", async () => {
    harness.server.enqueue({ kind: "gemini", usageMetadata: { promptTokenCount: 31 } });
    const response = await post("/models/gemini-2.5-flash:countTokens", askBody);
    expect(await response.json()).toMatchObject({ totalTokens: 31 });
    const [event] = await harness.events();
    expect(event).toMatchObject({ operation: "count-tokens", usage: tokens(0, 0, 0, 0, 0), status: "ok", accuracy: "reported" });
  });
});
