import { powerOfTen, type TokenUsageV1 } from "@usagepilot/core";
import { bigintProduct, chargesPerRequest, type ComputedCost, derives1hWrites, noNotes } from "./compute-cost";
import { powerOfTenExponent } from "./divide-decimal";
import { usageFieldUnits } from "./event-quantities";
import type { PriceEntry, UnitPrice } from "./price-entry";
import type { PriceUnit } from "./price-unit";
import { isCovered, planFor, unreportedParts } from "./pricing-plan";

/**
 * One shape of token usage priced with one price map, as sums: each priced unit's share is a fixed
 * combination of the usage fields (its own count, or its reported subsets', less what the more specific
 * priced units inside it take), so pricing an event is a few integer sums and one bigint product per unit.
 */
interface LinearCost {
  /** Per priced unit: the coefficient of each usage field in its share, and its price at `scale`. */
  terms: readonly { coefficients: readonly number[]; price: bigint }[];
  scale: number;
}

const fieldCount = usageFieldUnits.length;
const fieldOfUnit = new Map<PriceUnit, number>(usageFieldUnits.map(({ unit }, index) => [unit, index]));

// Per price map: the linear cost of each usage shape (which fields are reported, which of them are
// positive), null when that shape has no known price, undefined when it needs the general computation.
const linearCosts = new WeakMap<ReadonlyMap<PriceUnit, UnitPrice>, Map<number, LinearCost | null | undefined>>();

function linearCostFor(prices: ReadonlyMap<PriceUnit, UnitPrice>, reported: number, positive: number): LinearCost | null | undefined {
  let byShape = linearCosts.get(prices);
  if (!byShape) {
    byShape = new Map();
    linearCosts.set(prices, byShape);
  }
  const shape = reported + positive * 2 ** fieldCount;
  if (byShape.has(shape)) return byShape.get(shape);
  const cost = buildLinearCost(prices, reported, positive);
  byShape.set(shape, cost);
  return cost;
}

/** The same steps as `computeCost`, on coefficients instead of counts. */
function buildLinearCost(prices: ReadonlyMap<PriceUnit, UnitPrice>, reported: number, positive: number): LinearCost | null | undefined {
  const plan = planFor(prices);
  if (!plan.consistent) return null;
  const positiveUnits = usageFieldUnits.filter((_, index) => (positive & (1 << index)) !== 0).map(({ unit }) => unit);
  if (positiveUnits.some((unit) => !isCovered(plan, unit))) return null;
  const shares: number[][] = [];
  const terms: { coefficients: number[]; price: bigint; scale: number }[] = [];
  for (const { unit, price, inside } of plan.order) {
    // Long-context tiers and prices per a count that is no power of ten stay with the general computation.
    const shift = powerOfTenExponent(price.per);
    if (price.price.tiers.length > 0 || shift === undefined) return undefined;
    const field = fieldOfUnit.get(unit);
    const share = new Array<number>(fieldCount).fill(0);
    if (field !== undefined && (reported & (1 << field)) !== 0) share[field] = 1;
    else {
      const parts = unreportedParts(unit, positiveUnits);
      if (!parts) return null;
      for (const part of parts) share[fieldOfUnit.get(part)!]! += 1;
    }
    for (const position of inside) for (let index = 0; index < fieldCount; index += 1) share[index]! -= shares[position]![index]!;
    shares.push(share);
    terms.push({ coefficients: share, price: price.price.base.units, scale: price.price.base.scale + shift });
  }
  const scale = terms.reduce((largest, term) => Math.max(largest, term.scale), 0);
  return { terms: terms.map((term) => ({ coefficients: term.coefficients, price: bigintProduct(term.price, powerOfTen(scale - term.scale)) })), scale };
}

// The counts of the event being priced, by field (pricing is synchronous: one array serves every call).
const counts = new Array<number>(fieldCount).fill(0);
// Counts up to this keep every sum of a few of them an exact integer in a double (2^53 and more would not).
const maxCount = 2 ** 40;

/**
 * Prices token usage alone (an event with no other units) without the general computation's maps and
 * decimals. Returns undefined when the event or the prices need that computation: counts that are not
 * whole non-negative numbers, long-context tiers, a price per request, a minimum billed duration, or
 * 1-hour cache writes priced by the 2×-input rule. Otherwise exactly what `computeCost` returns (null
 * when the cost is unknown).
 */
export function priceTokenUsage(entry: PriceEntry, usage: TokenUsageV1): ComputedCost | null | undefined {
  const prices = entry.units;
  if (entry.minimumAudioSeconds > 0 || chargesPerRequest(prices)) return undefined;
  let reported = 0;
  let positive = 0;
  for (let index = 0; index < fieldCount; index += 1) {
    const count = usage[usageFieldUnits[index]!.field];
    counts[index] = 0;
    if (count === undefined) continue;
    if (!Number.isSafeInteger(count) || count < 0 || count > maxCount) return undefined;
    counts[index] = count;
    reported |= 1 << index;
    if (count > 0) positive |= 1 << index;
  }
  if (derives1hWrites(prices, (usage.cacheWrite1hInputTokens ?? 0) > 0)) return undefined;
  const linear = linearCostFor(prices, reported, positive);
  if (!linear) return linear;
  let amount = 0n;
  for (const { coefficients, price } of linear.terms) {
    let share = 0;
    for (let index = 0; index < fieldCount; index += 1) share += coefficients[index]! * counts[index]!;
    // A subset larger than its total (more cached tokens than input tokens) has no price.
    if (share < 0) return null;
    if (share > 0) amount += bigintProduct(BigInt(share), price);
  }
  return { amount: { units: amount, scale: linear.scale }, notes: noNotes };
}
