import fc from "fast-check";
import { createParser } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { splitBytes } from "../test/split-bytes";
import { createSseReader, type SseMessage } from "./create-sse-reader";

const encoder = new TextEncoder();

function read(chunks: readonly (string | Uint8Array)[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const reader = createSseReader((message) => messages.push(message));
  for (const chunk of chunks) reader.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
  reader.end();
  return messages;
}

const message = (data: string, event?: string, id?: string): SseMessage => ({ data, event, id });

describe("createSseReader", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("frames events with %s line endings", (_name, eol) => {
    const body = `data: {"a":1}${eol}${eol}event: done${eol}data: bye${eol}${eol}`;
    expect(read([body])).toEqual([message('{"a":1}'), message("bye", "done")]);
  });

  it("skips comments and keeps id fields", () => {
    expect(read([": keepalive\n\n:another\ndata: x\nid: 7\n\n: trailing\n\n"])).toEqual([message("x", undefined, "7")]);
  });

  it("joins multi-line data with \\n", () => {
    expect(read(["data: line one\ndata: line two\ndata:line three\n\n"])).toEqual([message("line one\nline two\nline three")]);
  });

  it("names events and resets the name after each event", () => {
    expect(read(["event: message_start\ndata: {}\n\ndata: plain\n\nevent: ping\ndata: p\n\n"])).toEqual([message("{}", "message_start"), message("plain"), message("p", "ping")]);
  });

  it("delivers a last event that lacks its closing blank line on end()", () => {
    expect(read(['data: 1\n\ndata: {"usage":42}\n'])).toEqual([message("1"), message('{"usage":42}')]);
    expect(read(['event: final\ndata: {"usage":42}'])).toEqual([message('{"usage":42}', "final")]);
  });

  it("does not deliver the unterminated event before end()", () => {
    const messages: SseMessage[] = [];
    const reader = createSseReader((one) => messages.push(one));
    reader.push(encoder.encode("data: a\n\ndata: b\n"));
    expect(messages).toEqual([message("a")]);
    reader.end();
    expect(messages).toEqual([message("a"), message("b")]);
  });

  it("decodes multi-byte UTF-8 characters split across chunks", () => {
    const bytes = encoder.encode("data: héllo 😀 世界\n\n");
    const emoji = bytes.indexOf(0xf0);
    const chunks = [bytes.slice(0, emoji + 1), bytes.slice(emoji + 1, emoji + 3), bytes.slice(emoji + 3)];
    expect(read(chunks)).toEqual([message("héllo 😀 世界")]);
    // One byte at a time.
    expect(read(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual([message("héllo 😀 世界")]);
  });

  it("does not count a CRLF split between chunks as two line endings", () => {
    expect(read(["data: a\r", "\ndata: b\r\n\r", "\n"])).toEqual([message("a\nb")]);
  });

  const bodies = [
    'data: {"id":1}\n\ndata: {"id":2}\n\ndata: [DONE]\n\n',
    'event: message_start\r\ndata: {"type":"message_start","text":"héllo 😀"}\r\n\r\n: ping\r\n\r\nevent: message_delta\r\ndata: {"usage":{"output_tokens":12}}\r\n\r\n',
    "data: one\rdata: two\r\rdata: 三\r\r",
    ": keepalive\n\nevent: x\ndata: multi\ndata: line 🧪\nid: 9\n\ndata: tail without blank line",
    "data: 🎉🎉🎉\n\n\n\ndata:\n\ndata: é\r\n\r\n",
  ];

  it("gives the same messages however the bytes are split into chunks", () => {
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.array(fc.nat({ max: 400 }), { maxLength: 30 }), (body, offsets) => {
        const bytes = encoder.encode(body);
        const whole = read([bytes]);
        expect(whole.length).toBeGreaterThan(0);
        expect(read(splitBytes(bytes, offsets))).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it("gives the same messages for every single split point of the CRLF + emoji body", () => {
    const bytes = encoder.encode(bodies[1]!);
    const whole = read([bytes]);
    expect(whole).toEqual([message('{"type":"message_start","text":"héllo 😀"}', "message_start"), message('{"usage":{"output_tokens":12}}', "message_delta")]);
    for (let cut = 1; cut < bytes.length; cut += 1) expect(read(splitBytes(bytes, [cut])), `cut at ${cut}`).toEqual(whole);
  });
});

// The reference the reader was first built on (a dev dependency now): for any stream, split anywhere, it
// must frame exactly the same events.
function readWithEventsourceParser(chunks: readonly Uint8Array[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createParser({ onEvent: (event) => messages.push({ event: event.event, data: event.data, id: event.id }) });
  const decoder = new TextDecoder();
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  parser.feed(`${decoder.decode()}\n\n`);
  return messages;
}

describe("createSseReader against eventsource-parser", () => {
  const lines = fc.constantFrom(
    "data: {\"a\":1}",
    "data:x",
    "data:  two spaces",
    "data",
    "data:",
    "data: a:b: c",
    "event: message_delta",
    "event:",
    "event",
    "id: 7",
    "id",
    "id: a\u0000b",
    ": keepalive",
    ":",
    "retry: 100",
    "retry: soon",
    "unknown: field",
    "dat: a",
    "datas: a",
    "eventx: y",
    "data: héllo 😀 世界",
    "",
    "",
  );
  const endings = fc.constantFrom("\n", "\r\n", "\r");
  const stream = fc.array(fc.tuple(lines, endings), { maxLength: 40 }).chain((parts) =>
    fc.tuple(
      fc.constant(parts.map(([text, ending]) => text + ending).join("")),
      fc.boolean(),
    ).map(([body, cut]) => (cut ? body.slice(0, Math.max(0, body.length - 1)) : body)),
  );

  it("frames the same events for any lines, line endings and splits", () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat({ max: 600 }), { maxLength: 20 }), (body, offsets) => {
        const chunks = splitBytes(encoder.encode(body), offsets);
        expect(read(chunks)).toEqual(readWithEventsourceParser(chunks));
      }),
      { numRuns: 3000 },
    );
  });
});
