import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { get_encoding } from "tiktoken";
import { afterEach, describe, expect, it } from "vitest";
import { countTokens } from "./count-tokens";
import { createTokenizer } from "./create-tokenizer";
import { CountTokensError } from "./errors/count-tokens-error";

interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A small stand-in for the providers' count-tokens endpoints: records each request, answers as told. */
async function startFakeCountServer(answer: (request: ReceivedRequest, response: ServerResponse) => void) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = { method: incoming.method ?? "", path: incoming.url ?? "", headers: incoming.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown };
      requests.push(request);
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  servers.push(close);
  return { baseURL: `http://127.0.0.1:${port}`, requests, close };
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" }).end(typeof body === "string" ? body : JSON.stringify(body));
}

const tokenizer = createTokenizer();
const input = { system: "Be brief.", messages: [{ role: "user", content: "Hello, Claude" }, { role: "assistant", content: "Hi!" }, { role: "user", content: "How many tokens is this?" }] };

describe("countTokens with Anthropic's count_tokens endpoint", () => {
  it("posts the Messages body with the key and version headers and returns the counted tokens", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { input_tokens: 31 }));
    const result = await countTokens({ model: "claude-sonnet-4-5", input, anthropicApiKey: "sk-ant-test", anthropicBaseURL: `${fake.baseURL}/` });
    expect(result).toEqual({ tokens: 31, accuracy: "counted" });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/v1/messages/count_tokens");
    expect(request!.headers["x-api-key"]).toBe("sk-ant-test");
    expect(request!.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toEqual({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      messages: [
        { role: "user", content: "Hello, Claude" },
        { role: "assistant", content: "Hi!" },
        { role: "user", content: "How many tokens is this?" },
      ],
    });
  });

  it("moves system-role messages into system, sends tool definitions, and sends plain text as one user message", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { input_tokens: 12 }));
    const tools = [{ name: "get_weather", description: "Weather by city", input_schema: { type: "object", properties: { city: { type: "string" } } } }];
    await countTokens({ model: "claude-haiku-4-5", provider: "anthropic", input: { messages: [{ role: "system", content: "Rules." }, { role: "tool", content: "42" }, { role: "user", content: "" }], tools: JSON.stringify(tools) }, anthropicApiKey: "k", anthropicBaseURL: fake.baseURL, anthropicVersion: "2024-01-01" });
    await countTokens({ model: "claude-haiku-4-5", input: "Just text", anthropicApiKey: "k", anthropicBaseURL: fake.baseURL });
    expect(fake.requests[0]!.body).toEqual({ model: "claude-haiku-4-5", system: "Rules.", messages: [{ role: "user", content: "42" }], tools });
    expect(fake.requests[0]!.headers["anthropic-version"]).toBe("2024-01-01");
    expect(fake.requests[1]!.body).toEqual({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "Just text" }] });
  });

  it("adds a local estimate for tools that are not a JSON array, and says the total is estimated", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { input_tokens: 20 }));
    const tools = "get_weather(city: string): the weather in a city";
    const result = await countTokens({ model: "claude-sonnet-4-5", input: { messages: [{ role: "user", content: "Hi" }], tools }, anthropicApiKey: "k", anthropicBaseURL: fake.baseURL });
    expect(fake.requests[0]!.body).not.toHaveProperty("tools");
    expect(result).toEqual({ tokens: 20 + tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input: tools })!.tokens, accuracy: "estimated" });
  });

  it("marks an endpoint count estimated when the input left parts out", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { input_tokens: 9 }));
    expect(await countTokens({ model: "claude-sonnet-4-5", input: { messages: [{ role: "user", content: "What is in this image?" }], omitted: true }, anthropicApiKey: "k", anthropicBaseURL: fake.baseURL })).toEqual({ tokens: 9, accuracy: "estimated" });
  });

  it("goes through the injected fetch", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { input_tokens: 5 }));
    const seen: string[] = [];
    const recordingFetch: typeof fetch = (url, init) => {
      seen.push(String(url));
      return fetch(url, init);
    };
    await countTokens({ model: "claude-sonnet-4-5", input: "Hi", anthropicApiKey: "k", anthropicBaseURL: fake.baseURL, fetch: recordingFetch });
    expect(seen).toEqual([`${fake.baseURL}/v1/messages/count_tokens`]);
  });
});

