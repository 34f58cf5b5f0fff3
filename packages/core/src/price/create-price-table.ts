import type { CostV1 } from "../event/usage-event-v1";
import { addDecimal, type Decimal, formatDecimal, parseDecimal, scaleDecimal } from "./decimal";
import type { PriceableEvent, PriceBookV1 } from "./price-book";

/** Prices of one model in USD per million tokens (decimal strings), and per unit. */
export interface ModelPrice {
  input: string;
  output: string;
  /** Cache reads; default the input price. */
  cachedInput?: string;
  /** Cache writes; default the input price. */
  cacheWriteInput?: string;
  /** USD per one unit, by unit name (e.g. { images: "0.04" }). */
  units?: Record<string, string>;
}

/**
 * A price book from a fixed table, e.g. negotiated rates. Models match exactly, then by the longest
 * table key that the model starts with ("gpt-4o-mini" prices "gpt-4o-mini-2024-07-18").
 *
 * @example
 * createPriceTable({ source: "contract-2026", models: { "gpt-4o-mini": { input: "0.15", output: "0.60", cachedInput: "0.075" } } })
 */
export function createPriceTable(options: { source: string; models: Record<string, ModelPrice> }): PriceBookV1 {
  const entries = Object.entries(options.models).map(([model, price]) => ({
    model,
    input: parseDecimal(price.input),
    output: parseDecimal(price.output),
    cachedInput: parseDecimal(price.cachedInput ?? price.input),
    cacheWriteInput: parseDecimal(price.cacheWriteInput ?? price.input),
    units: Object.fromEntries(Object.entries(price.units ?? {}).map(([unit, value]) => [unit, parseDecimal(value)])),
  }));
  entries.sort((a, b) => b.model.length - a.model.length);
  return {
    specificationVersion: "v1",
    price(event: PriceableEvent): CostV1 | null {
      if (event.model === null) return null;
      const model = event.model;
      const entry = entries.find((candidate) => candidate.model === model) ?? entries.find((candidate) => model.startsWith(candidate.model));
      if (!entry) return null;
      let total: Decimal = { units: 0n, scale: 0 };
      const usage = event.usage;
      if (usage) {
        const uncached = usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteInputTokens;
        total = addDecimal(total, scaleDecimal(entry.input, uncached, 6));
        total = addDecimal(total, scaleDecimal(entry.cachedInput, usage.cachedInputTokens, 6));
        total = addDecimal(total, scaleDecimal(entry.cacheWriteInput, usage.cacheWriteInputTokens, 6));
        total = addDecimal(total, scaleDecimal(entry.output, usage.outputTokens, 6));
      }
      for (const [unit, count] of Object.entries(event.units)) {
        const price = entry.units[unit];
        // A unit without a price makes the whole cost unknown rather than silently cheaper.
        if (price === undefined) return null;
        total = addDecimal(total, { units: price.units * BigInt(Math.round(count * 1e6)), scale: price.scale + 6 });
      }
      if (!usage && Object.keys(event.units).length === 0) return null;
      return { amount: formatDecimal(total), currency: "USD", priceSource: `${options.source}:${entry.model}` };
    },
  };
}
