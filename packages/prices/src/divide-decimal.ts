import type { Decimal } from "@usagepilot/core";

/** Decimal places kept when a quotient does not terminate (prices per hour applied to seconds). */
export const nonTerminatingScale = 15;

const powersOfTen = new Map<bigint, number>(Array.from({ length: 19 }, (_, exponent) => [10n ** BigInt(exponent), exponent]));

/** n when `divisor` is 10^n (per million: 6), else undefined. */
export function powerOfTenExponent(divisor: bigint): number | undefined {
  return powersOfTen.get(divisor);
}

/**
 * value ÷ divisor. Exact whenever the quotient is a terminating decimal (every power-of-ten divisor, so
 * every price per million or per thousand). Only a divisor with another prime factor (3,600 seconds in
 * an hour) can leave a repeating decimal: that quotient is rounded half-to-even at
 * {@link nonTerminatingScale} decimal places (1e-15 USD), the one rounding in this package.
 */
export function divideDecimal(value: Decimal, divisor: bigint): Decimal {
  // The common case (per million, per thousand) is a shift of the scale.
  const shift = powersOfTen.get(divisor);
  if (shift !== undefined) return { units: value.units, scale: value.scale + shift };
  if (divisor <= 0n) throw new RangeError(`Divisor must be positive: ${divisor}`);
  let rest = divisor;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos += 1;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives += 1;
  }
  // divisor = 2^a·5^b·rest: dividing by 2^a·5^b terminates after max(a, b) places; `rest` must divide exactly.
  const places = Math.max(twos, fives);
  const widened = value.units * 10n ** BigInt(places);
  if (widened % divisor === 0n) return { units: widened / divisor, scale: value.scale + places };
  const scale = Math.max(value.scale, nonTerminatingScale);
  const numerator = value.units * 10n ** BigInt(scale - value.scale);
  return { units: roundHalfEven(numerator, divisor), scale };
}

function roundHalfEven(numerator: bigint, divisor: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / divisor;
  const twiceRemainder = (magnitude % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}