describe("countTokens with Gemini's countTokens endpoint", () => {
  it("posts contents to models/{model}:countTokens with the key in the query and returns totalTokens", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { totalTokens: 7, promptTokensDetails: [{ modality: "TEXT", tokenCount: 7 }] }));
    const result = await countTokens({ model: "gemini-2.5-flash", input: { messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }] }, geminiApiKey: "AIza test/key", geminiBaseURL: fake.baseURL });
    expect(result).toEqual({ tokens: 7, accuracy: "counted" });
    const [request] = fake.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/v1beta/models/gemini-2.5-flash:countTokens?key=AIza%20test%2Fkey");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["x-api-key"]).toBeUndefined();
    expect(request!.body).toEqual({ contents: [{ role: "user", parts: [{ text: "Hi" }] }, { role: "model", parts: [{ text: "Hello" }] }] });
  });

  it("sends a generateContentRequest when there is a system prompt or tools", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { totalTokens: 30 }));
    const tools = [{ functionDeclarations: [{ name: "get_weather", parameters: { type: "object" } }] }];
    await countTokens({ model: "models/gemini-3-pro-preview", input: { ...input, tools: JSON.stringify(tools) }, geminiApiKey: "k", geminiBaseURL: fake.baseURL });
    expect(fake.requests[0]!.path).toBe("/v1beta/models/gemini-3-pro-preview:countTokens?key=k");
    expect(fake.requests[0]!.body).toEqual({
      generateContentRequest: {
        model: "models/gemini-3-pro-preview",
        systemInstruction: { parts: [{ text: "Be brief." }] },
        contents: [
          { role: "user", parts: [{ text: "Hello, Claude" }] },
          { role: "model", parts: [{ text: "Hi!" }] },
          { role: "user", parts: [{ text: "How many tokens is this?" }] },
        ],
        tools,
      },
    });
  });
});

