import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCounts } from "./read-counts";

describe("readCounts", () => {
  it("reads present counts and leaves absent ones undefined", () => {
    expect(readCounts({ a: 3, b: null }, ["a", "b", "c"])).toEqual({ a: 3, b: undefined, c: undefined });
    expect(readCounts(undefined, ["a"])).toEqual({ a: undefined });
  });

  it("distrusts the whole object when one named count is not a non-negative integer", () => {
    for (const bad of [-1, 1.5, "3", true, {}, Number.NaN, 2 ** 60]) expect(readCounts({ a: 1, b: bad }, ["a", "b"])).toBeNull();
    expect(readCounts("usage", ["a"])).toBeNull();
    expect(readCounts([1], ["a"])).toBeNull();
  });

  it("accepts exactly the non-negative safe integers", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const read = readCounts({ a: value }, ["a"]);
        const valid = value === null || value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0);
        expect(read === null).toBe(!valid);
      }),
    );
  });
});
