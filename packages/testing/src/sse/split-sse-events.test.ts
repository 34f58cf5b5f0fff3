import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "../fixtures/fixtures-dir";
import { splitSseEvents } from "./split-sse-events";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (pieces: Uint8Array[]) => pieces.map((piece) => new TextDecoder().decode(piece));

describe("splitSseEvents", () => {
  it("cuts after each blank line, for LF, CRLF and CR", () => {
    expect(decode(splitSseEvents(encode("data: a\n\ndata: b\n\n")))).toEqual(["data: a\n\n", "data: b\n\n"]);
    expect(decode(splitSseEvents(encode("event: x\r\ndata: a\r\n\r\ndata: b\r\n\r\n")))).toEqual(["event: x\r\ndata: a\r\n\r\n", "data: b\r\n\r\n"]);
    expect(decode(splitSseEvents(encode("data: a\r\rdata: b\r\r")))).toEqual(["data: a\r\r", "data: b\r\r"]);
  });

  it("keeps a trailing partial event as the last piece", () => {
    expect(decode(splitSseEvents(encode("data: a\n\ndata: b")))).toEqual(["data: a\n\n", "data: b"]);
  });

  it("gives back every byte of a CRLF fixture, one piece per event", () => {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir(), "gemini/streamGenerateContent-sse-usage-every-chunk.sse")));
    const pieces = splitSseEvents(bytes);
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(new TextDecoder().decode(piece)).toMatch(/^data: [^\r\n]*\r\n\r\n$/);
  });
});
