import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTestEvent } from "../test/create-test-event";
import { clampUsageSubsets } from "./clamp-usage-subsets";
import { validateUsageEvent } from "./validate-usage-event";

const count = fc.integer({ min: 0, max: 1_000_000 });
const optional = fc.option(count, { nil: undefined });

describe("clampUsageSubsets", () => {
  it("keeps totals and cuts every subset to fit, whatever the counts", () => {
    fc.assert(
      fc.property(
        fc.record({ inputTokens: count, outputTokens: count, cachedInputTokens: count, cacheWriteInputTokens: count, reasoningTokens: count, cacheWrite1hInputTokens: optional, audioInputTokens: optional, cachedAudioInputTokens: optional, imageInputTokens: optional, audioOutputTokens: optional, rejectedPredictionTokens: optional }),
        (raw) => {
          const usage = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)) as typeof raw;
          const clamped = clampUsageSubsets(usage);
          expect(validateUsageEvent(createTestEvent({ usage: clamped }))).toEqual([]);
          expect([clamped.inputTokens, clamped.outputTokens]).toEqual([usage.inputTokens, usage.outputTokens]);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("leaves consistent usage exactly as it was", () => {
    const usage = { inputTokens: 100, outputTokens: 50, cachedInputTokens: 60, cacheWriteInputTokens: 40, reasoningTokens: 50, cacheWrite1hInputTokens: 10 };
    expect(clampUsageSubsets(usage)).toEqual(usage);
  });
});
