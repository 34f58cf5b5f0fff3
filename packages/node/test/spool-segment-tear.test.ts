import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestEvent, testTokens } from "@usagepilot/core/test";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readSpoolSegment } from "../src/read-spool-segment";

// A crash can stop a segment's last write at any byte, even inside a multi-byte character. Whatever the
// events held (quotes, newlines, line and paragraph separators, emoji in dimension values), reading the
// segment back gives every event written whole, in order, exactly as it was, and at most one unreadable line.

const directory = mkdtempSync(join(tmpdir(), "usagepilot-tear-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const text = fc.string({ unit: fc.constantFrom("a", "é", "😀", "\n", "\r", "\u2028", "\u2029", '"', "\\", "{", "}", " "), maxLength: 12 });
const event = fc.record({ user: text, feature: text, input: fc.nat({ max: 100_000 }), output: fc.nat({ max: 100_000 }) }).map(({ user, feature, input, output }) => createTestEvent({ dimensions: { user_id: user, feature }, usage: testTokens(input, output) }));

describe("readSpoolSegment", () => {
  it("a segment torn at any byte gives back every event written whole, unchanged, and at most one unreadable line", () => {
    let file = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), (events, tearAt) => {
        const lines = events.map((item) => Buffer.from(`${JSON.stringify(item)}\n`));
        const whole = Buffer.concat(lines);
        const cut = Math.floor(whole.length * tearAt);
        const path = join(directory, `segment-${(file += 1)}.ndjson`);
        writeFileSync(path, whole.subarray(0, cut));
        let complete = 0;
        let offset = 0;
        for (; complete < lines.length && offset + lines[complete]!.length <= cut; complete += 1) offset += lines[complete]!.length;
        // What is left of the line the tear went through; cut just before its newline, it still holds its whole JSON.
        const torn = cut - offset;
        const wholeJson = torn > 0 && torn === lines[complete]!.length - 1;
        const read = readSpoolSegment(path);
        expect(read.events).toEqual(events.slice(0, complete + (wholeJson ? 1 : 0)));
        expect(read.unreadable).toBe(torn > 0 && !wholeJson ? 1 : 0);
      }),
      { numRuns: 400 },
    );
  });
});
