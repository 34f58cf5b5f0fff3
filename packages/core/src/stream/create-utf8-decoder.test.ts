import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitBytes } from "../test/split-bytes";
import { createUtf8Decoder } from "./create-utf8-decoder";

const encoder = new TextEncoder();

/** What the platform's streaming decoder makes of the chunks: the reference. */
function streamed(chunks: readonly Uint8Array[]): string {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join("") + decoder.decode();
}

function decoded(chunks: readonly Uint8Array[]): string {
  const decoder = createUtf8Decoder();
  return chunks.map((chunk) => decoder.decode(chunk)).join("") + decoder.end();
}

// Bytes that make UTF-8 hard: every lead and continuation class, overlong and surrogate forms, the BOM.
const trickyByte = fc.constantFrom(0x41, 0x0a, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0xf5, 0xff);

describe("createUtf8Decoder", () => {
  it("decodes characters split at every byte", () => {
    const bytes = encoder.encode("aé😀世\u{10ffff}z");
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decoded([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe("aé😀世\u{10ffff}z");
    }
    expect(decoded(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toBe("aé😀世\u{10ffff}z");
  });

  it("drops one BOM at the start of the stream, even split, and keeps any later one", () => {
    const bytes = encoder.encode("\ufeffdata\ufeff");
    expect(decoded([bytes])).toBe("data\ufeff");
    expect(decoded([bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3)])).toBe("data\ufeff");
    expect(decoded([new Uint8Array(0), bytes])).toBe("data\ufeff");
  });

  it("ends an incomplete character as U+FFFD, and starts afresh after end()", () => {
    const decoder = createUtf8Decoder();
    expect(decoder.decode(Uint8Array.of(0x61, 0xe4, 0xb8))).toBe("a");
    expect(decoder.end()).toBe("\ufffd");
    expect(decoder.decode(encoder.encode("\ufeffb"))).toBe("b");
    expect(decoder.end()).toBe("");
  });

  it("gives what a streaming TextDecoder gives for any bytes split anywhere", () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.array(trickyByte, { maxLength: 64 }).map((list) => Uint8Array.from(list)), fc.string({ unit: "binary", maxLength: 24 }).map((text) => encoder.encode(text)));
    fc.assert(
      fc.property(bytes, fc.array(fc.nat({ max: 64 }), { maxLength: 12 }), (input, cuts) => {
        const chunks = splitBytes(input, cuts);
        expect(decoded(chunks)).toBe(streamed(chunks));
        expect(decoded(Array.from(input, (byte) => Uint8Array.of(byte)))).toBe(streamed([input]));
      }),
      { numRuns: 3000 },
    );
  });
});
