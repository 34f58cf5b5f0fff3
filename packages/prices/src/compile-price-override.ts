import { type Decimal, parseDecimal } from "@usagepilot/core";
import { unitForEventUnit } from "./event-quantities";
import type { PriceEntry, UnitPrice } from "./price-entry";
import type { PriceOverride } from "./price-override";
import { type PriceUnit, unitForUsageKey } from "./price-unit";

/** An override ready to match events and price them. */
export interface CompiledOverride {
  /** Whether it applies to an event of this provider and model at this time; `genaiModelId` is what the data resolves the model to, if anything. */
  applies(provider: string, model: string, genaiModelId: string | null, at: Date): boolean;
  entry: PriceEntry;
}

function parseTime(value: string | Date | undefined, field: string, source: string): number | undefined {
  if (value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`Price override "${source}": ${field} is not a date: ${String(value)}`);
  return time;
}

function modelMatcher(pattern: string | RegExp): (model: string, genaiModelId: string | null) => boolean {
  if (pattern instanceof RegExp) return (model) => pattern.test(model);
  const lower = pattern.toLowerCase();
  if (lower.includes("*")) {
    const glob = new RegExp(`^${lower.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return (model) => glob.test(model.toLowerCase());
  }
  return (model, genaiModelId) => model.toLowerCase() === lower || genaiModelId === lower;
}

function price(text: string, field: string, source: string): Decimal {
  const value = parseDecimal(text);
  if (value.units < 0n) throw new RangeError(`Price override "${source}": ${field} is negative: ${text}`);
  return value;
}

/**
 * Checks an override and turns its decimal strings into an entry. Configuration errors throw here, when
 * the price book is created, never while metering.
 *
 * @throws RangeError for a price that is not a non-negative decimal string or a date that is not a date.
 */
export function compilePriceOverride(override: PriceOverride): CompiledOverride {
  const source = override.source;
  const from = parseTime(override.from, "from", source);
  const until = parseTime(override.until, "until", source);
  const providers = override.provider === undefined ? null : new Set(typeof override.provider === "string" ? [override.provider] : override.provider);
  const patterns = (Array.isArray(override.model) ? override.model : [override.model]) as (string | RegExp)[];
  const matchers = patterns.map(modelMatcher);
  const prices = override.prices;
  const units = new Map<PriceUnit, UnitPrice>();
  const perMillion = (key: string, text: string | undefined, field: string) => {
    if (text !== undefined) units.set(unitForUsageKey(key)!, { price: { base: price(text, field, source), tiers: [] }, per: 1_000_000n });
  };
  perMillion("input_tokens", prices.input, "input");
  perMillion("output_tokens", prices.output, "output");
  perMillion("cache_read_tokens", prices.cachedInput, "cachedInput");
  perMillion("cache_write_tokens", prices.cacheWrite, "cacheWrite");
  perMillion("cache_write_1h_tokens", prices.cacheWrite1h, "cacheWrite1h");
  const otherUnits = new Map<string, Decimal>();
  for (const [name, text] of Object.entries(prices.units ?? {})) {
    const unit = unitForEventUnit(name);
    const value = price(text, `units.${name}`, source);
    // A unit the data also knows (web_searches) joins its hierarchy; any other is a flat price per unit.
    if (unit) units.set(unit, { price: { base: value, tiers: [] }, per: 1n });
    else otherUnits.set(name, value);
  }
  return {
    applies(provider, model, genaiModelId, at) {
      if (providers && !providers.has(provider)) return false;
      const time = at.getTime();
      if (from !== undefined && time < from) return false;
      if (until !== undefined && time >= until) return false;
      return matchers.some((matches) => matches(model, genaiModelId));
    },
    entry: { source: `override:${source}`, units, otherUnits, minimumAudioSeconds: 0 },
  };
}
