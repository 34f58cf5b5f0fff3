import { createSseReader, type SseMessage } from "../stream/create-sse-reader";
import type { BodyEnd, ObservationV1, ResponseObserverV1 } from "./provider-adapter-v1";

/** Handlers of `createSseObserver`. */
export interface SseObserverHandlers {
  /**
   * One event. Must be idempotent per event: with `headComplete`, an event near the switch to the tail
   * may be delivered twice (state that is last-wins or a flag is).
   */
  onMessage(message: SseMessage): void;
  /**
   * What was learned, when the body ends. `seen` says how many body bytes were decoded of how many passed
   * (fewer once the head is complete and the middle of a long stream went by unread), for `partialOutput`.
   */
  result(how: BodyEnd, seen: { readBytes: number; totalBytes: number }): ObservationV1;
  /**
   * Optional: true once the events at the start of the stream told what they carry (e.g. the model). From
   * then on only the end of the stream is read — every provider reports its final numbers there — so the
   * bytes in between are passed on without being decoded.
   */
  headComplete?(): boolean;
  /**
   * Bytes kept from the end of the stream once the head is complete, at least; the window also always
   * holds the last three events whole, however large (a final event may carry the whole answer).
   * Default 16 KiB.
   */
  tailBytes?: number;
}

const keptEvents = 3;

/**
 * Event boundaries (a blank line: LF LF, CR LF CR LF, CR CR) inside one chunk, counted up to `limit`.
 * Native `indexOf` does the scanning; a boundary split across chunks is not counted, which only keeps
 * more of the stream, never less.
 */
function countBoundaries(chunk: Uint8Array, limit: number): number {
  let count = 0;
  for (let index = chunk.indexOf(10); index !== -1 && count < limit; index = chunk.indexOf(10, index + 1)) {
    if (chunk[index + 1] === 10) {
      count += 1;
      index += 1;
    } else if (chunk[index + 1] === 13 && chunk[index + 2] === 10) {
      count += 1;
      index += 2;
    }
  }
  for (let index = chunk.indexOf(13); index !== -1 && count < limit; index = chunk.indexOf(13, index + 1)) {
    if (chunk[index + 1] === 13) {
      count += 1;
      index += 1;
    }
  }
  return count;
}

const boundary = /\r\n\r\n|\n\n|\r\r/;



/**
 * An observer for `text/event-stream` bodies: frames the bytes into events and hands each to the
 * adapter's state machine; `result` turns that state into an observation when the body ends.
 */
export function createSseObserver(handlers: SseObserverHandlers): ResponseObserverV1 {
  const reader = createSseReader(handlers.onMessage);
  const tailBytes = handlers.tailBytes ?? 16_384;
  // After the head: the last chunks, not yet decoded, each with its (capped) count of event boundaries.
  let tail: { bytes: Uint8Array; boundaries: number }[] | undefined;
  let tailLength = 0;
  let tailBoundaries = 0;
  let totalBytes = 0;
  let droppedBytes = 0;
  // True while no chunk was dropped: the window then continues exactly where the reader stopped.
  let whole = true;
  const keep = (bytes: Uint8Array) => {
    const boundaries = countBoundaries(bytes, keptEvents + 1);
    tail!.push({ bytes, boundaries });
    tailLength += bytes.length;
    tailBoundaries += boundaries;
    // Drop the oldest chunk only while what stays still holds the window and the last events whole.
    while (tail!.length > 1 && tailLength - tail![0]!.bytes.length >= tailBytes && tailBoundaries - tail![0]!.boundaries >= keptEvents + 1) {
      const dropped = tail!.shift()!;
      whole = false;
      droppedBytes += dropped.bytes.length;
      tailLength -= dropped.bytes.length;
      tailBoundaries -= dropped.boundaries;
    }
  };

  const readTail = () => {
    if (!tail) return;
    if (whole) {
      // Nothing was dropped: the same reader carries on from where it stopped, mid-event or not.
      for (const { bytes } of tail) reader.push(bytes);
      reader.end();
      return;
    }
    const joined = new Uint8Array(tailLength);
    let offset = 0;
    for (const { bytes } of tail) {
      joined.set(bytes, offset);
      offset += bytes.length;
    }
    const text = new TextDecoder().decode(joined);
    // The window starts inside the stream: resume after its first event boundary. It holds at least four
    // boundaries, so the last events are whole whatever is skipped here.
    const match = boundary.exec(text);
    if (!match) return;
    const events = createSseReader(handlers.onMessage);
    events.push(new TextEncoder().encode(text.slice(match.index + match[0].length)));
    events.end();
  };

  return {
    push(chunk) {
      totalBytes += chunk.length;
      if (tail) {
        keep(chunk);
        return;
      }
      reader.push(chunk);
      // From here on, chunks are only kept; the reader resumes on them at the end if none was dropped.
      if (handlers.headComplete?.()) tail = [];
    },
    end(how) {
      if (tail) readTail();
      else if (how === "finished") reader.end();
      return handlers.result(how, { readBytes: totalBytes - droppedBytes, totalBytes });
    },
  };
}
