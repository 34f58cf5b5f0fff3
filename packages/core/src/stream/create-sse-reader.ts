import { createUtf8Decoder } from "./create-utf8-decoder";

/** One Server-Sent Event, after framing: the `event:` name (if any) and the joined `data:` lines. */
export interface SseMessage {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/** A push-based SSE reader over raw bytes. */
export interface SseReader {
  /** Feeds the next bytes; a chunk may end anywhere, inside a line or a multi-byte character. */
  push(bytes: Uint8Array): void;
  /** The body ended: dispatches an event left without its closing blank line. */
  end(): void;
}

const LF = 10;
const COLON = 58;
const SPACE = 32;

/**
 * Reads `text/event-stream` bytes as the WHATWG spec interprets an event stream: lines end with CRLF,
 * LF or CR (a CRLF split between chunks is one ending); a line starting with ":" is a comment; a field's
 * value loses one leading space; `data` lines join with "\n"; a blank line dispatches the event if it
 * had data. `event` and `id` are those of the event itself (an empty `event:` is none, an `id` holding
 * NUL is ignored); `retry` and unknown fields are ignored, as a reader of answers (not a reconnecting
 * client) needs neither. UTF-8 is decoded in front of it, the leading BOM dropped.
 */
export function createSseReader(onMessage: (message: SseMessage) => void): SseReader {
  const decoder = createUtf8Decoder();
  // Text after the last line ending, in pieces (a long line arriving over many chunks is joined once, when
  // it ends), and whether that ending was a CR (a LF that follows belongs to it).
  const partial: string[] = [];
  let afterCR = false;
  let data: string | undefined;
  let event: string | undefined;
  let id: string | undefined;

  const dispatch = () => {
    if (data !== undefined) onMessage({ event, data, id });
    data = undefined;
    event = undefined;
    id = undefined;
  };

  const line = (text: string, start: number, end: number) => {
    if (start === end) {
      dispatch();
      return;
    }
    // The field name runs to the first colon (scanned within the line only); none: the whole line.
    let colon = start;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon += 1;
    if (colon === start) return; // a comment
    const length = colon - start;
    let value = "";
    if (colon < end) value = text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1, end);
    if (length === 4 && text.startsWith("data", start)) data = data === undefined ? value : `${data}\n${value}`;
    else if (length === 5 && text.startsWith("event", start)) event = value === "" ? undefined : value;
    else if (length === 2 && text.startsWith("id", start) && !value.includes("\0")) id = value;
  };

  const feed = (chunk: string) => {
    let from = 0;
    let text = chunk;
    // A CR ended the last text, so nothing of a line was left over: only its LF may follow.
    if (afterCR) {
      afterCR = false;
      if (chunk.charCodeAt(0) === LF) from = 1;
    } else if (partial.length > 0) {
      partial.push(chunk);
      if (!chunk.includes("\n") && !chunk.includes("\r")) return;
      text = partial.join("");
      partial.length = 0;
    }
    let lf = text.indexOf("\n", from);
    let cr = text.indexOf("\r", from);
    while (lf !== -1 || cr !== -1) {
      const atCR = cr !== -1 && (lf === -1 || cr < lf);
      const end = atCR ? cr : lf;
      line(text, from, end);
      from = end + 1;
      if (atCR) {
        if (from === text.length) afterCR = true;
        else if (text.charCodeAt(from) === LF) from += 1;
        cr = text.indexOf("\r", from);
      }
      if (lf !== -1 && lf < from) lf = text.indexOf("\n", from);
    }
    if (from < text.length) partial.push(from === 0 ? text : text.slice(from));
  };

  return {
    push(bytes) {
      const text = decoder.decode(bytes);
      if (text !== "") feed(text);
    },
    end() {
      // A last event without its blank line still carries what the provider said (often the usage):
      // closing the line and the event dispatches it; an already-closed stream gains nothing from it.
      feed(`${decoder.end()}\n\n`);
      partial.length = 0;
      afterCR = false;
      data = undefined;
      event = undefined;
      id = undefined;
    },
  };
}

