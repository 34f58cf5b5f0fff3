import { measuredBy } from "@usagepilot/core/test";
import type { FakeChatUsage, FakeResponsesUsage } from "@usagepilot/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";

// One answer's usage, served as JSON and as a stream (Chat Completions with the usage chunk the metered
// fetch asks for, or the Responses API's response.completed): the event must say the same either way.

const counts = fc
  .record({ input: fc.nat({ max: 1_000_000 }), output: fc.nat({ max: 200_000 }), cachedShare: fc.double({ min: 0, max: 1, noNaN: true }), reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ input, output, cachedShare, reasoningShare }) => ({ input, output, cached: Math.floor(input * cachedShare), reasoning: Math.floor(output * reasoningShare) }));

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(() => harness.close());

const headers = { "content-type": "application/json", authorization: "Bearer sk-test", "x-user-id": "user-1" };

function recorded(path: "chat/completions" | "responses", body: Record<string, unknown>) {
  return harness.recordOne(() => harness.fetchWithUsage(`${harness.server.baseURL}/${path}`, { method: "POST", headers, body: JSON.stringify(body) }));
}

async function bothWays(path: "chat/completions" | "responses", enqueue: () => void, body: Record<string, unknown>) {
  enqueue();
  const json = await recorded(path, body);
  enqueue();
  const streamed = await recorded(path, { ...body, stream: true });
  expect([json.streamed, streamed.streamed]).toEqual([false, true]);
  expect(json.accuracy).toBe("reported");
  expect(measuredBy(streamed)).toEqual(measuredBy(json));
  expect(harness.errors).toEqual([]);
}

describe("OpenAI: one usage, answered as JSON and as a stream", () => {
  it("Chat Completions records the same usage either way", async () => {
    await fc.assert(
      fc.asyncProperty(counts, async ({ input, output, cached, reasoning }) => {
        const usage: FakeChatUsage = { prompt_tokens: input, completion_tokens: output, cached_tokens: cached, reasoning_tokens: reasoning };
        await bothWays("chat/completions", () => harness.server.enqueue({ kind: "chat", usage, chunks: 3 }), { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
      }),
      { numRuns: 40 },
    );
  });

  it("the Responses API records the same usage either way", async () => {
    await fc.assert(
      fc.asyncProperty(counts, async ({ input, output, cached, reasoning }) => {
        const usage: FakeResponsesUsage = { input_tokens: input, output_tokens: output, cached_tokens: cached, reasoning_tokens: reasoning };
        await bothWays("responses", () => harness.server.enqueue({ kind: "responses", usage, chunks: 3 }), { model: "gpt-4.1-nano", input: "hi" });
      }),
      { numRuns: 40 },
    );
  });
});
