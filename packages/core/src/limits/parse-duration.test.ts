import { describe, expect, it } from "vitest";
import { parseDuration } from "./parse-duration";

describe("parseDuration", () => {
  it("reads milliseconds, seconds, minutes, hours and days, in whole milliseconds", () => {
    expect([parseDuration("250ms"), parseDuration("90s"), parseDuration(" 30 m "), parseDuration("1.5h"), parseDuration("7d"), parseDuration(1234)]).toEqual([250, 90_000, 1_800_000, 5_400_000, 604_800_000, 1234]);
    expect(parseDuration("1.4ms")).toBe(1);
  });

  it("refuses what is no positive duration, with a RangeError", () => {
    for (const bad of ["", "1", "1 hour", "h", "-1h", "0s", "0.4ms", "1e3s", "1,5h", 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => parseDuration(bad)).toThrow(RangeError);
    }
  });
});
