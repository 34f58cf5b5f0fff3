import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { fixtureBody } from "../fixtures/fixture-body";
import { fixturesDir } from "../fixtures/fixtures-dir";
import { readSseData } from "../sse/read-sse-data";
import { synthesizeChatStream } from "../synthesize/synthesize-chat-stream";
import { createFakeLlmServer } from "./create-fake-llm-server";

const server = await createFakeLlmServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Every byte of the body, and how many reads it took (chunk boundaries that reached the client). */
async function readAll(response: Response): Promise<{ bytes: Buffer; reads: number }> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks), reads: chunks.length };
}

/** The parsed `data:` payloads of an SSE body, `[DONE]` kept as the string. */
function sseData(body: Buffer): unknown[] {
  return readSseData(body.toString("utf8")).map((data) => (data === "[DONE]" ? data : (JSON.parse(data) as unknown)));
}

function listFixtures(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listFixtures(path);
    return /\.(json|sse|chunks\.jsonl)$/.test(entry.name) ? [path] : [];
  });
}

describe("replay", () => {
  const files = listFixtures(fixturesDir());

  it("covers every OpenAI fixture", () => {
    expect(files.filter((file) => file.includes("/openai/"))).toHaveLength(6);
  });

  for (const file of files) {
    it(`${relative(fixturesDir(), file)} reaches the client byte for byte`, async () => {
      server.enqueue({ kind: "replay", file });
      const response = await post("/v1/chat/completions", { model: "m", stream: true });
      const expected = fixtureBody(file);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(expected.contentType);
      expect(response.headers.get("x-request-id")).toMatch(/^req_[A-Za-z0-9]{32}$/);
      const { bytes } = await readAll(response);
      expect(bytes.equals(Buffer.from(expected.bytes))).toBe(true);
      expect(server.served).toEqual([expect.objectContaining({ kind: "replay", status: 200, cut: false })]);
    });
  }

  it("records the usage each OpenAI fixture served", async () => {
    const usageOf = async (name: string) => {
      server.enqueue({ kind: "replay", file: join(fixturesDir(), "openai", name) });
      await readAll(await post("/v1/chat/completions", {}));
      return server.served.at(-1)?.usage;
    };
    expect(await usageOf("chat-nonstream-gpt-4.1-nano.json")).toMatchObject({ prompt_tokens: 16, completion_tokens: 363 });
    expect(await usageOf("chat-stream-gpt-4.1-nano.chunks.jsonl")).toMatchObject({ prompt_tokens: 16, completion_tokens: 300 });
    expect(await usageOf("responses-stream-usage-reasoning.sse")).toMatchObject({ input_tokens: 53, output_tokens: 469, output_tokens_details: { reasoning_tokens: 448 } });
    expect(await usageOf("responses-stream-failed-insufficient-quota.chunks.jsonl")).toBeNull();
  });

  it("splits, delays and flushes writes so the client sees separate chunks", async () => {
    const file = join(fixturesDir(), "openai/chat-stream-include-usage-gpt-4o-mini-toolcall.sse");
    server.enqueue({ kind: "replay", file, splitEvery: 700, delayMs: 5, status: 201, headers: { "X-Extra": "yes" } });
    const response = await post("/v1/chat/completions", {});
    expect(response.status).toBe(201);
    expect(response.headers.get("x-extra")).toBe("yes");
    const { bytes, reads } = await readAll(response);
    expect(bytes.equals(Buffer.from(fixtureBody(file).bytes))).toBe(true);
    // Not an exact count: a busy client may read two delayed writes at once.
    expect(reads).toBeGreaterThan(1);
  });

  it("answers a missing fixture with a 500 that names it", async () => {
    server.enqueue({ kind: "replay", file: "/nonexistent/fixture.json" });
    const response = await post("/v1/chat/completions", {});
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("/nonexistent/fixture.json");
  });
});