describe("countTokens when the endpoint fails", () => {
  it("by default returns the local estimate and reports a retryable CountTokensError for a 5xx", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    const errors: CountTokensError[] = [];
    const result = await countTokens({ model: "claude-sonnet-4-5", input, anthropicApiKey: "k", anthropicBaseURL: fake.baseURL, onError: (error) => errors.push(error) });
    expect(result).toEqual(tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input }));
    expect(result.accuracy).toBe("estimated");
    expect(errors).toHaveLength(1);
    expect(CountTokensError.isInstance(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ provider: "anthropic", status: 529, isRetryable: true, url: `${fake.baseURL}/v1/messages/count_tokens` });
    expect(errors[0]!.message).toContain("overloaded_error");
  });

  it("rejects with the typed error when told to throw; a 401 is not retryable", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 401, { error: { code: 401, message: "API key not valid", status: "UNAUTHENTICATED" } }));
    const failure = countTokens({ model: "gemini-2.5-flash", input: "Hi", geminiApiKey: "secret-key", geminiBaseURL: fake.baseURL, onEndpointError: "throw" });
    await expect(failure).rejects.toSatisfy((error: unknown) => CountTokensError.isInstance(error) && error.status === 401 && !error.isRetryable && error.provider === "google");
    const error = (await failure.catch((caught: unknown) => caught)) as CountTokensError;
    // The Gemini key travels in the query: it must never reach an error.
    expect(error.url).toBe(`${fake.baseURL}/v1beta/models/gemini-2.5-flash:countTokens?key=REDACTED`);
    expect(`${error.message} ${error.url}`).not.toContain("secret-key");
  });

  it("treats an answer that is not JSON, or has no count, as a failure", async () => {
    let reply: string | object = "<html>bad gateway</html>";
    const fake = await startFakeCountServer((_request, response) => json(response, 200, reply));
    const errors: CountTokensError[] = [];
    const local = tokenizer.count({ provider: "google", model: "gemini-2.5-flash", input: "Hi" });
    expect(await countTokens({ model: "gemini-2.5-flash", input: "Hi", geminiApiKey: "k", geminiBaseURL: fake.baseURL, onError: (error) => errors.push(error) })).toEqual(local);
    reply = { totalTokens: -3 };
    expect(await countTokens({ model: "gemini-2.5-flash", input: "Hi", geminiApiKey: "k", geminiBaseURL: fake.baseURL, onError: (error) => errors.push(error) })).toEqual(local);
    reply = { input_tokens: 4 };
    await expect(countTokens({ model: "gemini-2.5-flash", input: "Hi", geminiApiKey: "k", geminiBaseURL: fake.baseURL, onEndpointError: "throw" })).rejects.toThrow(/without a token count/);
    expect(errors.map((error) => [error.status, error.isRetryable])).toEqual([
      [200, false],
      [200, false],
    ]);
    expect(errors[0]!.message).toContain("invalid JSON");
  });

  it("reports a network failure as retryable with no status", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, {}));
    await fake.close();
    const failure = countTokens({ model: "claude-sonnet-4-5", input: "Hi", anthropicApiKey: "k", anthropicBaseURL: fake.baseURL, onEndpointError: "throw" });
    await expect(failure).rejects.toSatisfy((error: unknown) => CountTokensError.isInstance(error) && error.status === undefined && error.isRetryable && error.cause !== undefined);
  });

  it("rejects with the abort when the caller cancels, never an estimate", async () => {
    const fake = await startFakeCountServer((_request, response) => setTimeout(() => json(response, 200, { input_tokens: 1 }), 2000));
    const controller = new AbortController();
    const errors: unknown[] = [];
    const pending = countTokens({ model: "claude-sonnet-4-5", input: "Hi", anthropicApiKey: "k", anthropicBaseURL: fake.baseURL, signal: controller.signal, onError: (error) => errors.push(error) });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(errors).toEqual([]);
  });
});

describe("countTokens without an endpoint", () => {
  it("counts locally, calling nothing, when no key is given or the model is OpenAI's", async () => {
    const fake = await startFakeCountServer((_request, response) => json(response, 200, { input_tokens: 999, totalTokens: 999 }));
    expect(await countTokens({ model: "claude-sonnet-4-5", input, anthropicBaseURL: fake.baseURL })).toEqual(tokenizer.count({ provider: "anthropic", model: "claude-sonnet-4-5", input }));
    expect(await countTokens({ model: "gemini-2.5-flash", input, geminiBaseURL: fake.baseURL, anthropicApiKey: "k" })).toEqual(tokenizer.count({ provider: "google", model: "gemini-2.5-flash", input }));
    const openAI = await countTokens({ model: "gpt-4o", input: "hello world", anthropicApiKey: "k", geminiApiKey: "k", anthropicBaseURL: fake.baseURL, geminiBaseURL: fake.baseURL });
    expect(openAI).toEqual({ tokens: get_encoding("o200k_base").encode_ordinary("hello world").length, accuracy: "counted" });
    expect(fake.requests).toHaveLength(0);
  });

  it("infers the provider from the model name and uses the given tokenizer", async () => {
    const strict = createTokenizer({ estimate: false });
    await expect(countTokens({ model: "claude-sonnet-4-5", input: "Hi", tokenizer: strict })).rejects.toSatisfy((error: unknown) => CountTokensError.isInstance(error) && error.url === undefined && error.provider === "anthropic");
    expect(await countTokens({ model: "o3-mini", input: "Hi", tokenizer: strict })).toEqual({ tokens: 1, accuracy: "counted" });
  });
});
