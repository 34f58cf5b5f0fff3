import type { ModelPrice } from "@pydantic/genai-prices";
import { formatDecimal, type TokenUsageV1 } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCost } from "./compute-cost";
import { eventQuantities } from "./event-quantities";
import { genaiPriceEntry } from "./genai-price-entry";
import { priceTokenUsage } from "./price-token-usage";
import type { PriceEntry } from "./price-entry";

const entry = (prices: Record<string, unknown>, minimumAudioSeconds = 0): PriceEntry => genaiPriceEntry("test", prices as ModelPrice, minimumAudioSeconds)!;

/** Price maps of the shapes the data has: flat tokens, cache reads and writes, 1-hour writes, audio and image input, searches. */
const entries = [
  entry({ input_mtok: 0.15, output_mtok: 0.6, cache_read_mtok: 0.075, web_searches_kcount: 10, storage_searches_kcount: 2.5 }),
  entry({ input_mtok: 3, output_mtok: 15, cache_read_mtok: 0.3, cache_write_mtok: 3.75 }),
  entry({ input_mtok: 3, output_mtok: 15, cache_read_mtok: 0.3, cache_write_mtok: 3.75, cache_write_1h_mtok: 6 }),
  entry({ input_mtok: 2.5, output_mtok: 10, input_audio_mtok: 40, cache_audio_read_mtok: 2.5, cache_read_mtok: 1.25, output_audio_mtok: 80 }),
  entry({ input_mtok: 0.1, output_mtok: 0.4, input_image_mtok: 0.2, output_reasoning_mtok: 0.5 }),
  entry({ input_mtok: 1.1, output_mtok: 4.4 }),
];

const count = fc.oneof(fc.constant(undefined), fc.nat({ max: 2_000_000 }), fc.constant(0));
const usage = fc.record({
  inputTokens: fc.nat({ max: 2_000_000 }),
  outputTokens: fc.nat({ max: 2_000_000 }),
  cachedInputTokens: fc.nat({ max: 2_000_000 }),
  cacheWriteInputTokens: fc.nat({ max: 2_000_000 }),
  reasoningTokens: fc.nat({ max: 2_000_000 }),
  cacheWrite1hInputTokens: count,
  audioInputTokens: count,
  cachedAudioInputTokens: count,
  audioOutputTokens: count,
  imageInputTokens: count,
});

function general(prices: PriceEntry, tokens: TokenUsageV1): string | null {
  const quantities = eventQuantities({ usage: tokens, units: {} } as never);
  const cost = quantities && computeCost(prices, quantities);
  return cost ? formatDecimal(cost.amount) : null;
}

function withoutUndefined(tokens: Record<string, number | undefined>): TokenUsageV1 {
  return Object.fromEntries(Object.entries(tokens).filter(([, value]) => value !== undefined)) as unknown as TokenUsageV1;
}

describe("priceTokenUsage", () => {
  it("prices any token usage exactly as the general computation does, subsets larger than their totals included", () => {
    fc.assert(
      fc.property(fc.constantFrom(...entries.keys()), usage, (index, drawn) => {
        const prices = entries[index]!;
        const tokens = withoutUndefined(drawn);
        const fast = priceTokenUsage(prices, tokens);
        if (fast === undefined) return;
        expect(fast === null ? null : formatDecimal(fast.amount)).toBe(general(prices, tokens));
        if (fast) expect(fast.notes).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the common shapes itself", () => {
    const tokens = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 200, cacheWriteInputTokens: 0, reasoningTokens: 0 };
    for (const prices of entries) expect(priceTokenUsage(prices, tokens)).not.toBeUndefined();
    expect(formatDecimal(priceTokenUsage(entries[0]!, tokens)!.amount)).toBe(general(entries[0]!, tokens));
    // More cached tokens than input tokens: no price, as in the general computation.
    expect(priceTokenUsage(entries[1]!, { ...tokens, cachedInputTokens: 5000 })).toBeNull();
    expect(general(entries[1]!, { ...tokens, cachedInputTokens: 5000 })).toBeNull();
  });

  it("leaves to the general computation what needs it: fractions, huge counts, tiers, the 1-hour rule, per-request prices, minimum durations", () => {
    const tokens = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };
    expect(priceTokenUsage(entries[5]!, { ...tokens, outputTokens: 2.5 })).toBeUndefined();
    expect(priceTokenUsage(entries[5]!, { ...tokens, outputTokens: -1 })).toBeUndefined();
    expect(priceTokenUsage(entries[5]!, { ...tokens, inputTokens: 2 ** 45 })).toBeUndefined();
    expect(priceTokenUsage(entry({ input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] }, output_mtok: 15 }), tokens)).toBeUndefined();
    expect(priceTokenUsage(entries[1]!, { ...tokens, cacheWriteInputTokens: 100, cacheWrite1hInputTokens: 40 })).toBeUndefined();
    expect(priceTokenUsage(entries[2]!, { ...tokens, cacheWriteInputTokens: 100, cacheWrite1hInputTokens: 40 })).not.toBeUndefined();
    expect(priceTokenUsage(entry({ input_mtok: 1, output_mtok: 2, requests_kcount: 5 }), tokens)).toBeUndefined();
    expect(priceTokenUsage(entry({ input_mtok: 1, output_mtok: 2 }, 10), tokens)).toBeUndefined();
  });
});
