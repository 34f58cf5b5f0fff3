import { formatDecimal, parseDecimal } from "../price/decimal";

const nanoScale = 9;

/**
 * A USD decimal string as integer nano-USD, rounded up (a budget never under-counts a fraction of a
 * nano-dollar). Exact: scaled bigints, never a float. Throws a RangeError past 2^53 nano-USD.
 */
export function usdToNanos(amount: string): number {
  const decimal = parseDecimal(amount);
  let nanos: bigint;
  if (decimal.scale <= nanoScale) nanos = decimal.units * 10n ** BigInt(nanoScale - decimal.scale);
  else {
    const divisor = 10n ** BigInt(decimal.scale - nanoScale);
    nanos = decimal.units / divisor + (decimal.units % divisor > 0n ? 1n : 0n);
  }
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER) || nanos < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${amount} USD is beyond the exact range of a quota counter`);
  return Number(nanos);
}

/** Integer nano-USD as a canonical USD decimal string. */
export function nanosToUsd(nanos: number): string {
  return formatDecimal({ units: BigInt(nanos), scale: nanoScale });
}
