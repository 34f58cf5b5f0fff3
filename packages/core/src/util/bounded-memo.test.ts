import { describe, expect, it } from "vitest";
import { createBoundedMemo } from "./bounded-memo";

describe("createBoundedMemo", () => {
  it("computes a key once, undefined values included", () => {
    const memo = createBoundedMemo<number | undefined>(10);
    let computed = 0;
    const compute = (value: number | undefined) => () => {
      computed += 1;
      return value;
    };
    expect(memo.get("a", compute(1))).toBe(1);
    expect(memo.get("a", compute(2))).toBe(1);
    expect(memo.get("none", compute(undefined))).toBeUndefined();
    expect(memo.get("none", compute(3))).toBeUndefined();
    expect(computed).toBe(2);
  });

  it("forgets everything once full, so endless keys hold bounded memory", () => {
    const memo = createBoundedMemo<string>(3);
    for (const key of ["a", "b", "c"]) memo.get(key, () => key);
    // The fourth key clears the first three.
    expect(memo.get("d", () => "d")).toBe("d");
    expect(memo.get("a", () => "a again")).toBe("a again");
    expect(memo.get("d", () => "d again")).toBe("d");
  });
});
