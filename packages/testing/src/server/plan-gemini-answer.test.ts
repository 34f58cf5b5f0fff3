import { readResponseText } from "../util/read-response-text";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { readSseData } from "../sse/read-sse-data";
import { createFakeLlmServer } from "./create-fake-llm-server";

const server = await createFakeLlmServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
const post = (path: string) => fetch(`${server.url}/v1beta${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });


type Chunk = { candidates?: { content: { parts: { text: string; thought?: boolean }[] }; finishReason?: string }[]; usageMetadata?: Record<string, unknown>; modelVersion?: string; error?: { code: number; status: string } };

describe("Gemini answers of the fake LLM server", () => {
  const usageMetadata = { promptTokenCount: 12, candidatesTokenCount: 40, thoughtsTokenCount: 7, cachedContentTokenCount: 4, toolUsePromptTokenCount: 3 };

  it("generateContent: one JSON answer with the counts, total = prompt + candidates + tool use + thoughts, model from the path", async () => {
    server.enqueue({ kind: "gemini", usageMetadata, content: "Hi there" });
    const response = await post("/models/gemini-2.5-pro:generateContent");
    expect(response.headers.get("content-type")).toContain("application/json");
    const answer = (await response.json()) as Chunk;
    expect(answer.candidates![0]!.content.parts[0]!.text).toBe("Hi there");
    expect(answer.candidates![0]!.finishReason).toBe("STOP");
    expect(answer.modelVersion).toBe("gemini-2.5-pro");
    expect(answer.usageMetadata).toMatchObject({ ...usageMetadata, totalTokenCount: 62 });
    expect(server.served[0]!.usage).toMatchObject({ totalTokenCount: 62 });
  });

  it("streamGenerateContent?alt=sse: CRLF events, a growing snapshot on each, the finish reason and final counts on the last", async () => {
    server.enqueue({ kind: "gemini", usageMetadata, chunks: 4, thoughts: "thinking" });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const { text } = await readResponseText(response);
    expect(text).toContain("\r\n\r\n");
    const chunks = readSseData(text).map((data) => JSON.parse(data) as Chunk);
    expect(chunks).toHaveLength(4);
    expect(chunks.map((chunk) => chunk.usageMetadata!.candidatesTokenCount)).toEqual([10, 20, 30, 40]);
    expect(chunks[0]!.candidates![0]!.content.parts[0]).toEqual({ text: "thinking", thought: true });
    expect(chunks.map((chunk) => chunk.candidates![0]!.finishReason)).toEqual([undefined, undefined, undefined, "STOP"]);
  });

  it("streamGenerateContent without alt=sse: one JSON array, written element by element", async () => {
    server.enqueue({ kind: "gemini", usageMetadata, chunks: 3, snapshots: "last-chunk" });
    const response = await post("/models/gemini-2.5-flash:streamGenerateContent");
    const { text } = await readResponseText(response);
    expect(text.startsWith("[{")).toBe(true);
    expect(text).toContain("\n,\r\n");
    const chunks = JSON.parse(text) as Chunk[];
    expect(chunks.map((chunk) => chunk.usageMetadata === undefined)).toEqual([true, true, false]);
    expect(server.served[0]!.usage).toMatchObject({ candidatesTokenCount: 40 });
  });

  it("gemini-cut: the connection drops mid-stream without a finish reason", async () => {
    server.enqueue({ kind: "gemini-cut", afterChunks: 1, partialBytes: 10, chunks: 3 });
    const { text, failed } = await readResponseText(await post("/models/gemini-2.5-flash:streamGenerateContent"));
    expect(failed).toBe(true);
    expect(text).not.toContain("STOP");
    expect(server.served[0]!.cut).toBe(true);
  });

  it("gemini-stream-error: an error object inside the stream, then the end", async () => {
    server.enqueue({ kind: "gemini-stream-error", afterChunks: 2, status: 429 });
    const { text } = await readResponseText(await post("/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
    const chunks = readSseData(text).map((data) => JSON.parse(data) as Chunk);
    expect(chunks).toHaveLength(3);
    expect(chunks[2]!.error).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED" });
  });

  it("embedContent, batchEmbedContents and countTokens by the path", async () => {
    server.enqueue({ kind: "gemini", usageMetadata: { promptTokenCount: 5 }, dimensions: 3 }, { kind: "gemini" }, { kind: "gemini", usageMetadata: { promptTokenCount: 9 } });
    expect(await (await post("/models/gemini-embedding-001:embedContent")).json()).toMatchObject({ embedding: { values: [expect.any(Number), expect.any(Number), expect.any(Number)] }, usageMetadata: { promptTokenCount: 5 } });
    const batch = await fetch(`${server.url}/v1beta/models/gemini-embedding-001:batchEmbedContents`, { method: "POST", body: JSON.stringify({ requests: [{}, {}] }) });
    const embeddings = (await batch.json()) as { embeddings: unknown[]; usageMetadata?: unknown };
    expect(embeddings.embeddings).toHaveLength(2);
    expect(embeddings.usageMetadata).toBeUndefined();
    expect(await (await post("/models/gemini-2.5-flash:countTokens")).json()).toMatchObject({ totalTokens: 9 });
  });
});
