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

  it("for any split and line ending, delivers the head and the last events whole, each once, in order", () => {
    for (const lineEnd of ["\n", "\r\n", "\r"]) {
      const body = events(400, lineEnd);
      const bytes = encoder.encode(body).length;
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: bytes - 1 }), { maxLength: 60 }), (offsets) => {
          const seen = observe(body, offsets, { tailBytes: 500, headAfter: 1 });
          // The head, then (perhaps some again) the last events: at least the last 500 bytes' worth.
          expect(seen[0]).toBe(0);
          const last = seen.slice(-10);
          expect(last).toEqual(Array.from({ length: 10 }, (_, index) => 390 + index));
          // Whatever else arrives is whole (it parsed), in order, and never twice.
          expect(new Set(seen).size).toBe(seen.length);
          expect([...seen].sort((a, b) => a - b)).toEqual(seen);
        }),
        { numRuns: 200 },
      );
    }
  });

  it("reads at least the last tailBytes of a finished stream, whatever the split and however large its first chunk", () => {
    // Long enough for the window to drop chunks as it passes (past the trim slack).
    const count = 2000;
    const body = events(count);
    const bytes = encoder.encode(body);
    const tailBytes = 1000;
    // Byte offset where each event starts; every event starting in the last tailBytes must be read.
    const starts = Array.from({ length: count }, (_, index) => encoder.encode(events(index)).length);
    const needed = starts.flatMap((start, index) => (start >= bytes.length - tailBytes ? [index] : []));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40_000 }), fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (first, offsets, headAfter) => {
        const seen = new Set(observe(body, [first, ...offsets.filter((offset) => offset > first)], { tailBytes, headAfter }));
        for (const index of needed) expect(seen.has(index)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("with a head, decodes nothing while the body passes: every event is read when it ends", () => {
    const seen: number[] = [];
    const observer = createSseObserver({
      onMessage: (message) => seen.push((JSON.parse(message.data) as { n: number }).n),
      headComplete: () => seen.length >= 1,
      result: () => ({ usage: null, status: "ok", accuracy: "estimated" }),
    });
    for (const chunk of splitBytes(encoder.encode(events(400)), [10, 50, 3000, 9000])) observer.push(chunk);
    expect(seen).toEqual([]);
    observer.end("finished");
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(399);
  });

  it("decodes a stream arriving a few bytes at a time as it passes once its head has held too many chunks", () => {
    const seen: number[] = [];
    const observer = createSseObserver({
      onMessage: (message) => seen.push((JSON.parse(message.data) as { n: number }).n),
      headComplete: () => seen.length >= 1,
      tailBytes: 500,
      result: () => ({ usage: null, status: "ok", accuracy: "estimated" }),
    });
    const bytes = encoder.encode(events(400));
    // One byte per chunk: no chunk holds a whole boundary, so none is counted.
    for (let index = 0; index < 2000; index += 1) observer.push(bytes.subarray(index, index + 1));
    expect(seen[0]).toBe(0);
    for (let index = 2000; index < bytes.length; index += 3) observer.push(bytes.subarray(index, index + 3));
    observer.end("finished");
    expect(seen.slice(-10)).toEqual(Array.from({ length: 10 }, (_, index) => 390 + index));
    expect(new Set(seen).size).toBe(seen.length);
    // The middle went by undecoded: only the head and the window were read.
    expect(seen.length).toBeLessThan(100);
  });

  it("keeps every event after the head when the whole stream is shorter than the window, whatever the line endings", () => {
    for (const lineEnd of ["\n", "\r\n", "\r"]) {
      const body = events(12, lineEnd);
      const all = new Set(Array.from({ length: 12 }, (_, index) => index));
      // The split that once lost the second event: the head's chunk held only the closing newline.
      expect(new Set(observe(body, [23, 24], { headAfter: 1 }))).toEqual(all);
      // One byte at a time: every boundary split across chunks.
      expect(new Set(observe(body, Array.from({ length: body.length }, (_, index) => index + 1), { headAfter: 1 }))).toEqual(all);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: encoder.encode(body).length - 1 }), { maxLength: 20 }), (offsets) => {
          expect(new Set(observe(body, offsets, { headAfter: 1 }))).toEqual(all);
        }),
        { numRuns: 300 },
      );
    }
  });

  it("reads a last chunk that begins with a boundary to its end, without scanning forever", () => {
    const body = events(12);
    const bytes = encoder.encode(body);
    // Cut just before the fifth boundary (a byte offset), so the last chunk starts with its two newlines.
    let cut = -1;
    for (let boundary = 0; boundary < 5; boundary += 1) cut = bytes.findIndex((byte, index) => index > cut && byte === 10 && bytes[index + 1] === 10);
    const seen = observe(body, [cut], { headAfter: 1, tailBytes: 10_000 });
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 12 }, (_, index) => index)));
  });

  it("ends cleanly when the head took the whole stream and ended on a boundary", () => {
    let ended = false;
    const observer = createSseObserver({
      onMessage: () => {},
      headComplete: () => true,
      result: (how) => {
        ended = how === "finished";
        return { usage: null, status: "ok", accuracy: "estimated" };
      },
    });
    observer.push(encoder.encode(events(1)));
    expect(() => observer.end("finished")).not.toThrow();
    expect(ended).toBe(true);
  });

  it("with tailComplete, reads a finished stream's last events alone when they tell all (not even its head), else the head and the window too", () => {
    const body = events(400);
    const bytes = encoder.encode(body);
    const run = (complete: boolean) => {
      const seen: number[] = [];
      let read = 0;
      const observer = createSseObserver({
        onMessage: (message) => seen.push((JSON.parse(message.data) as { n: number }).n),
        headComplete: () => seen.length >= 1,
        tailComplete: () => complete,
        result: (_how, counted) => {
          read = counted.readBytes;
          return { usage: null, status: "ok", accuracy: "estimated" };
        },
      });
      for (const chunk of splitBytes(bytes, [5000, 10000])) observer.push(chunk);
      observer.end("finished");
      return { seen, read };
    };
    const lastEvents = encoder.encode(events(400).slice(events(397).length)).length;
    const complete = run(true);
    expect(complete.seen).toEqual([397, 398, 399]);
    expect(complete.read).toBe(lastEvents);
    const incomplete = run(false);
    // The head and the window follow, the last events again at its end; bytes are counted once.
    expect(incomplete.seen.slice(0, 4)).toEqual([397, 398, 399, 0]);
    expect(incomplete.seen.slice(-3)).toEqual([397, 398, 399]);
    expect(incomplete.seen.length).toBeGreaterThan(10);
    const eventBytes = (n: number) => encoder.encode(events(n + 1).slice(events(n).length)).length;
    const window = incomplete.seen.slice(4).reduce((total, n) => total + eventBytes(n), 0);
    expect(window).toBeGreaterThanOrEqual(4096);
    expect(incomplete.read).toBe(encoder.encode(events(1)).length + window);
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

  it("decodes a large first chunk only as far as the head needs, then only the end of the stream", () => {
    const body = events(400);
    const seen = observe(body, [], { headAfter: 1 });
    expect(seen[0]).toBe(0);
    expect(seen.slice(-3)).toEqual([397, 398, 399]);
    // 4 KiB of ~36-byte events at the end: far fewer than the 400 that passed.
    expect(seen.length).toBeLessThan(200);
  });

  it("says how many bytes it read of how many passed, for the estimate of a cut stream", () => {
    const run = (body: string, how: "finished" | "cancelled", headAfter?: number) => {
      let seenBytes: { readBytes: number; totalBytes: number } | undefined;
      const observer = createSseObserver({
        onMessage: () => {},
        result: (_how, seen) => {
          seenBytes = seen;
          return { usage: null, status: "ok", accuracy: "estimated" };
        },
        ...(headAfter === undefined ? {} : { headComplete: () => true }),
      });
      for (const chunk of splitBytes(encoder.encode(body), [100, 5000, 9000])) observer.push(chunk);
      observer.end(how);
      return seenBytes!;
    };
    const short = events(20);
    expect(run(short, "finished", 1)).toEqual({ readBytes: encoder.encode(short).length, totalBytes: encoder.encode(short).length });
    const long = events(2000);
    const total = encoder.encode(long).length;
    const finished = run(long, "finished", 1);
    const cut = run(long, "cancelled", 1);
    expect(finished.totalBytes).toBe(total);
    expect(finished.readBytes).toBeLessThan(total / 4);
    // A cut stream reads the whole window it kept, more than a finished one needs.
    expect(cut.readBytes).toBeGreaterThan(finished.readBytes);
    expect(cut.readBytes).toBeLessThan(total);
    // Without a head, everything is read.
    expect(run(long, "finished")).toEqual({ readBytes: total, totalBytes: total });
  });
});
