import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const sourceDir = new URL("./", import.meta.url);
const sources = readdirSync(sourceDir)
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
  .map((name) => ({ name, text: readFileSync(new URL(name, sourceDir), "utf8") }));

/** Code without comments and string literals, so only what runs is searched. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g, '""');
}

/** Lines with `*` or `/` between operands of which one is named like money. */
function floatMoneyLines(text: string): string[] {
  const money = /(price|amount|cost|factor|markup|per\b)/i;
  return code(text)
    .split("\n")
    .filter((line) => [...line.matchAll(/([\w.]+)\s*[*/]\s*([\w.]+)/g)].some(([, left, right]) => money.test(left!) || money.test(right!)))
    .map((line) => line.trim());
}

describe("money never touches a float (a grep over src/)", () => {
  it("reads the sources", () => {
    expect(sources.map(({ name }) => name)).toEqual(expect.arrayContaining(["compute-cost.ts", "create-price-book.ts", "genai-price-entry.ts"]));
  });

  it("never multiplies or divides a price, amount, cost or factor as a number", () => {
    expect(floatMoneyLines("const cost = unitPrice * count;")).toHaveLength(1);
    expect(floatMoneyLines("const x = tokens / price.per;")).toHaveLength(1);
    expect(sources.flatMap(({ name, text }) => floatMoneyLines(text).map((line) => `${name}: ${line}`))).toEqual([]);
  });

  it("uses no float rounding or parsing, and never reads genai-prices' float results", () => {
    for (const { name, text } of sources) {
      const body = code(text);
      expect(body, name).not.toMatch(/parseFloat|toFixed|toPrecision|Math\.round|Math\.floor|Math\.ceil|Number\(/);
      expect(body, name).not.toMatch(/total_price|input_price|output_price/);
    }
  });

  it("calls calcPrice only to match models", () => {
    expect(sources.filter(({ text }) => /\bcalcPrice\b/.test(code(text))).map(({ name }) => name)).toEqual(["match-genai-model.ts"]);
  });

  it("turns data numbers into decimals only through their written form", () => {
    // numberToDecimal reads String(value); nothing else converts a number to money.
    expect(sources.filter(({ text }) => /\bnumberToDecimal\(/.test(code(text))).map(({ name }) => name).sort()).toEqual(["event-quantities.ts", "genai-price-entry.ts", "number-to-decimal.ts"]);
  });
});
