import type { UnitPrice } from "./price-entry";
import { canOverlap, isSubsetUnit, overlapUnit, type PriceUnit } from "./price-unit";

/** How to price with one set of unit prices, worked out once per set. */
export interface PricingPlan {
  /**
   * Priced units, most specific first, each with the positions in `order` of the priced units inside it
   * (always earlier: a strict subset has more dimensions).
   */
  order: readonly { unit: PriceUnit; price: UnitPrice; inside: readonly number[] }[];
  /** Whether every two priced units that overlap have a price for their overlap. */
  consistent: boolean;
  /** Whether a reported unit falls under a price (its own or a superset's); filled as asked. */
  covered: Map<PriceUnit, boolean>;
}

// Plans per price map of an entry: built on the first event a price map prices.
const plans = new WeakMap<ReadonlyMap<PriceUnit, UnitPrice>, PricingPlan>();

/** The plan of a price map (made once per map). */
export function planFor(prices: ReadonlyMap<PriceUnit, UnitPrice>): PricingPlan {
  const cached = plans.get(prices);
  if (cached) return cached;
  const priced = [...prices.keys()].sort((a, b) => Object.keys(b.dimensions).length - Object.keys(a.dimensions).length || a.usageKey.localeCompare(b.usageKey));
  let consistent = true;
  for (const a of priced)
    for (const b of priced) {
      if (a === b || isSubsetUnit(a, b) || isSubsetUnit(b, a) || !canOverlap(a, b)) continue;
      // Two priced units that overlap need a price for the overlap, or the overlap would be subtracted twice.
      const overlap = overlapUnit(a, b);
      if (!overlap || !prices.has(overlap)) consistent = false;
    }
  const order = priced.map((unit) => ({ unit, price: prices.get(unit)!, inside: priced.flatMap((inner, position) => (isSubsetUnit(inner, unit) ? [position] : [])) }));
  const plan: PricingPlan = { order, consistent, covered: new Map() };
  plans.set(prices, plan);
  return plan;
}

/** Whether a reported unit falls under one of the plan's prices (its own or a superset's). */
export function isCovered(plan: PricingPlan, unit: PriceUnit): boolean {
  let covered = plan.covered.get(unit);
  if (covered === undefined) {
    covered = plan.order.some((entry) => entry.unit === unit || isSubsetUnit(unit, entry.unit));
    plan.covered.set(unit, covered);
  }
  return covered;
}

const nothing: readonly PriceUnit[] = Object.freeze([]);

/**
 * What makes up the value of a priced unit the event did not report, given the units it reported with a
 * positive value: its outermost reported subsets, summed, when those cannot overlap (input + output audio
 * seconds make the audio seconds); none (0) when nothing reported falls in it; undefined (unknown) when
 * reported units overlap inside it without saying by how much — e.g. cache reads and audio input both
 * reported, but not the cached audio that a model prices on its own.
 */
export function unreportedParts(unit: PriceUnit, positive: readonly PriceUnit[]): readonly PriceUnit[] | undefined {
  let inside: PriceUnit[] | undefined;
  // Two reported units overlap exactly in `unit` only if both contain it.
  let containing = 0;
  for (const candidate of positive) {
    if (isSubsetUnit(candidate, unit)) (inside ??= []).push(candidate);
    else if (isSubsetUnit(unit, candidate)) containing += 1;
  }
  if (inside) {
    const outermost = inside.filter((candidate) => !inside.some((other) => isSubsetUnit(candidate, other)));
    for (const a of outermost) for (const b of outermost) if (a !== b && canOverlap(a, b)) return undefined;
    return outermost;
  }
  if (containing < 2) return nothing;
  for (const a of positive)
    for (const b of positive) {
      if (a === b || isSubsetUnit(a, b) || isSubsetUnit(b, a)) continue;
      if (overlapUnit(a, b) === unit) return undefined;
    }
  return nothing;
}