describe("chat", () => {
  it("answers JSON when the request does not stream", async () => {
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 7, completion_tokens: 9, cached_tokens: 3, reasoning_tokens: 2 }, content: "hi" });
    const response = await post("/v1/chat/completions", { model: "gpt-4.1-nano", messages: [] });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gpt-4.1-nano",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16, prompt_tokens_details: { cached_tokens: 3 }, completion_tokens_details: { reasoning_tokens: 2 } },
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(server.served[0]?.usage).toEqual(body.usage);
  });

  it("streams without a usage chunk unless include_usage is set", async () => {
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 7, completion_tokens: 9 }, model: "pinned" });
    const { bytes } = await readAll(await post("/v1/chat/completions", { model: "gpt-4o-mini", stream: true }));
    const events = sseData(bytes) as Array<Record<string, unknown>>;
    expect(events).toHaveLength(1 + 5 + 1 + 1);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1);
    for (const chunk of chunks) expect(chunk).toMatchObject({ object: "chat.completion.chunk", model: "pinned", usage: null });
    expect(chunks.at(-1)).toMatchObject({ choices: [{ delta: {}, finish_reason: "stop" }] });
    const text = chunks.map((chunk) => (chunk.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello from the fake server");
    expect(server.served[0]).toMatchObject({ kind: "chat", usage: null, cut: false });
  });

  it("streams the usage chunk with choices: [] when include_usage is set", async () => {
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 7, completion_tokens: 9, cached_tokens: 4 }, chunks: 3, content: "abcdef" });
    const response = await post("/v1/chat/completions", { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const { bytes, reads } = await readAll(response);
    const events = sseData(bytes) as Array<Record<string, unknown>>;
    expect(events).toHaveLength(1 + 3 + 1 + 1 + 1);
    const usageChunk = events.at(-2);
    expect(usageChunk).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(server.served[0]?.usage).toEqual(usageChunk?.usage);
  });

  it("streams 1,000 chunks quickly", async () => {
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 10, completion_tokens: 1000 }, chunks: 1000 });
    const started = performance.now();
    const { bytes } = await readAll(await post("/v1/chat/completions", { model: "m", stream: true, stream_options: { include_usage: true } }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sseData(bytes)).toHaveLength(1000 + 4);
    expect(server.served[0]?.usage).toMatchObject({ completion_tokens: 1000 });
  });

  it("synthesizeChatStream builds the same body for benchmarks", () => {
    const body = synthesizeChatStream({ usage: { prompt_tokens: 1, completion_tokens: 2 }, model: "m", chunks: 1000, includeUsage: true });
    const events = readSseData(body);
    expect(events).toHaveLength(1004);
    expect(JSON.parse(events[1002]!)).toMatchObject({ choices: [], usage: { total_tokens: 3 } });
    expect(readSseData(synthesizeChatStream({ usage: { prompt_tokens: 1, completion_tokens: 2 }, model: "m", chunks: 2, includeUsage: false }))).toHaveLength(5);
  });
});

