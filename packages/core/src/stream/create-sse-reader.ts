import { createParser } from "eventsource-parser";
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

/**
 * Reads `text/event-stream` bytes per the WHATWG spec (CRLF or LF, comments, multi-line `data:`,
 * `event:` names) through `eventsource-parser`, with a streaming UTF-8 decoder in front of it.
 */
export function createSseReader(onMessage: (message: SseMessage) => void): SseReader {
  const decoder = createUtf8Decoder();
  const parser = createParser({
    onEvent: (event) => onMessage({ event: event.event, data: event.data, id: event.id }),
  });
  return {
    push(bytes) {
      parser.feed(decoder.decode(bytes));
    },
    end() {
      // A last event without its blank line still carries what the provider said (often the usage):
      // closing the line and the event dispatches it; an already-closed stream gains nothing from it.
      parser.feed(decoder.end() + "\n\n");
      parser.reset();
    },
  };
}
