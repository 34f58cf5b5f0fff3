import { formatDecimal } from "@usagepilot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numberToDecimal } from "./number-to-decimal";

describe("numberToDecimal", () => {
  it("reads a number as the decimal it is written as, not its binary value", () => {
    expect(formatDecimal(numberToDecimal(0.075))).toBe("0.075");
    expect(formatDecimal(numberToDecimal(0.1))).toBe("0.1");
    expect(formatDecimal(numberToDecimal(0.01875))).toBe("0.01875");
    expect(formatDecimal(numberToDecimal(3))).toBe("3");
    expect(formatDecimal(numberToDecimal(-2.5))).toBe("-2.5");
  });

  it("expands exponent forms exactly", () => {
    expect(formatDecimal(numberToDecimal(1e-7))).toBe("0.0000001");
    expect(formatDecimal(numberToDecimal(2.5e-10))).toBe("0.00000000025");
    expect(formatDecimal(numberToDecimal(1e21))).toBe("1000000000000000000000");
    expect(formatDecimal(numberToDecimal(1.5e22))).toBe("15000000000000000000000");
  });

  it("refuses NaN and the infinities", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(() => numberToDecimal(value)).toThrow(RangeError);
  });

  it("round-trips every finite double through its decimal string", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(Number(formatDecimal(numberToDecimal(value)))).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 2000 },
    );
  });
});
