import { createSseReader, type SseMessage } from "../stream/create-sse-reader";
import type { BodyEnd, ObservationV1, ResponseObserverV1 } from "./provider-adapter-v1";

/** Handlers of `createSseObserver`. */
export interface SseObserverHandlers {
  /**
   * One event. Must be idempotent per event: with `headComplete`, an event near the switch to the tail
   * may be delivered twice (state that is last-wins or a flag is).
   */
  onMessage(message: SseMessage): void;
  /** What was learned, when the body ends. */
  result(how: BodyEnd): ObservationV1;
  /**
   * Optional: true once the events at the start of the stream told what they carry (e.g. the model). From
   * then on only the end of the stream is read — every provider reports its final numbers there — so the
   * bytes in between are passed on without being decoded.
   */
  headComplete?(): boolean;
  /** Bytes kept from the end of the stream once the head is complete. Default 64 KiB. */
  tailBytes?: number;
}

const boundary = /\r\n\r\n|\n\n|\r\r/;

/**
 * An observer for `text/event-stream` bodies: frames the bytes into events and hands each to the
 * adapter's state machine; `result` turns that state into an observation when the body ends.
 */
export function createSseObserver(handlers: SseObserverHandlers): ResponseObserverV1 {
  const reader = createSseReader(handlers.onMessage);
  const tailBytes = handlers.tailBytes ?? 65_536;
  // After the head: the last chunks, at least `tailBytes` of them, not yet decoded.
  let tail: Uint8Array[] | undefined;
  let tailLength = 0;

  const readTail = () => {
    if (!tail) return;
    const joined = new Uint8Array(tailLength);
    let offset = 0;
    for (const chunk of tail) {
      joined.set(chunk, offset);
      offset += chunk.length;
    }
    const text = new TextDecoder().decode(joined);
    // The window may start inside an event: resume at the first event boundary.
    const match = boundary.exec(text);
    if (!match) return;
    const events = createSseReader(handlers.onMessage);
    events.push(new TextEncoder().encode(text.slice(match.index + match[0].length)));
    events.end();
  };

  return {
    push(chunk) {
      if (tail) {
        tail.push(chunk);
        tailLength += chunk.length;
        while (tail.length > 1 && tailLength - tail[0]!.length >= tailBytes) tailLength -= tail.shift()!.length;
        return;
      }
      reader.push(chunk);
      // The chunk that completed the head starts the tail too, so an event split across it is not lost.
      if (handlers.headComplete?.()) {
        tail = [chunk];
        tailLength = chunk.length;
      }
    },
    end(how) {
      if (tail) readTail();
      else if (how === "finished") reader.end();
      return handlers.result(how);
    },
  };
}
