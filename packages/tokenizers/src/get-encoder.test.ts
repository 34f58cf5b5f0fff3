import { describe, expect, it } from "vitest";
import { getEncoder } from "./get-encoder";

describe("getEncoder", () => {
  it("builds each encoding once and hands back the same encoder afterwards", () => {
    const first = getEncoder("o200k_base");
    expect(getEncoder("o200k_base")).toBe(first);
    expect(getEncoder("cl100k_base")).not.toBe(first);
    expect(getEncoder("cl100k_base")).toBe(getEncoder("cl100k_base"));
  });

  it("still encodes after many uses (nothing is freed per call)", () => {
    for (let index = 0; index < 1000; index += 1) getEncoder("o200k_base").encode_ordinary("hello world");
    expect(getEncoder("o200k_base").encode_ordinary("hello world")).toHaveLength(2);
  });
});
