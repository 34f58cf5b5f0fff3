import { describe, expect, it } from "vitest";
import { findEventBoundaries } from "./find-event-boundaries";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("findEventBoundaries", () => {
  it("finds the end of every SSE event, whatever the line endings", () => {
    expect(findEventBoundaries(bytes("data: a\n\ndata: b\n\n"))).toEqual([9, 18]);
    expect(findEventBoundaries(bytes("event: x\r\ndata: é\r\n\r\ndata: b\r\n\r\n"))).toEqual([22, 33]);
    expect(findEventBoundaries(bytes("data: a\r\rdata: b\r\r"))).toEqual([9, 18]);
    expect(findEventBoundaries(bytes("data: a\ndata: b\n"))).toEqual([]);
  });

  it("finds the commas between the elements of a streamed JSON array, not those inside them", () => {
    const text = '[{"a":[1,2],"s":"x,\\",]"}\r\n,\r\n{"b":{"c":1,"d":2}}\r\n,{"e":"ü"}]';
    const offsets = findEventBoundaries(bytes(text));
    expect(offsets).toHaveLength(2);
    const decoded = offsets.map((offset) => new TextDecoder().decode(bytes(text).slice(0, offset)));
    expect(decoded[0]).toBe('[{"a":[1,2],"s":"x,\\",]"}\r\n,');
    expect(decoded[1]!.endsWith('{"b":{"c":1,"d":2}}\r\n,')).toBe(true);
  });

  it("finds none in a plain JSON object", () => {
    expect(findEventBoundaries(bytes('{"a":1,"b":[1,2]}'))).toEqual([]);
  });
});
