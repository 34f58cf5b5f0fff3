import { createAnthropic } from "@ai-sdk/anthropic";
import { generateText, streamText } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anthropicFixture, anthropicFixtures } from "./anthropic-fixture-cases";
import { createHarness, type Harness } from "./meter-harness";

const tenant = { "x-user-id": "user-2", "x-org-id": "org-2", "x-feature": "analysis" };

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(() => harness.close());

// The AI SDK's base URL ends in /v1 and it appends /messages.
const providers = () => ({
  metered: createAnthropic({ apiKey: "test", baseURL: `${harness.server.url}/v1`, fetch: harness.fetchWithUsage }),
  plain: createAnthropic({ apiKey: "test", baseURL: `${harness.server.url}/v1` }),
});

describe("the AI SDK (createAnthropic({ fetch })) through usage.createFetch: every recorded fixture", () => {
  for (const fixture of anthropicFixtures) {
    const file = anthropicFixture(fixture.file);
    const expected = { provider: "anthropic", operation: "messages", model: fixture.model, usage: fixture.usage, units: {}, status: "ok", accuracy: "reported", streamed: fixture.streamed };

    it(`${fixture.file} with generateText and streamText: same text as without metering; each event carries the SOURCES.md usage`, async () => {
      const { metered, plain } = providers();
      // The AI SDK asks for a stream in streamText and for JSON in generateText; the fixture answers both as recorded.
      for (let index = 0; index < 2; index += 1) harness.server.enqueue({ kind: "replay", file, splitEvery: 11 });
      const call = fixture.streamed
        ? async (provider: typeof metered, headers?: Record<string, string>) => {
            const result = streamText({ model: provider(fixture.requestedModel), prompt: "Say hello", maxRetries: 0, ...(headers ? { headers } : {}) });
            return { text: await result.text, usage: await result.usage };
          }
        : async (provider: typeof metered, headers?: Record<string, string>) => {
            const result = await generateText({ model: provider(fixture.requestedModel), prompt: "Say hello", maxRetries: 0, ...(headers ? { headers } : {}) });
            return { text: result.text, usage: result.usage };
          };
      const viaMeter = await call(metered, tenant);
      const direct = await call(plain);
      expect(viaMeter).toEqual(direct);
      expect(viaMeter.text.length).toBeGreaterThan(0);
      const [event] = await harness.events();
      expect(event).toMatchObject({ ...expected, dimensions: { user_id: "user-2", organization_id: "org-2", feature: "analysis" } });
      expect(event!.usage).toEqual(fixture.usage);
      // Where the AI SDK reads the same counts (no compaction pass to add), it agrees with the event.
      if (!fixture.file.includes("compaction")) {
        expect(event!.usage!.inputTokens).toBe(viaMeter.usage.inputTokens);
        expect(event!.usage!.outputTokens).toBe(viaMeter.usage.outputTokens);
        expect(event!.usage!.cachedInputTokens).toBe(viaMeter.usage.inputTokenDetails.cacheReadTokens);
      }
    });
  }
});

describe("the AI SDK through usage.createFetch: synthesised traffic", () => {
  it("streamText with 1-hour cache writes, thinking and web searches", async () => {
    harness.server.enqueue({
      kind: "anthropic",
      usage: { input_tokens: 20, cache_read_input_tokens: 64, cache_creation_input_tokens: 2048, cache_creation: { ephemeral_5m_input_tokens: 48, ephemeral_1h_input_tokens: 2000 }, output_tokens: 90, output_tokens_details: { thinking_tokens: 60 }, server_tool_use: { web_search_requests: 4 } },
      thinking: "Searching first.",
      chunks: 9,
    });
    const { metered } = providers();
    const result = streamText({ model: metered("claude-sonnet-4-6"), prompt: "What happened today?", headers: tenant, maxRetries: 0 });
    await result.text;
    const sdkUsage = await result.usage;
    const [event] = await harness.events();
    expect(event).toMatchObject({
      model: "claude-sonnet-4-6",
      usage: { inputTokens: 2132, cachedInputTokens: 64, cacheWriteInputTokens: 2048, cacheWrite1hInputTokens: 2000, outputTokens: 90, reasoningTokens: 60 },
      units: { web_search_requests: 4 },
      status: "ok",
      streamed: true,
    });
    expect(event!.usage!.inputTokens).toBe(sdkUsage.inputTokens);
    expect(event!.usage!.cacheWriteInputTokens).toBe(sdkUsage.inputTokenDetails.cacheWriteTokens);
    expect(event!.usage!.reasoningTokens).toBe(sdkUsage.outputTokenDetails.reasoningTokens);
  });

  it("an in-stream error: the AI SDK reports it as without metering, and the event is an error", async () => {
    harness.server.enqueue({ kind: "anthropic", usage: { input_tokens: 9, output_tokens: 30 }, errorAfterEvents: 5, error: { type: "api_error", message: "Internal server error" } });
    const { metered } = providers();
    const errors: unknown[] = [];
    const result = streamText({ model: metered("claude-sonnet-4-6"), prompt: "hi", headers: tenant, maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    await result.consumeStream();
    expect(JSON.stringify(errors)).toContain("Internal server error");
    const [event] = await harness.events();
    expect(event).toMatchObject({ status: "error", usage: null, streamed: true });
  });
});
