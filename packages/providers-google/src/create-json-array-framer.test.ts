import { splitBytes } from "@usagepilot/core/test";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir } from "@usagepilot/testing";
import { describe, expect, it } from "vitest";
import { createJsonArrayFramer } from "./create-json-array-framer";

function frame(chunks: readonly Uint8Array[]) {
  const elements: unknown[] = [];
  const framer = createJsonArrayFramer((text) => elements.push(JSON.parse(text)));
  for (const chunk of chunks) framer.push(chunk);
  return { elements, closed: framer.closed, inElement: framer.inElement };
}

const encode = (text: string) => new TextEncoder().encode(text);
const tricky = `[{"text":"a ] } , \\" \\\\ [ { é 漢字 😀","n":[1,[2,{"x":"}"}]]},\r\n {"error":{"code":500,"message":"\\\\\\""}}\n,"lone string ]",42,true,null,[3,4]]`;

describe("createJsonArrayFramer", () => {
  it("frames the recorded Gemini array into its elements, at every single split point", () => {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir(), "gemini/streamGenerateContent-json-array-no-alt-sse.json")));
    const expected = JSON.parse(new TextDecoder().decode(bytes)) as unknown[];
    expect(expected).toHaveLength(3);
    for (let offset = 0; offset <= bytes.length; offset += 1) {
      const result = frame(splitBytes(bytes, [offset]));
      expect(result.elements).toEqual(expected);
      expect(result.closed).toBe(true);
    }
  });

  it("keeps strings, escapes, nesting, multi-byte characters and scalars apart, split byte by byte", () => {
    const bytes = encode(tricky);
    const expected = JSON.parse(tricky) as unknown[];
    const oneByOne = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(frame(oneByOne).elements).toEqual(expected);
    for (let offset = 0; offset <= bytes.length; offset += 1) expect(frame(splitBytes(bytes, [offset])).elements).toEqual(expected);
  });

  it("frames any split into any number of chunks the same (property)", () => {
    const bytes = encode(tricky);
    const expected = JSON.parse(tricky) as unknown[];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 60 }), (offsets) => {
        const result = frame(splitBytes(bytes, offsets));
        expect(result.elements).toEqual(expected);
        expect(result.closed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("frames any array of JSON values, pretty-printed or not (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }), (values, pretty, offsets) => {
        const text = pretty ? JSON.stringify(values, null, 2).replace(/,\n/g, "\n,\r\n") : JSON.stringify(values);
        const bytes = encode(text);
        const result = frame(splitBytes(bytes, offsets.map((offset) => offset % (bytes.length + 1))));
        // Round-trip through JSON, as -0 does not survive it.
        expect(result.elements).toEqual(JSON.parse(text));
        expect(result.closed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("hands over each element as soon as its last byte arrives, and only then", () => {
    const elements: string[] = [];
    const framer = createJsonArrayFramer((text) => elements.push(text));
    framer.push(encode('[{"a":"x}'));
    expect(elements).toEqual([]);
    expect(framer.inElement).toBe(true);
    framer.push(encode('"}'));
    expect(elements).toEqual(['{"a":"x}"}']);
    expect(framer.inElement).toBe(false);
    expect(framer.closed).toBe(false);
    framer.push(encode(",\r\n"));
    framer.push(encode("]"));
    expect(framer.closed).toBe(true);
  });

  it("reports a body cut inside an element, and hands over nothing of it", () => {
    const result = frame([encode('[{"a":1},\r\n{"b":"unfinished')]);
    expect(result.elements).toEqual([{ a: 1 }]);
    expect(result.inElement).toBe(true);
    expect(result.closed).toBe(false);
  });

  it("frames a lone object (an error answer) as one element", () => {
    const result = frame([encode('  {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}\n')]);
    expect(result.elements).toEqual([{ error: { code: 429, status: "RESOURCE_EXHAUSTED" } }]);
    expect(result.closed).toBe(true);
  });

  it("does not depend on the caller leaving earlier chunks untouched", () => {
    const elements: unknown[] = [];
    const framer = createJsonArrayFramer((text) => elements.push(JSON.parse(text)));
    const first = encode('[{"text":"abc');
    framer.push(first);
    first.fill(0x20);
    framer.push(encode('def"}]'));
    expect(elements).toEqual([{ text: "abcdef" }]);
  });
});
