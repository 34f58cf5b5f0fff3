import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitBytes } from "../test/split-bytes";
import { createSseObserver } from "./create-sse-observer";

const encoder = new TextEncoder();
const events = (count: number, lineEnd = "\n") => Array.from({ length: count }, (_, index) => `data: {"n":${index},"pad":"${"é".repeat(index % 7)}"}${lineEnd}${lineEnd}`).join("");

function observe(body: string, offsets: number[], options: { tailBytes?: number; headAfter?: number } = {}) {
  const seen: number[] = [];
  const observer = createSseObserver({
    onMessage: (message) => seen.push((JSON.parse(message.data) as { n: number }).n),
    result: () => ({ usage: null, status: "ok", accuracy: "estimated" }),
    ...(options.headAfter === undefined ? {} : { headComplete: () => seen.length >= options.headAfter! }),
    ...(options.tailBytes === undefined ? {} : { tailBytes: options.tailBytes }),
  });
  for (const chunk of splitBytes(encoder.encode(body), offsets)) observer.push(chunk);
  observer.end("finished");
  return seen;
}

describe("createSseObserver, head and tail", () => {
  it("without headComplete, delivers every event once", () => {
    expect(observe(events(50), [7, 100, 333])).toEqual(Array.from({ length: 50 }, (_, index) => index));
  });

  it("for any split, delivers the head and every event of the tail window whole, never a partial one", () => {
    for (const lineEnd of ["\n", "\r\n"]) {
      const body = events(400, lineEnd);
      const bytes = encoder.encode(body).length;
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: bytes - 1 }), { maxLength: 60 }), (offsets) => {
          const seen = observe(body, offsets, { tailBytes: 500, headAfter: 1 });
          // The head, then (perhaps some again) the last events: at least the last 500 bytes' worth.
          expect(seen[0]).toBe(0);
          const last = seen.slice(-10);
          expect(last).toEqual(Array.from({ length: 10 }, (_, index) => 390 + index));
          // Whatever else arrives is whole (it parsed), each event at most twice: once in the head's chunk
          // and once more when the tail window re-reads that chunk.
          const counts = new Map<number, number>();
          for (const value of seen) counts.set(value, (counts.get(value) ?? 0) + 1);
          expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
        }),
        { numRuns: 200 },
      );
    }
  });

  it("keeps the events after the head when the whole stream is shorter than the window", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 20 }), (offsets) => {
        const seen = observe(events(12), offsets, { headAfter: 1 });
        expect(new Set(seen)).toEqual(new Set(Array.from({ length: 12 }, (_, index) => index)));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps the last events whole even when one is far larger than the window", () => {
    const giant = `data: {"n":401,"pad":"${"x".repeat(300_000)}"}\n\n`;
    const body = events(400) + giant + 'data: {"n":402}\n\n';
    const bytes = encoder.encode(body).length;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes - 1 }), { maxLength: 40 }), (offsets) => {
        const seen = observe(body, offsets, { tailBytes: 1000, headAfter: 1 });
        expect(seen.slice(-2)).toEqual([401, 402]);
      }),
      { numRuns: 100 },
    );
  });
});
