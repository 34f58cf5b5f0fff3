import { addDecimal, type Decimal, multiplyDecimal, powerOfTen } from "@usagepilot/core";
import { divideDecimal, powerOfTenExponent } from "./divide-decimal";
import type { EventQuantities } from "./event-quantities";
import type { PriceEntry, TieredPrice, UnitPrice } from "./price-entry";
import { namedUnits, type PriceUnit } from "./price-unit";
import { isCovered, planFor, unreportedParts } from "./pricing-plan";

/** An exact cost, and what about the prices used is worth writing into `priceSource`. */
export interface ComputedCost {
  amount: Decimal;
  /** e.g. ["input>200000"] when a long-context tier applied, ["1h-cache=2×input"] when that rule priced 1-hour writes. */
  notes: readonly string[];
}

/** The notes of most costs: none (shared and frozen, so nothing can add to it). */
export const noNotes: readonly string[] = Object.freeze([]);

const zero: Decimal = { units: 0n, scale: 0 };
const { inputTokens, cacheWriteTokens: cacheWrite, cacheWrite1hTokens: cacheWrite1h, requests } = namedUnits;
const audioSeconds = [namedUnits.audioSeconds, namedUnits.inputAudioSeconds];

/** Exact: both operands are bigints (typed so, never a float). */
export function bigintProduct(left: bigint, right: bigint): bigint {
  return left * right;
}

function isPositive(value: Decimal): boolean {
  return value.units > 0n;
}

function subtract(a: Decimal, b: Decimal): Decimal {
  return addDecimal(a, { units: -b.units, scale: b.scale });
}

