import { formatDecimal, parseDecimal } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divideDecimal, nonTerminatingScale } from "./divide-decimal";

const divide = (value: string, divisor: bigint) => formatDecimal(divideDecimal(parseDecimal(value), divisor));

describe("divideDecimal", () => {
  it("is exact for powers of ten and any divisor whose quotient terminates", () => {
    expect(divide("146.8", 1_000_000n)).toBe("0.0001468");
    expect(divide("12", 1_000n)).toBe("0.012");
    expect(divide("22.14", 3_600n)).toBe("0.00615");
    expect(divide("1", 8n)).toBe("0.125");
  });

  it("rounds half to even at 15 places only when the quotient repeats", () => {
    expect(divide("1.11", 3_600n)).toBe("0.000308333333333");
    expect(divide("2", 3n)).toBe("0.666666666666667");
    expect(nonTerminatingScale).toBe(15);
  });

  it("matches an independent long division for any value and divisor", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.nat({ max: 12 }), fc.bigInt({ min: 1n, max: 10n ** 7n }), (units, scale, divisor) => {
        const result = divideDecimal({ units, scale }, divisor);
        // result × divisor is within half a unit of the last place of the value, and exact when the remainder is 0.
        const lhs = result.units * divisor * 10n ** BigInt(Math.max(0, scale - result.scale));
        const rhs = units * 10n ** BigInt(Math.max(0, result.scale - scale));
        const error = lhs > rhs ? lhs - rhs : rhs - lhs;
        expect(2n * error <= divisor * 10n ** BigInt(Math.max(0, scale - result.scale))).toBe(true);
        if ((units * 10n ** 30n) % divisor === 0n) expect(error).toBe(0n);
      }),
    );
  });
});
