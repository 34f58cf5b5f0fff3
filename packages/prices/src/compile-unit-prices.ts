import { type Decimal, parseDecimal } from "@usagepilot/core";
import { unitForEventUnit } from "./event-quantities";
import type { PriceEntry, UnitPrice } from "./price-entry";
import type { PriceUnit } from "./price-unit";

/** Unit prices for one provider, ready to add to the data's entries. */
export interface CompiledUnitPrices {
  units: ReadonlyMap<PriceUnit, UnitPrice>;
  otherUnits: ReadonlyMap<string, Decimal>;
}

// The data's price map with a provider's unit prices added, made once per pair.
const merged = new WeakMap<ReadonlyMap<PriceUnit, UnitPrice>, WeakMap<CompiledUnitPrices, ReadonlyMap<PriceUnit, UnitPrice>>>();

/**
 * Checks the `unitPrices` option (provider → unit name → USD per one unit, decimal strings) and turns it
 * into prices. Configuration errors throw here, when the price book is made.
 *
 * @throws RangeError for a price that is not a non-negative decimal string.
 */
export function compileUnitPrices(option: Readonly<Record<string, Readonly<Record<string, string>>>>): Map<string, CompiledUnitPrices> {
  const result = new Map<string, CompiledUnitPrices>();
  for (const [provider, prices] of Object.entries(option)) {
    const units = new Map<PriceUnit, UnitPrice>();
    const otherUnits = new Map<string, Decimal>();
    for (const [name, text] of Object.entries(prices)) {
      const value = parseDecimal(text);
      if (value.units < 0n) throw new RangeError(`unitPrices.${provider}.${name} is negative: ${text}`);
      const unit = unitForEventUnit(name);
      if (unit) units.set(unit, { price: { base: value, tiers: [] }, per: 1n });
      else otherUnits.set(name, value);
    }
    result.set(provider, { units, otherUnits });
  }
  return result;
}

/** The entry with the provider's unit prices added; where both price a unit, the unit price wins over the data's. */
export function withUnitPrices(entry: PriceEntry, extra: CompiledUnitPrices): PriceEntry {
  let byExtra = merged.get(entry.units);
  if (!byExtra) {
    byExtra = new WeakMap();
    merged.set(entry.units, byExtra);
  }
  let units = byExtra.get(extra);
  if (!units) {
    units = new Map([...entry.units, ...extra.units]);
    byExtra.set(extra, units);
  }
  return { ...entry, units, otherUnits: new Map([...entry.otherUnits, ...extra.otherUnits]) };
}
