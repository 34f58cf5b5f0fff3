import type { TokenizerV1, TokenUsageV1 } from "@usagepilot/core";
import { describeProviderConformance, type ProviderConformanceCase } from "@usagepilot/core/test";
import { fixtureBody, fixturesDir } from "@usagepilot/testing";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createOpenAIAdapter } from "./create-openai-adapter";

const chatUrl = "https://api.openai.com/v1/chat/completions";
const responsesUrl = "https://api.openai.com/v1/responses";
const question = [{ role: "user", content: "What is the capital of France? Answer at length." }];

const usage = (inputTokens: number, cachedInputTokens: number, cacheWriteInputTokens: number, outputTokens: number, reasoningTokens: number): TokenUsageV1 => ({
  inputTokens,
  cachedInputTokens,
  cacheWriteInputTokens,
  outputTokens,
  reasoningTokens,
});

/** A recorded fixture as a conformance case, replayed with the bytes and content type the fake server sends. */
function fixtureCase(file: string, url: string, body: Record<string, unknown>, expected: ProviderConformanceCase["expect"]): ProviderConformanceCase {
  const { bytes, contentType } = fixtureBody(join(fixturesDir(), file));
  return { name: file, request: { url, body }, response: { headers: { "content-type": contentType, "x-request-id": "req_fixture" }, body: bytes }, expect: expected };
}

// The numbers of ../shared/fixtures/SOURCES.md, in the contract's terms.
const cases: ProviderConformanceCase[] = [
  fixtureCase("openai/chat-nonstream-gpt-4.1-nano.json", chatUrl, { model: "gpt-4.1-nano", messages: question }, {
    provider: "openai", operation: "chat", model: "gpt-4.1-nano-2025-04-14", usage: usage(16, 0, 0, 363, 0), status: "ok", streamed: false,
  }),
  fixtureCase("openai/chat-nonstream-reasoning.json", chatUrl, { model: "o3-mini", messages: question }, {
    provider: "openai", operation: "chat", model: "o3-mini-2025-01-31", usage: usage(577, 0, 0, 2320, 1792), status: "ok", streamed: false,
  }),
  fixtureCase("openai/chat-stream-gpt-4.1-nano.chunks.jsonl", chatUrl, { model: "gpt-4.1-nano", messages: question, stream: true }, {
    provider: "openai", operation: "chat", model: "gpt-4.1-nano-2025-04-14", usage: usage(16, 0, 0, 300, 0), status: "ok", streamed: true,
  }),
  fixtureCase(
    "openai/chat-stream-include-usage-gpt-4o-mini-toolcall.sse",
    chatUrl,
    {
      model: "gpt-4o-mini",
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: "function", function: { name: "get_capital", parameters: { type: "object", properties: { country: { type: "string" } } } } }],
    },
    { provider: "openai", operation: "chat", model: "gpt-4o-mini-2024-07-18", usage: usage(53, 0, 0, 15, 0), status: "ok", streamed: true },
  ),
  fixtureCase("openai/responses-stream-usage-reasoning.sse", responsesUrl, { model: "gpt-5", input: "What is the capital of France?", instructions: "Be brief.", stream: true }, {
    provider: "openai", operation: "responses", model: "gpt-5-2025-08-07", usage: usage(53, 0, 0, 469, 448), status: "ok", streamed: true,
  }),
  fixtureCase("openai/responses-stream-failed-insufficient-quota.chunks.jsonl", responsesUrl, { model: "gpt-5-nano", input: "Hello", stream: true }, {
    provider: "openai", operation: "responses", model: "gpt-5-nano-2025-08-07", usage: null, accuracy: "reported", status: "error", streamed: true,
  }),
];

// An error OpenAI sends inside a stream: `event: error` (as the Responses API frames it, and as chat
// streams may) with the Responses API's `type` and OpenAI's error object.
const streamErrorEvent =
  'event: error\ndata: {"type":"error","sequence_number":1,"error":{"type":"server_error","code":"server_error","message":"The server had an error while processing your request. Sorry about that!","param":null}}\n\n';

/** Counts whitespace-separated words, exactly: enough to prove cut streams are counted, not to bill. */
const wordTokenizer: TokenizerV1 = {
  specificationVersion: "v1",
  count({ input }) {
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    if (typeof input === "string") return { tokens: words(input), accuracy: "counted" };
    const text = [input.system ?? "", input.tools ?? "", ...input.messages.map((message) => `${message.role} ${message.name ?? ""} ${message.content}`)].join(" ");
    return { tokens: words(text), accuracy: "counted" };
  },
};

describeProviderConformance({ name: "OpenAI", adapter: () => createOpenAIAdapter(), cases, runner: { describe, it, expect }, streamErrorEvent });

describeProviderConformance({ name: "OpenAI with a tokenizer", adapter: () => createOpenAIAdapter(), cases, runner: { describe, it, expect }, streamErrorEvent, tokenizer: wordTokenizer });
