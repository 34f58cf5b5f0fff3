import type { Decimal } from "@usagepilot/core";

const shortest = /^(-)?(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * The exact decimal a JS number is written as: its shortest round-trip text (`String(0.075)` is "0.075"),
 * read digit by digit, so a price in the data becomes the decimal its authors wrote, never a binary
 * approximation. Exponent forms ("1e-7", "2.5e+21") are expanded exactly.
 *
 * @throws RangeError for NaN and the infinities, which are no amount.
 */
export function numberToDecimal(value: number): Decimal {
  // Token counts are integers: the common case needs no text.
  if (Number.isSafeInteger(value)) return { units: BigInt(value), scale: 0 };
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  const match = shortest.exec(String(value));
  if (!match) throw new RangeError(`Not a decimal number: ${value}`);
  const fraction = match[3] ?? "";
  const digits = BigInt((match[2] ?? "0") + fraction);
  const exponent = Number.parseInt(match[4] ?? "0", 10);
  const signed = match[1] ? -digits : digits;
  // value = digits × 10^(exponent - fraction length): a positive power goes into the units, a negative one into the scale.
  const scale = fraction.length - exponent;
  return scale >= 0 ? { units: signed, scale } : { units: signed * 10n ** BigInt(-scale), scale: 0 };
}
