/**
 * Exact decimal arithmetic on strings, through scaled bigints: money never touches a float.
 * A value is `units / 10^scale`.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

const pattern = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string ("0.15", "-3", "12.000") exactly; throws a RangeError on anything else. */
export function parseDecimal(text: string): Decimal {
  const match = pattern.exec(text.trim());
  if (!match) throw new RangeError(`Not a decimal number: "${text}"`);
  const fraction = match[3] ?? "";
  const units = BigInt((match[2] ?? "0") + fraction);
  return { units: match[1] ? -units : units, scale: fraction.length };
}

// Powers of ten for the usual rescales (prices have up to a dozen decimals), so pricing an event does not
// raise a bigint to a power for each step.
const powersOfTen = Array.from({ length: 32 }, (_, exponent) => 10n ** BigInt(exponent));

/** 10^exponent as a bigint (exponent ≥ 0), from a table for the usual ones. */
export function powerOfTen(exponent: number): bigint {
  return powersOfTen[exponent] ?? 10n ** BigInt(exponent);
}

function rescale(value: Decimal, scale: number): bigint {
  const shift = scale - value.scale;
  if (shift === 0) return value.units;
  return value.units * powerOfTen(shift);
}

/** a + b, exactly. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

/** a × b, exactly. */
export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** value × count / 10^shift, exactly (e.g. a per-million price times a token count: shift 6). */
export function scaleDecimal(value: Decimal, count: number | bigint, shift = 0): Decimal {
  return { units: value.units * BigInt(count), scale: value.scale + shift };
}

/** The canonical string: no exponent, no trailing fractional zeros, "0" for zero. */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  let digits = (negative ? -value.units : value.units).toString();
  if (value.scale > 0) {
    digits = digits.padStart(value.scale + 1, "0");
    const whole = digits.slice(0, digits.length - value.scale);
    let end = digits.length;
    while (end > digits.length - value.scale && digits.charCodeAt(end - 1) === 48) end -= 1;
    const fraction = digits.slice(digits.length - value.scale, end);
    digits = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative && digits !== "0" ? `-${digits}` : digits;
}

/** Sums decimal strings exactly. */
export function sumDecimalStrings(values: Iterable<string>): string {
  let total: Decimal = { units: 0n, scale: 0 };
  for (const value of values) total = addDecimal(total, parseDecimal(value));
  return formatDecimal(total);
}
