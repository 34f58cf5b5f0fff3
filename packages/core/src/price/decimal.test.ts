import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDecimal, formatDecimal, multiplyDecimal, parseDecimal, scaleDecimal, sumDecimalStrings } from "./decimal";

/** A canonical decimal string (no trailing fractional zeros, no "-0"), built from digits alone. */
const canonicalDecimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.nat({ max: 20 }))
  .map(([negative, units, scale]) => {
    let digits = units.toString().padStart(scale + 1, "0");
    let text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
    digits = text;
    return negative && digits !== "0" ? `-${digits}` : digits;
  });

/** Exact value of a decimal string as a fraction over 10^40, computed without the module under test. */
function toScaled(text: string, scale = 40): bigint {
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^-/, "").split(".");
  const value = BigInt(whole + fraction.padEnd(scale, "0"));
  return negative ? -value : value;
}

describe("decimal", () => {
  it("parses and formats exactly", () => {
    expect(parseDecimal("0.15")).toEqual({ units: 15n, scale: 2 });
    expect(parseDecimal("-3")).toEqual({ units: -3n, scale: 0 });
    expect(formatDecimal(parseDecimal("12.000"))).toBe("12");
    expect(formatDecimal(parseDecimal("0.000435"))).toBe("0.000435");
    expect(formatDecimal(parseDecimal("-0.0"))).toBe("0");
    expect(formatDecimal({ units: 5n, scale: 9 })).toBe("0.000000005");
    expect(formatDecimal({ units: 0n, scale: 4 })).toBe("0");
  });

  it("refuses anything that is not a plain decimal", () => {
    for (const text of ["1e-5", "", ".5", "1.", "abc", "0x10", "1,5", "NaN", "Infinity"]) expect(() => parseDecimal(text), text).toThrow(RangeError);
  });

  it("round-trips canonical decimal strings through parse and format", () => {
    fc.assert(
      fc.property(canonicalDecimal, (text) => {
        expect(formatDecimal(parseDecimal(text))).toBe(text);
      }),
    );
  });

  it("adds without float error", () => {
    expect(sumDecimalStrings(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimalStrings([])).toBe("0");
    expect(sumDecimalStrings(["0.000001", "0.000002", "-0.000003"])).toBe("0");
    expect(sumDecimalStrings(["99999999999999999999.99", "0.01"])).toBe("100000000000000000000");
    expect(formatDecimal(addDecimal(parseDecimal("1.005"), parseDecimal("2.1")))).toBe("3.105");
    expect(formatDecimal(multiplyDecimal(parseDecimal("0.1"), parseDecimal("0.3")))).toBe("0.03");
    expect(formatDecimal(scaleDecimal(parseDecimal("0.15"), 800, 6))).toBe("0.00012");
  });

  it("sums random decimal strings to the same value as an independent BigInt sum", () => {
    fc.assert(
      fc.property(fc.array(canonicalDecimal, { maxLength: 30 }), (values) => {
        const expected = values.reduce((total, value) => total + toScaled(value), 0n);
        expect(toScaled(sumDecimalStrings(values))).toBe(expected);
      }),
    );
  });
});
