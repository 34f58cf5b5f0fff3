import { measuredBy } from "@usagepilot/core/test";
import type { FakeGeminiUsage } from "@usagepilot/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./meter-harness";

// One answer's usage, served as generateContent JSON, as an SSE stream and as a streamed JSON array, with a
// usage snapshot on every chunk or on the last only: however it was framed, the event must say the same.

const count = fc.nat({ max: 500_000 });
const usage: fc.Arbitrary<FakeGeminiUsage> = fc
  .record({
    prompt: fc.integer({ min: 1, max: 500_000 }),
    cachedShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    candidates: fc.option(count, { nil: undefined }),
    thoughts: fc.option(count, { nil: undefined }),
    toolUse: fc.option(count, { nil: undefined }),
    imageShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map(({ prompt, cachedShare, candidates, thoughts, toolUse, imageShare }) => {
    const image = imageShare === undefined ? undefined : Math.floor(prompt * imageShare);
    return {
      promptTokenCount: prompt,
      ...(cachedShare === undefined ? {} : { cachedContentTokenCount: Math.floor(prompt * cachedShare) }),
      ...(candidates === undefined ? {} : { candidatesTokenCount: candidates }),
      ...(thoughts === undefined ? {} : { thoughtsTokenCount: thoughts }),
      ...(toolUse === undefined ? {} : { toolUsePromptTokenCount: toolUse }),
      ...(image === undefined ? {} : { promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt - image }, { modality: "IMAGE", tokenCount: image }] }),
    };
  });

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(() => harness.close());

const framings = ["generateContent", "streamGenerateContent?alt=sse", "streamGenerateContent"] as const;

function recorded(framing: (typeof framings)[number], answer: FakeGeminiUsage, snapshots: "every-chunk" | "last-chunk") {
  harness.server.enqueue({ kind: "gemini", usageMetadata: answer, snapshots, chunks: 3 });
  const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
  const url = `${harness.geminiBaseURL}/models/gemini-2.5-flash:${framing}`;
  return harness.recordOne(() => harness.fetchWithUsage(url, { method: "POST", headers: { "content-type": "application/json", "x-user-id": "user-1" }, body: JSON.stringify(body) }));
}

describe("Gemini: one usage, framed three ways", () => {
  it("is recorded with the same usage, model and status as JSON, SSE or a streamed JSON array", async () => {
    await fc.assert(
      fc.asyncProperty(usage, fc.constantFrom("every-chunk" as const, "last-chunk" as const), async (answer, snapshots) => {
        const [json, sse, array] = [await recorded(framings[0], answer, snapshots), await recorded(framings[1], answer, snapshots), await recorded(framings[2], answer, snapshots)];
        expect([json.streamed, sse.streamed, array.streamed]).toEqual([false, true, true]);
        expect(json.accuracy).toBe("reported");
        expect(measuredBy(sse)).toEqual(measuredBy(json));
        expect(measuredBy(array)).toEqual(measuredBy(json));
        expect(harness.errors).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