describe("faults", () => {
  it("cut: the reader rejects after the first chunks, with no usage and no [DONE]", async () => {
    server.enqueue({ kind: "cut", afterChunks: 3, usage: { prompt_tokens: 1, completion_tokens: 2 } });
    const response = await post("/v1/chat/completions", { model: "m", stream: true, stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = "";
    const drain = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    };
    await expect(drain()).rejects.toThrow();
    expect(readSseData(received)).toHaveLength(3);
    expect(received).not.toContain("[DONE]");
    expect(server.served[0]).toMatchObject({ kind: "cut", usage: null, cut: true });
  });

  it("stream-error: sends the error event after N chunks and ends", async () => {
    server.enqueue({ kind: "stream-error", afterChunks: 2 });
    const { bytes } = await readAll(await post("/v1/chat/completions", { model: "m", stream: true }));
    const events = sseData(bytes);
    expect(events).toHaveLength(3);
    expect(events[2]).toEqual({ error: { message: "The server had an error", type: "server_error", param: null, code: null } });
  });

  it("error: 429 with retry-after and OpenAI's error body", async () => {
    server.enqueue({ kind: "error", status: 429, headers: { "retry-after": "0" } }, { kind: "error", status: 500, body: "oops" });
    const limited = await post("/v1/chat/completions", {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("0");
    expect(await limited.json()).toEqual({ error: { message: expect.any(String), type: "requests", param: null, code: "rate_limit_exceeded" } });
    const failed = await post("/v1/chat/completions", {});
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("oops");
    expect(server.served.map((answer) => answer.status)).toEqual([429, 500]);
  });

  it("headersDelayMs: the status and headers wait for the delay, so a client timeout fires before any response", async () => {
    server.enqueue({ kind: "chat", usage: { prompt_tokens: 3, completion_tokens: 4 }, headersDelayMs: 150 }, { kind: "chat", usage: { prompt_tokens: 5, completion_tokens: 6 }, headersDelayMs: 10_000 });
    let headersSeen = false;
    const slow = post("/v1/chat/completions", {}).then((response) => {
      headersSeen = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(headersSeen).toBe(false);
    expect(await (await slow).json()).toMatchObject({ usage: { prompt_tokens: 3, completion_tokens: 4 } });
    const gaveUp = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{}", signal: AbortSignal.timeout(100) }).catch((error: unknown) => error);
    expect(gaveUp).toMatchObject({ name: "TimeoutError" });
    expect(server.requests).toHaveLength(2);
    expect(server.served.map((answer) => answer.usage)).toEqual([expect.objectContaining({ prompt_tokens: 3, completion_tokens: 4 }), null]);
  });

  it("raw: arbitrary bytes, split as asked", async () => {
    server.enqueue({ kind: "raw", status: 200, headers: { "content-type": "text/event-stream" }, body: "data: {not json\n\n\u0000garbage", splitEvery: 4, delayMs: 1 });
    const response = await post("/v1/chat/completions", { stream: true });
    const { bytes, reads } = await readAll(response);
    expect(bytes.toString("utf8")).toBe("data: {not json\n\n\u0000garbage");
    expect(reads).toBeGreaterThan(1);
    expect(server.served[0]?.usage).toBeNull();
  });
});

describe("default answers and bookkeeping", () => {
  it("records every request in order", async () => {
    await (await post("/v1/chat/completions", { model: "a" }, { "X-Tenant": "t1" })).text();
    await (await post("/v1/embeddings", "not json")).text();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions", body: '{"model":"a"}', json: { model: "a" } });
    expect(server.requests[0]?.headers["x-tenant"]).toBe("t1");
    expect(server.requests[1]).toMatchObject({ path: "/v1/embeddings", body: "not json", json: undefined });
    expect(server.served.map((answer) => answer.kind)).toEqual(["chat", "embeddings"]);
  });

  it("answers chat, responses and embeddings by path suffix, including Azure and proxy prefixes", async () => {
    const chat = (await (await post("/openai/deployments/d1/chat/completions?api-version=2024-10-21", { model: "x" })).json()) as { usage: unknown };
    expect(chat.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 20 });
    expect(server.requests[0]?.path).toBe("/openai/deployments/d1/chat/completions?api-version=2024-10-21");

    const responses = (await (await post("/api/v1/responses", { model: "gpt-5" })).json()) as Record<string, unknown>;
    expect(responses).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-5",
      output: [{ type: "message", content: [{ type: "output_text" }] }],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 30 },
    });

    const embeddings = (await (await post("/openai/v1/embeddings", { model: "e", input: ["a", "b", "c"] })).json()) as { data: Array<{ embedding: number[] }>; usage: unknown };
    expect(embeddings.data).toHaveLength(3);
    expect(embeddings.data[0]?.embedding).toHaveLength(8);
    expect(embeddings.usage).toEqual({ prompt_tokens: 24, total_tokens: 24 });

    const missing = await post("/v1/unknown", {});
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: "Invalid URL (POST /v1/unknown)", type: "invalid_request_error" } });
  });

  it("encodes embeddings as base64 floats when asked, as the openai SDK does", async () => {
    server.enqueue({ kind: "embeddings", usage: { prompt_tokens: 3 }, dimensions: 4 });
    const body = (await (await post("/v1/embeddings", { input: "a", encoding_format: "base64" })).json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(body.data[0]!.embedding, "base64");
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)).toHaveLength(4);
  });

  it("streams Responses events with usage only in response.completed", async () => {
    server.enqueue({ kind: "responses", usage: { input_tokens: 5, output_tokens: 6, reasoning_tokens: 2 }, chunks: 2 });
    const { bytes } = await readAll(await post("/v1/responses", { model: "gpt-5", stream: true }));
    const text = bytes.toString("utf8");
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const events = sseData(bytes) as Array<{ type: string; response?: { usage: unknown } }>;
    expect(events.filter((event) => event.response?.usage)).toHaveLength(1);
    expect(events.at(-1)?.response?.usage).toMatchObject({ input_tokens: 5, output_tokens: 6, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 11 });
    expect(server.served[0]?.usage).toEqual(events.at(-1)?.response?.usage);
  });

  it("takes scripted answers in order, then falls back; reset empties everything", async () => {
    const local = await createFakeLlmServer({ answers: [{ kind: "error", status: 503 }] });
    local.enqueue({ kind: "error", status: 400 });
    expect(local.pending).toBe(2);
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await fetch(`${local.baseURL}/chat/completions`, { method: "POST", body: "{}" });
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([503, 400, 200]);
    local.enqueue({ kind: "error", status: 418 });
    local.reset();
    expect([local.requests.length, local.served.length, local.pending]).toEqual([0, 0, 0]);
    await local.close();
  });

  it("close() does not wait for a slow stream or a keep-alive connection", async () => {
    const local = await createFakeLlmServer({ answers: [{ kind: "chat", usage: { prompt_tokens: 1, completion_tokens: 1 }, delayMs: 10_000 }] });
    const response = await fetch(`${local.baseURL}/chat/completions`, { method: "POST", body: JSON.stringify({ stream: true }) });
    const reading = response.text().catch(() => "dropped");
    const started = performance.now();
    await local.close();
    await local.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await reading).toBe("dropped");
  });
});

describe("an answer chosen from the request", () => {
  it("answers concurrent requests by their own headers when the queue is empty, and records which got what", async () => {
    const own = await createFakeLlmServer({
      answer: (request) => ({ kind: "chat", usage: { prompt_tokens: request.headers["x-org-id"] === "big" ? 5_000 : 5, completion_tokens: 7 } }),
    });
    try {
      const orgs = ["big", "small", "big", "small", "small"];
      const bodies = await Promise.all(
        orgs.map((org) =>
          fetch(`${own.baseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", "x-org-id": org }, body: JSON.stringify({ model: "gpt-4o-mini", messages: [] }) }).then(
            (response) => response.json() as Promise<{ usage: { prompt_tokens: number } }>,
          ),
        ),
      );
      expect(bodies.map((body) => body.usage.prompt_tokens)).toEqual(orgs.map((org) => (org === "big" ? 5_000 : 5)));
      // requests[i] and served[i] are the same call, so what was served can be summed per tenant.
      const served = own.requests.map((request, index) => [request.headers["x-org-id"], own.served[index]!.usage?.prompt_tokens]);
      expect(served.filter(([org]) => org === "big").every(([, tokens]) => tokens === 5_000)).toBe(true);
    } finally {
      await own.close();
    }
  });
});
