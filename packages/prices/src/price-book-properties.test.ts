import { sumDecimalStrings, type TokenUsageV1 } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { priceable, tokens } from "../test/priceable-event";
import { createPriceBook } from "./create-price-book";

/** Models of several providers, flat and tiered, with the units they price; dated so every event takes one price. */
const models = [
  { provider: "openai", model: "gpt-4o-mini-2024-07-18", units: ["web_searches", "file_searches"] },
  { provider: "openai", model: "gpt-4.1-nano", units: [] },
  { provider: "openai", model: "o3-mini", units: [] },
  { provider: "openai", model: "gpt-5", units: ["web_searches"] },
  { provider: "anthropic", model: "claude-sonnet-4-5-20250929", units: ["web_search_requests"] },
  { provider: "anthropic", model: "claude-sonnet-4-6", units: ["web_search_requests"] },
  { provider: "google", model: "gemini-2.5-flash", units: [] },
  { provider: "google", model: "gemini-3-pro-preview", units: [] },
  { provider: "deepseek", model: "deepseek-chat", units: [] },
  { provider: "mistral", model: "mistral-large-latest", units: [] },
] as const;

/** One event's usage. Inputs stay small enough that 20 summed never pass the lowest tier start (128k): linear prices only. */
const usage = fc
  .record({
    input: fc.nat({ max: 6_000 }),
    output: fc.nat({ max: 1_000_000 }),
    read: fc.double({ min: 0, max: 1, noNaN: true }),
    write: fc.double({ min: 0, max: 1, noNaN: true }),
    hour: fc.double({ min: 0, max: 1, noNaN: true }),
    reasoning: fc.double({ min: 0, max: 1, noNaN: true }),
    searches: fc.nat({ max: 20 }),
  })
  .map(({ input, output, read, write, hour, reasoning, searches }) => {
    const cached = Math.floor(input * read);
    const written = Math.floor((input - cached) * write);
    return { usage: tokens({ inputTokens: input, outputTokens: output, cachedInputTokens: cached, cacheWriteInputTokens: written, cacheWrite1hInputTokens: Math.floor(written * hour), reasoningTokens: Math.floor(output * reasoning) }), searches };
  });

function sum(usages: readonly TokenUsageV1[]): TokenUsageV1 {
  const total = tokens({ inputTokens: 0, outputTokens: 0, cacheWrite1hInputTokens: 0 });
  for (const one of usages) {
    total.inputTokens += one.inputTokens;
    total.outputTokens += one.outputTokens;
    total.cachedInputTokens += one.cachedInputTokens;
    total.cacheWriteInputTokens += one.cacheWriteInputTokens;
    total.reasoningTokens += one.reasoningTokens;
    total.cacheWrite1hInputTokens! += one.cacheWrite1hInputTokens ?? 0;
  }
  return total;
}

const canonicalAmount = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;

describe("price book properties", () => {
  it("the sum of per-event costs equals the cost of the summed usage, to the last digit", () => {
    const percent = fc.tuple(fc.integer({ min: -100, max: 500 }), fc.nat({ max: 99 })).map(([whole, cents]) => (whole < 0 || whole === -100 ? String(whole) : `${whole}.${String(cents).padStart(2, "0")}`));
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        fc.array(usage, { minLength: 1, maxLength: 20 }),
        fc.constantFrom("2026-01-15T10:00:00Z", "2026-03-20T20:00:00Z"),
        fc.option(percent, { nil: undefined }),
        ({ provider, model, units }, events, timestamp, markup) => {
          const book = createPriceBook(markup === undefined ? {} : { markups: [{ name: "plan", when: { plan: "pro" }, percent: markup }] });
          const unitsOf = (searches: number): Record<string, number> => Object.fromEntries(units.map((unit) => [unit, searches]));
          const price = (one: TokenUsageV1, searches: number) => book.price(priceable({ provider, model, timestamp, dimensions: { plan: "pro" }, usage: one, units: unitsOf(searches) }));
          const perEvent = events.map(({ usage: one, searches }) => price(one, searches));
          const summed = price(sum(events.map(({ usage: one }) => one)), events.reduce((total, { searches }) => total + searches, 0));
          expect(perEvent.every((cost) => cost !== null && canonicalAmount.test(cost.amount))).toBe(true);
          expect(summed).not.toBeNull();
          expect(sumDecimalStrings(perEvent.map((cost) => cost!.amount))).toBe(summed!.amount);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("prices huge counts at tiny prices exactly (an independent BigInt calculation agrees to the last digit)", () => {
    // gpt-4.1-nano: input 0.1, cache read 0.025, output 0.4 per million, i.e. 100, 25 and 400 per 10^9 tokens.
    const book = createPriceBook();
    const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(count, count, fc.double({ min: 0, max: 1, noNaN: true }), (input, output, read) => {
        const cached = Math.floor(input * read);
        const cost = book.price(priceable({ provider: "openai", model: "gpt-4.1-nano", usage: tokens({ inputTokens: input, outputTokens: output, cachedInputTokens: cached }) }));
        const nanos = BigInt(input - cached) * 100n + BigInt(cached) * 25n + BigInt(output) * 400n;
        const whole = nanos / 10n ** 9n;
        const fraction = (nanos % 10n ** 9n).toString().padStart(9, "0").replace(/0+$/, "");
        expect(cost?.amount).toBe(fraction ? `${whole}.${fraction}` : `${whole}`);
      }),
    );
  });

  it("never loses a digit of a tiny override price times a huge count", () => {
    const book = createPriceBook({ useData: false, overrides: [{ source: "tiny", model: "m", prices: { input: "0.000000000000000001", output: "0" }, }] });
    const cost = book.price(priceable({ provider: "custom", model: "m", usage: tokens({ inputTokens: Number.MAX_SAFE_INTEGER, outputTokens: 0 }) }));
    // 9007199254740991 × 10^-18 / 10^6 = 9007199254740991 × 10^-24.
    expect(cost?.amount).toBe("0.000000009007199254740991");
  });
});
