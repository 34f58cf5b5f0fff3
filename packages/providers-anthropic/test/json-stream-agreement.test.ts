import { measuredBy } from "@usagepilot/core/test";
import type { FakeAnthropicUsage } from "@usagepilot/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";

// The same message answered as JSON and as a stream carries the same counts, so it must be
// recorded the same: the stream's path (message_start, then message_delta's cumulative counts) and the JSON
// path are two readings of one usage.

const count = fc.nat({ max: 400_000 });
const usage: fc.Arbitrary<FakeAnthropicUsage> = fc
  .record({
    input: count,
    output: fc.integer({ min: 1, max: 64_000 }),
    read: fc.option(count, { nil: undefined }),
    fiveMinutes: fc.option(count, { nil: undefined }),
    oneHour: fc.option(count, { nil: undefined }),
    thinkingShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    searches: fc.option(fc.nat({ max: 9 }), { nil: undefined }),
  })
  .map(({ input, output, read, fiveMinutes, oneHour, thinkingShare, searches }) => {
    const written = fiveMinutes === undefined && oneHour === undefined ? undefined : (fiveMinutes ?? 0) + (oneHour ?? 0);
    return {
      input_tokens: input,
      output_tokens: output,
      ...(read === undefined ? {} : { cache_read_input_tokens: read }),
      ...(written === undefined ? {} : { cache_creation_input_tokens: written, cache_creation: { ephemeral_5m_input_tokens: fiveMinutes ?? 0, ephemeral_1h_input_tokens: oneHour ?? 0 } }),
      ...(thinkingShare === undefined ? {} : { output_tokens_details: { thinking_tokens: Math.floor(output * thinkingShare) } }),
      ...(searches === undefined ? {} : { server_tool_use: { web_search_requests: searches } }),
    };
  });

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(() => harness.close());

const headers = { "content-type": "application/json", "x-api-key": "test", "anthropic-version": "2023-06-01", "x-user-id": "user-1" };

function recorded(stream: boolean, answer: FakeAnthropicUsage) {
  harness.server.enqueue({ kind: "anthropic", usage: answer, ...(stream ? { chunks: 3 } : {}) });
  const body = { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "hi" }], ...(stream ? { stream: true } : {}) };
  return harness.recordOne(() => harness.fetchWithUsage(`${harness.server.url}/v1/messages`, { method: "POST", headers, body: JSON.stringify(body) }));
}

describe("Anthropic: one usage, answered as JSON and as a stream", () => {
  it("is recorded with the same usage, units and status either way", async () => {
    await fc.assert(
      fc.asyncProperty(usage, async (answer) => {
        const json = await recorded(false, answer);
        const streamed = await recorded(true, answer);
        expect(streamed.streamed).toBe(true);
        expect(json.streamed).toBe(false);
        expect(json.accuracy).toBe("reported");
        expect(measuredBy(streamed)).toEqual(measuredBy(json));
        expect(harness.errors).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
