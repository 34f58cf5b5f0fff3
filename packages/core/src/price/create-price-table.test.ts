import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TokenUsage } from "../event/usage-event";
import { createPriceTable } from "./create-price-table";
import { sumDecimalStrings } from "./decimal";
import type { PriceableEvent } from "./price-book";
import { createTestEvent, testTokens as tokens } from "../test/create-test-event";

const table = createPriceTable({
  source: "contract-2026",
  models: {
    "gpt-4o-mini": { input: "0.15", output: "0.60", cachedInput: "0.075" },
    "gpt-4o": { input: "2.50", output: "10.00", cachedInput: "1.25" },
    "claude-sonnet-4": { input: "3", output: "15", cachedInput: "0.30", cacheWriteInput: "3.75" },
    "dall-e-3": { input: "0", output: "0", units: { images: "0.04" } },
  },
});



function event(model: string | null, usage: TokenUsage | null, units: Record<string, number> = {}): PriceableEvent {
  const { cost: _cost, ...priceable } = createTestEvent({ timestamp: "2026-01-15T10:00:00.000Z", model, usage, units });
  return priceable;
}

describe("createPriceTable", () => {
  it("prices exactly: 800 uncached × 0.15 + 200 cached × 0.075 + 500 out × 0.60 per million", () => {
    expect(table.price(event("gpt-4o-mini", tokens(1000, 500, 200)))).toEqual({ amount: "0.000435", currency: "USD", priceSource: "contract-2026:gpt-4o-mini" });
  });

  it("prices cache writes at their own rate, and reasoning as output", () => {
    // 1000 uncached × 3 + 2000 cached × 0.30 + 1000 written × 3.75 + 100 out × 15 = 3000 + 600 + 3750 + 1500 = 8850 per million.
    expect(table.price(event("claude-sonnet-4-20250514", tokens(4000, 100, 2000, 1000, 60)))?.amount).toBe("0.00885");
  });

  it("matches dated model names by the longest table prefix", () => {
    expect(table.price(event("gpt-4o-mini-2024-07-18", tokens(1000, 500, 200)))?.priceSource).toBe("contract-2026:gpt-4o-mini");
    expect(table.price(event("gpt-4o-2024-08-06", tokens(1_000_000, 0)))).toEqual({ amount: "2.5", currency: "USD", priceSource: "contract-2026:gpt-4o" });
  });

  it("knows no price (null, never 0) for an unknown model, a null model, unmeasured usage or an unpriced unit", () => {
    expect(table.price(event("llama-3-70b", tokens(10, 10)))).toBeNull();
    expect(table.price(event(null, tokens(10, 10)))).toBeNull();
    expect(table.price(event("gpt-4o-mini", null))).toBeNull();
    expect(table.price(event("gpt-4o-mini", tokens(10, 10), { web_searches: 1 }))).toBeNull();
  });

  it("prices units", () => {
    expect(table.price(event("dall-e-3", null, { images: 2 }))?.amount).toBe("0.08");
  });

  it("the sum of per-event costs equals the cost of the summed usage", () => {
    const usage = fc
      .record({ input: fc.nat({ max: 5_000_000 }), output: fc.nat({ max: 5_000_000 }), cachedShare: fc.double({ min: 0, max: 1, noNaN: true }), writeShare: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ input, output, cachedShare, writeShare }) => {
        const cached = Math.floor(input * cachedShare);
        return tokens(input, output, cached, Math.floor((input - cached) * writeShare));
      });
    fc.assert(
      fc.property(fc.constantFrom("gpt-4o-mini", "gpt-4o-2024-08-06", "claude-sonnet-4"), fc.array(usage, { minLength: 1, maxLength: 20 }), (model, usages) => {
        const perEvent = usages.map((one) => table.price(event(model, one))!.amount);
        const summed = usages.reduce((total, one) =>
          tokens(
            total.inputTokens + one.inputTokens,
            total.outputTokens + one.outputTokens,
            total.cachedInputTokens + one.cachedInputTokens,
            total.cacheWriteInputTokens + one.cacheWriteInputTokens,
          ),
        );
        expect(sumDecimalStrings(perEvent)).toBe(table.price(event(model, summed))!.amount);
      }),
    );
  });
});
