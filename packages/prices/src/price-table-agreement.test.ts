import { createPriceTable, type PriceableEvent } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPriceBook } from "./create-price-book";

// Core's createPriceTable and this package's overrides are two implementations of one rule (a fixed price per
// million input, cached, cache-write and output tokens, and per unit): given the same prices they must charge
// the same for any event, to the last digit, and both know nothing of a unit they were given no price for.

const decimal = fc.tuple(fc.nat({ max: 99 }), fc.nat({ max: 999_999 })).map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, "0")}`.replace(/\.?0+$/, "") || "0");

const prices = fc.record({
  input: decimal,
  output: decimal,
  cachedInput: fc.option(decimal, { nil: undefined }),
  cacheWrite: fc.option(decimal, { nil: undefined }),
  images: fc.option(decimal, { nil: undefined }),
});

// Subsets never larger than their totals, as every event that passed validation has them.
const usage = fc
  .record({ input: fc.nat({ max: 3_000_000 }), output: fc.nat({ max: 3_000_000 }), cached: fc.double({ min: 0, max: 1, noNaN: true }), written: fc.double({ min: 0, max: 1, noNaN: true }), reasoning: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ input, output, cached, written, reasoning }) => {
    const cachedInputTokens = Math.floor(input * cached);
    return { inputTokens: input, outputTokens: output, cachedInputTokens, cacheWriteInputTokens: Math.floor((input - cachedInputTokens) * written), reasoningTokens: Math.floor(output * reasoning) };
  });

describe("createPriceTable and createPriceBook's overrides", () => {
  it("charge the same for any usage and units, to the last digit", () => {
    fc.assert(
      fc.property(prices, fc.option(usage, { nil: null }), fc.dictionary(fc.constantFrom("images", "seconds"), fc.integer({ min: 1, max: 50 }), { maxKeys: 2 }), (given, tokens, units) => {
        const table = createPriceTable({
          source: "table",
          models: { "model-x": { input: given.input, output: given.output, ...(given.cachedInput ? { cachedInput: given.cachedInput } : {}), ...(given.cacheWrite ? { cacheWriteInput: given.cacheWrite } : {}), ...(given.images ? { units: { images: given.images } } : {}) } },
        });
        const book = createPriceBook({
          useData: false,
          overrides: [
            {
              source: "book",
              model: "model-x",
              prices: { input: given.input, output: given.output, ...(given.cachedInput ? { cachedInput: given.cachedInput } : {}), ...(given.cacheWrite ? { cacheWrite: given.cacheWrite } : {}), ...(given.images ? { units: { images: given.images } } : {}) },
            },
          ],
        });
        const event: PriceableEvent = {
          schemaVersion: 1,
          id: "0198c5c0-0000-7000-8000-000000000000",
          timestamp: "2026-11-30T00:00:00.000Z",
          dimensions: {},
          provider: "custom",
          operation: "chat",
          model: "model-x",
          usage: tokens,
          units,
          accuracy: "reported",
          status: "ok",
          streamed: false,
          latencyMs: 1,
          providerRequestId: null,
        };
        expect(book.price(event)?.amount ?? null).toBe(table.price(event)?.amount ?? null);
      }),
      { numRuns: 2000 },
    );
  });
});
