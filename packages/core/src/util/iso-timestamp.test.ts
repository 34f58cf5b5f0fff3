import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoTimestamp } from "./iso-timestamp";

describe("isoTimestamp", () => {
  it("is toISOString for any time, across seconds and in any order", () => {
    const limit = 8.64e15;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -limit, max: limit }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 2_000 }), (times, step) => {
        for (const time of times) {
          for (const ms of [time, Math.min(limit, time + step), time]) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
        }
      }),
    );
  });

  it("formats the milliseconds of one second without reusing the wrong second", () => {
    const base = Date.UTC(2026, 10, 29, 12, 0, 59);
    for (const ms of [base, base + 7, base + 42, base + 999, base + 1000, base - 1, 0, -1, 253402300799999, 253402300800000]) {
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
