import type { ModelPrice } from "@pydantic/genai-prices";
import type { Decimal } from "@usagepilot/core";
import { numberToDecimal } from "./number-to-decimal";
import type { PriceEntry, TieredPrice, UnitPrice } from "./price-entry";
import { type PriceUnit, unitForPriceKey } from "./price-unit";

// Converted once per price object of the data and kept while the data is alive: pricing an event does
// no conversion, and data replaced by a genai-prices update is released with it.
const converted = new WeakMap<ModelPrice, ReadonlyMap<PriceUnit, UnitPrice> | null>();

function tiered(value: unknown): TieredPrice | null {
  if (typeof value === "number") return value >= 0 ? { base: numberToDecimal(value), tiers: [] } : null;
  if (typeof value !== "object" || value === null) return null;
  const { base, tiers } = value as { base?: unknown; tiers?: unknown };
  if (typeof base !== "number" || base < 0 || !Array.isArray(tiers)) return null;
  const steps: { start: number; price: Decimal }[] = [];
  for (const tier of tiers as unknown[]) {
    const { start, price } = (tier ?? {}) as { start?: unknown; price?: unknown };
    if (typeof start !== "number" || !Number.isSafeInteger(start) || start < 0 || typeof price !== "number" || price < 0) return null;
    steps.push({ start, price: numberToDecimal(price) });
  }
  steps.sort((a, b) => a.start - b.start);
  return { base: numberToDecimal(base), tiers: steps };
}

/**
 * The prices of one genai-prices model price as exact decimals, keyed by unit: each JS number is read as
 * the decimal it is written as (0.075 is "0.075"), never multiplied as a float. Price keys this package
 * does not know are left out (nothing the event reports falls under them); a malformed price makes the
 * whole entry unusable (null), so the event gets no price rather than a wrong one.
 */
export function genaiUnitPrices(prices: ModelPrice): ReadonlyMap<PriceUnit, UnitPrice> | null {
  const cached = converted.get(prices);
  if (cached !== undefined) return cached;
  let result: Map<PriceUnit, UnitPrice> | null = new Map();
  for (const [key, value] of Object.entries(prices)) {
    if (value === undefined) continue;
    const unit = unitForPriceKey(key);
    if (!unit) continue;
    const price = tiered(value);
    if (!price) {
      result = null;
      break;
    }
    result.set(unit, { price, per: unit.per });
  }
  converted.set(prices, result);
  return result;
}

/** A price entry from genai-prices data. */
export function genaiPriceEntry(source: string, prices: ModelPrice, minimumAudioSeconds = 0): PriceEntry | null {
  const units = genaiUnitPrices(prices);
  return units ? { source, units, otherUnits: new Map(), minimumAudioSeconds } : null;
}
