import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nanosToUsd, usdToNanos } from "./usd-nanos";

describe("usdToNanos / nanosToUsd", () => {
  it("converts exactly and rounds fractions of a nano-dollar up", () => {
    expect(usdToNanos("5.00")).toBe(5_000_000_000);
    expect(usdToNanos("0.000000001")).toBe(1);
    expect(usdToNanos("0.0000000001")).toBe(1);
    expect(usdToNanos("0.0169")).toBe(16_900_000);
    expect(nanosToUsd(33_800_000)).toBe("0.0338");
    expect(nanosToUsd(0)).toBe("0");
  });

  it("round-trips every amount with at most nine decimals", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), (nanos) => {
        expect(usdToNanos(nanosToUsd(Number(nanos)))).toBe(Number(nanos));
      }),
    );
  });

  it("refuses amounts a counter cannot hold exactly", () => {
    expect(() => usdToNanos("10000000")).toThrow(RangeError);
  });
});
