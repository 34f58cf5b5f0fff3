import type { TokenUsageV1 } from "@usagepilot/core";
import type { ProviderConformanceCase } from "@usagepilot/core/test";
import { fixtureBody, fixturesDir } from "@usagepilot/testing";
import { join } from "node:path";

/** The usage SOURCES.md lists for a fixture, in the contract's terms. */
export function sourcesUsage(inputTokens: number, cachedInputTokens: number, cacheWriteInputTokens: number, outputTokens: number, reasoningTokens: number): TokenUsageV1 {
  return { inputTokens, cachedInputTokens, cacheWriteInputTokens, outputTokens, reasoningTokens };
}

/** The absolute path of a recorded Anthropic fixture. */
export const anthropicFixture = (name: string) => join(fixturesDir(), "anthropic", name);

/** One recorded Anthropic answer and what SOURCES.md says it must yield. */
export interface AnthropicFixture {
  file: string;
  model: string;
  usage: TokenUsageV1;
  streamed: boolean;
  /** What the request asked for (the recorded answer names the dated model). */
  requestedModel: string;
}

// The numbers of ../shared/fixtures/SOURCES.md, copied by hand: the tests check the code against them.
export const anthropicFixtures: readonly AnthropicFixture[] = [
  { file: "messages-nonstream-basic.json", model: "claude-sonnet-4-5-20250929", usage: sourcesUsage(12, 0, 0, 29, 0), streamed: false, requestedModel: "claude-sonnet-4-5" },
  { file: "messages-nonstream-cache-1.json", model: "claude-sonnet-4-5-20250929", usage: sourcesUsage(1114, 1111, 0, 406, 0), streamed: false, requestedModel: "claude-sonnet-4-5" },
  { file: "messages-stream-basic-padded.sse", model: "claude-sonnet-4-5-20250929", usage: sourcesUsage(17, 0, 0, 10, 0), streamed: true, requestedModel: "claude-sonnet-4-5" },
  { file: "messages-stream-compaction-cache-read-iterations.sse", model: "claude-sonnet-4-6", usage: sourcesUsage(55377, 55096, 0, 91, 0), streamed: true, requestedModel: "claude-sonnet-4-6" },
];

/** A Messages request body as the SDKs send it. */
export function messagesRequest(model: string, streamed: boolean): Record<string, unknown> {
  return { model, max_tokens: 1024, system: "You are terse.", messages: [{ role: "user", content: "Say hello to the conformance suite" }], ...(streamed ? { stream: true } : {}) };
}

/** Every recorded Anthropic answer as a conformance case against api.anthropic.com. */
export const anthropicConformanceCases: ProviderConformanceCase[] = anthropicFixtures.map((fixture) => {
  const { bytes, contentType } = fixtureBody(anthropicFixture(fixture.file));
  return {
    name: fixture.file,
    request: { url: "https://api.anthropic.com/v1/messages", headers: { "anthropic-version": "2023-06-01" }, body: messagesRequest(fixture.requestedModel, fixture.streamed) },
    response: { headers: { "content-type": contentType, "request-id": "req_conformance" }, body: bytes },
    expect: { provider: "anthropic", operation: "messages", model: fixture.model, usage: fixture.usage, status: "ok", streamed: fixture.streamed },
  };
});