function compare(a: Decimal, b: Decimal): number {
  const difference = subtract(a, b).units;
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

/** The tier that applies at this input size: the last whose start the input exceeds; -1 for the base price. */
function tierAt(price: TieredPrice, input: number): number {
  let chosen = -1;
  for (let index = 0; index < price.tiers.length; index += 1) if (input > price.tiers[index]!.start) chosen = index;
  return chosen;
}

/** The value of a priced unit the event did not report (see `unreportedParts`), or undefined when unknown. */
function unreportedValue(unit: PriceUnit, reported: ReadonlyMap<PriceUnit, Decimal>, positive: readonly PriceUnit[]): Decimal | undefined {
  const parts = unreportedParts(unit, positive);
  if (!parts) return undefined;
  let total = zero;
  for (const part of parts) total = addDecimal(total, reported.get(part)!);
  return total;
}

// 1-hour cache prices derived from the input price, per price map of an entry.
const withDerived1h = new WeakMap<ReadonlyMap<PriceUnit, UnitPrice>, ReadonlyMap<PriceUnit, UnitPrice> | null>();

/** Whether Anthropic's rule prices an event's 1-hour cache writes (2× input): it wrote some, and the prices name none of their own. */
export function derives1hWrites(prices: ReadonlyMap<PriceUnit, UnitPrice>, wrote1h: boolean): boolean {
  return wrote1h && !prices.has(cacheWrite1h) && prices.has(cacheWrite);
}

/** Whether the prices charge per request (the call then counts once). */
export function chargesPerRequest(prices: ReadonlyMap<PriceUnit, UnitPrice>): boolean {
  return prices.has(requests);
}

/** The prices with a 1-hour cache write price of 2× the input price (Anthropic's rule), or null without an input price. */
function derive1h(prices: ReadonlyMap<PriceUnit, UnitPrice>): ReadonlyMap<PriceUnit, UnitPrice> | null {
  const cached = withDerived1h.get(prices);
  if (cached !== undefined) return cached;
  const input = prices.get(inputTokens);
  let derived: Map<PriceUnit, UnitPrice> | null = null;
  if (input) {
    const double = (value: Decimal) => multiplyDecimal(value, { units: 2n, scale: 0 });
    derived = new Map(prices);
    derived.set(cacheWrite1h, { per: input.per, price: { base: double(input.price.base), tiers: input.price.tiers.map((tier) => ({ start: tier.start, price: double(tier.price) })) } });
  }
  withDerived1h.set(prices, derived);
  return derived;
}

/**
 * Prices an event's quantities with one entry, exactly. Each priced unit takes the tokens (or searches,
 * seconds...) that no more specific priced unit takes — cache reads leave the input price, 1-hour writes
 * leave the 5-minute write price — as the genai-prices unit model defines, but in decimals.
 *
 * Returns null (unknown, never a cheaper guess) when a reported quantity has no price, when the event
 * does not say how much of an overlap the model prices on its own, or when subsets exceed their totals.
 */
export function computeCost(entry: PriceEntry, quantities: EventQuantities): ComputedCost | null {
  let notes: string[] | undefined;
  let prices = entry.units;
  let reported = quantities.units;

  // Anthropic's rule: a 1-hour cache write costs 2× the base input price, unless the prices name their own.
  const written1h = reported.get(cacheWrite1h);
  if (derives1hWrites(prices, written1h !== undefined && isPositive(written1h))) {
    const derived = derive1h(prices);
    if (!derived) return null;
    prices = derived;
    notes = ["1h-cache=2×input"];
  }
  // A price per request counts this call once.
  if (chargesPerRequest(prices) && !reported.has(requests)) reported = new Map(reported).set(requests, { units: 1n, scale: 0 });
  if (entry.minimumAudioSeconds > 0) {
    const minimum: Decimal = { units: BigInt(entry.minimumAudioSeconds), scale: 0 };
    for (const unit of audioSeconds) {
      const value = reported.get(unit);
      if (value && isPositive(value) && compare(value, minimum) < 0) reported = new Map(reported).set(unit, minimum);
    }
  }

  const plan = planFor(prices);
  if (!plan.consistent) return null;
  // Every reported quantity must fall under a price: a web search on a model without a search price makes the cost unknown.
  const positive: PriceUnit[] = [];
  for (const [unit, value] of reported) {
    if (!isPositive(value)) continue;
    if (!isCovered(plan, unit)) return null;
    positive.push(unit);
  }
  for (const [name, value] of quantities.otherUnits) if (isPositive(value) && !entry.otherUnits.has(name)) return null;

  // Each priced unit's leaf: its value less the leaves of the priced units inside it. The sum is kept as
  // bare units at one scale, so a unit's term allocates no intermediate decimals.
  const leaves: Decimal[] = [];
  let amountUnits = 0n;
  let amountScale = 0;
  let tiers: number[] | undefined;
  for (const { unit, price: unitPrice, inside } of plan.order) {
    const value = reported.get(unit) ?? unreportedValue(unit, reported, positive);
    if (value === undefined) return null;
    let leaf = value;
    for (const position of inside) leaf = subtract(leaf, leaves[position]!);
    if (leaf.units < 0n) return null;
    leaves.push(leaf);
    if (leaf.units === 0n) continue;
    const tier = tierAt(unitPrice.price, quantities.inputTokens);
    let price = unitPrice.price.base;
    if (tier !== -1) {
      const { start, price: tierPrice } = unitPrice.price.tiers[tier]!;
      price = tierPrice;
      tiers ??= [];
      if (!tiers.includes(start)) tiers.push(start);
    }
    const shift = powerOfTenExponent(unitPrice.per);
    let termUnits: bigint;
    let termScale: number;
    if (shift === undefined) {
      const quotient = divideDecimal(multiplyDecimal(leaf, price), unitPrice.per);
      termUnits = quotient.units;
      termScale = quotient.scale;
    } else {
      termUnits = bigintProduct(leaf.units, price.units);
      termScale = leaf.scale + price.scale + shift;
    }
    if (termScale > amountScale) {
      amountUnits *= powerOfTen(termScale - amountScale);
      amountScale = termScale;
    } else if (termScale < amountScale) {
      termUnits *= powerOfTen(amountScale - termScale);
    }
    amountUnits += termUnits;
  }
  let amount: Decimal = { units: amountUnits, scale: amountScale };
  for (const [name, value] of quantities.otherUnits) {
    const price = entry.otherUnits.get(name);
    if (price) amount = addDecimal(amount, multiplyDecimal(value, price));
  }
  if (tiers) {
    notes ??= [];
    for (const start of tiers.sort((a, b) => a - b)) notes.unshift(`input>${start}`);
  }
  return { amount, notes: notes ?? noNotes };
}
