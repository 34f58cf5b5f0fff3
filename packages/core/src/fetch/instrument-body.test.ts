import { describe, expect, it } from "vitest";
import type { BodyEnd } from "../provider/provider-adapter-v1";
import { collectBytes } from "../test/collect-stream";
import { streamFromChunks } from "../test/stream-from-chunks";
import { watchBody } from "./instrument-body";

const encoder = new TextEncoder();
const chunks = ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"].map((text) => encoder.encode(text));
const whole = encoder.encode(chunks.map((chunk) => new TextDecoder().decode(chunk)).join(""));

function watched(options: { drainOnCancel?: boolean } = {}) {
  const seen: { chunks: number[]; ends: BodyEnd[] } = { chunks: [], ends: [] };
  const source = streamFromChunks(chunks);
  const body = watchBody(source, { chunk: (bytes) => seen.chunks.push(bytes.length), end: (how) => seen.ends.push(how) }, { drainOnCancel: options.drainOnCancel ?? false, isCallerAbort: () => false });
  return { source, body, seen };
}

describe("watchBody", () => {
  it("hands back the same stream, whose reader reports each chunk once and the end once", async () => {
    const { source, body, seen } = watched();
    expect(body).toBe(source);
    expect(body).toBeInstanceOf(ReadableStream);
    expect(await collectBytes(body)).toEqual(whole);
    expect(seen).toEqual({ chunks: [9, 9, 9], ends: ["finished"] });
  });

  it("for await and values() read through a watched reader and release it at the end", async () => {
    // `values()` is not in every lib's ReadableStream type, though Node and browsers have it.
    const values = (stream: ReadableStream<Uint8Array>) => (stream as unknown as { values(): AsyncIterable<Uint8Array> }).values();
    for (const iterate of [(stream: ReadableStream<Uint8Array>) => stream as unknown as AsyncIterable<Uint8Array>, values]) {
      const { body, seen } = watched();
      const read: number[] = [];
      for await (const chunk of iterate(body)) read.push(chunk.length);
      expect(read).toEqual([9, 9, 9]);
      expect(body.locked).toBe(false);
      expect(seen).toEqual({ chunks: [9, 9, 9], ends: ["finished"] });
    }
  });

  it("leaving a for await early cancels the stream: the end is reported as cancelled", async () => {
    const { body, seen } = watched();
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      expect(chunk.length).toBe(9);
      break;
    }
    expect(seen).toEqual({ chunks: [9], ends: ["cancelled"] });
  });

  it("a pipe or a tee reads through a pass-through copy: every byte once, one end", async () => {
    const piped = watched();
    const decoded = await collectBytes(piped.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>()));
    expect(decoded).toEqual(whole);
    expect(piped.seen).toEqual({ chunks: [9, 9, 9], ends: ["finished"] });

    const teed = watched();
    const [left, right] = teed.body.tee();
    expect(await collectBytes(left)).toEqual(whole);
    expect(await collectBytes(right)).toEqual(whole);
    expect(teed.seen).toEqual({ chunks: [9, 9, 9], ends: ["finished"] });
  });

  it("a reader's cancel and the stream's own cancel report cancelled", async () => {
    const byReader = watched();
    const reader = byReader.body.getReader();
    await reader.read();
    await reader.cancel(new Error("enough"));
    expect(byReader.seen).toEqual({ chunks: [9], ends: ["cancelled"] });

    const byStream = watched();
    await byStream.body.cancel();
    expect(byStream.seen).toEqual({ chunks: [], ends: ["cancelled"] });
  });

  it("a failing source reports failed and the caller sees the error", async () => {
    const seen: BodyEnd[] = [];
    const body = watchBody(streamFromChunks(chunks.slice(0, 1), { error: new Error("reset") }), { chunk: () => {}, end: (how) => seen.push(how) }, { drainOnCancel: false, isCallerAbort: () => false });
    await expect(collectBytes(body)).rejects.toThrow("reset");
    expect(seen).toEqual(["failed"]);
  });

  it("with drainOnCancel the caller gets a pass-through copy, and upstream is read to its end after a cancel", async () => {
    const { source, body, seen } = watched({ drainOnCancel: true });
    expect(body).not.toBe(source);
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual({ chunks: [9, 9, 9], ends: ["finished"] });
  });
});
