import { type Decimal, formatDecimal, parseDecimal } from "@usagepilot/core";

/** A NUMERIC as Postgres returns it ("12.50", or a number from some drivers) as an exact decimal. */
export function decimalOf(value: string | number | bigint | null | undefined): Decimal {
  if (value === null || value === undefined) return { units: 0n, scale: 0 };
  return parseDecimal(String(value));
}

/** Rounds down to `decimals` fractional digits (toward minus infinity), exactly. */
export function floorDecimal(value: Decimal, decimals: number): Decimal {
  if (value.scale <= decimals) return value;
  const divisor = 10n ** BigInt(value.scale - decimals);
  let units = value.units / divisor;
  if (value.units < 0n && units * divisor !== value.units) units -= 1n;
  return { units, scale: decimals };
}

/** a − b, exactly, as a canonical decimal string. */
export function subtractDecimalText(a: string, b: string): string {
  const left = parseDecimal(a);
  const right = parseDecimal(b);
  const scale = Math.max(left.scale, right.scale);
  const units = left.units * 10n ** BigInt(scale - left.scale) - right.units * 10n ** BigInt(scale - right.scale);
  return formatDecimal({ units, scale });
}

/** Compares two decimal strings: negative, zero or positive. */
export function compareDecimalText(a: string, b: string): number {
  const difference = parseDecimal(subtractDecimalText(a, b)).units;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
