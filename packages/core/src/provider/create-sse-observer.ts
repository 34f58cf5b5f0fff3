import { createSseReader, type SseMessage, type SseReader } from "../stream/create-sse-reader";
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
   * Optional: true once the events at the start of the stream told what they carry (e.g. the model). It
   * must turn true within the stream's first three events: those are kept as they pass, then only the end
   * of the stream is (every provider reports its final numbers there), and all of it is decoded when the
   * body ends, off the caller's reads; the bytes in between are passed on without being decoded. Without
   * it, every event is decoded as it passes.
   */
  headComplete?(): boolean;
  /**
   * Optional: true once the stream's last events told all the adapter needs (its final usage, its end and
   * what the head would have told). A finished stream's last events are read first, alone, and when it
   * says true nothing else is (not even the head); otherwise the head and the window of `tailBytes` are
   * read, those last events again among them.
   */
  tailComplete?(): boolean;
  /**
   * Bytes read from the end of the stream once the head is complete, at least; the last three events are
   * always read whole too, however large (a final event may carry the whole answer). A stream cut short
   * is read from the start of the window kept, for the estimate of its output. Default 4 KiB.
   */
  tailBytes?: number;
}

const keptEvents = 3;
// Events kept at the start of a stream for the head, read when the body ends (see `headComplete`).
const headEvents = 3;
// Boundaries split between chunks are not counted: a head that shows too few within this many bytes or
// chunks (a stream arriving a few bytes at a time) is decoded as it passes instead, so what it holds stays bounded.
const headKeptBytes = 65_536;
const headKeptChunks = 64;
// The chunks kept after the head are cut back to the window only once this much more has piled up, so
// a trim counts the event boundaries of the newest chunk or two rather than of every chunk that passes.
const trimSlackBytes = 32768;

/**
 * Event boundaries (a blank line: LF LF, CR LF CR LF, CR CR) inside one chunk, counted up to `limit`.
 * Native `indexOf` does the scanning, and the CR-only form is looked for only when LF ones fall short,
 * so a large chunk is not scanned end to end for a CR it does not have. A boundary split across chunks
 * is not counted, which only keeps more of the stream, never less.
 */
function countBoundaries(chunk: Uint8Array, limit: number): number {
  let count = 0;
  // Each search is a native call: none is made once the limit is reached.
  for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) {
    if (chunk[index + 1] === 10) index += 1;
    else if (chunk[index + 1] === 13 && chunk[index + 2] === 10) index += 2;
    else continue;
    count += 1;
    if (count === limit) return count;
  }
  for (let index = chunk.indexOf(13); index !== -1; index = chunk.indexOf(13, index + 1)) {
    if (chunk[index + 1] !== 13) continue;
    index += 1;
    count += 1;
    if (count === limit) return count;
  }
  return count;
}

/** The index just past the first event boundary at or after `from`, or -1 when the chunk holds none. */
function boundaryEnd(chunk: Uint8Array, from: number): number {
  for (let index = chunk.indexOf(10, from); index !== -1; index = chunk.indexOf(10, index + 1)) {
    if (chunk[index + 1] === 10) return index + 2;
    if (chunk[index + 1] === 13 && chunk[index + 2] === 10) return index + 3;
  }
  for (let index = chunk.indexOf(13, from); index !== -1; index = chunk.indexOf(13, index + 1)) {
    if (chunk[index + 1] === 13) return index + 2;
  }
  return -1;
}

/**
 * Whether bytes that end at `end` close an event with LF LF or CR LF CR LF. (After CR CR the SSE reader
 * still waits for a possible LF, so that form does not count as a clean end.)
 */
function endsOnBoundary(chunk: Uint8Array, end: number): boolean {
  const last = end - 1;
  return chunk[last] === 10 && (chunk[last - 1] === 10 || (chunk[last - 1] === 13 && chunk[last - 2] === 10));
}

/**
 * Where to start decoding a window that begins inside the stream: just past an LF-style boundary that
 * leaves at least `minBytes` and `keptEvents` whole events after it, scanning back from the end; -1
 * when the window holds no such boundary (CR-only line endings, or too few events).
 */
function lastEventsStart(window: Uint8Array, minBytes: number): number {
  const before = window.length - minBytes;
  let count = 0;
  // (A negative fromIndex would count from the end again: the scan stops at the start instead.)
  for (let index = window.lastIndexOf(10); index > 0; index = index > 0 ? window.lastIndexOf(10, index - 1) : -1) {
    let first = -1;
    if (window[index - 1] === 10) first = index - 1;
    else if (window[index - 1] === 13 && window[index - 2] === 10) first = index - 2;
    if (first === -1) continue;
    count += 1;
    if (count > keptEvents && index + 1 <= before) return index + 1;
    index = first;
  }
  return -1;
}

/** The chunks' last `count` bytes (at most all of them), in one array. */
function joinChunks(chunks: readonly { bytes: Uint8Array }[], count: number): Uint8Array {
  const joined = new Uint8Array(count);
  let offset = count;
  for (let index = chunks.length - 1; index >= 0 && offset > 0; index -= 1) {
    const bytes = chunks[index]!.bytes;
    const take = Math.min(bytes.length, offset);
    offset -= take;
    joined.set(take === bytes.length ? bytes : bytes.subarray(bytes.length - take), offset);
  }
  return joined;
}

/**
 * An observer for `text/event-stream` bodies: frames the bytes into events and hands each to the
 * adapter's state machine; `result` turns that state into an observation when the body ends.
 */
export function createSseObserver(handlers: SseObserverHandlers): ResponseObserverV1 {
  // Made on first use: a stream with a head is decoded only when it ends.
  let mainReader: SseReader | undefined;
  const reader = () => (mainReader ??= createSseReader(handlers.onMessage));
  const tailBytes = handlers.tailBytes ?? 4_096;
  // As the body passes, nothing is decoded: the chunks holding the first events are kept whole (`head`,
  // until `headEvents` boundaries were seen), then the window at the end, as `keep` trims it. When the
  // body ends they are replayed through the decoding below, as if they were arriving then.
  let head: Uint8Array[] | undefined = handlers.headComplete ? [] : undefined;
  let headBoundaries = 0;
  let headLength = 0;
  // After the head: the last chunks, not yet decoded, each with its count of event boundaries (capped at
  // what the window needs; -1 until counted, and a chunk dropped before anyone asked is never counted).
  let tail: { bytes: Uint8Array; boundaries: number }[] | undefined;
  let tailLength = 0;
  let trimAt = 0;
  let totalBytes = 0;
  let readBytes = 0;
  // True while no chunk was dropped: the window then continues exactly where the reader stopped.
  let whole = true;
  // True when the head ended on an event boundary: the window then starts with a whole event.
  let headEndsOnBoundary = false;

  /**
   * Drops the oldest chunks while what stays still holds the window and the last events whole: the
   * boundaries are counted from the newest chunk back, only as far as the last events need.
   */
  const trim = (kept: { bytes: Uint8Array; boundaries: number }[]) => {
    let found = 0;
    let first = kept.length;
    while (first > 1 && found < keptEvents + 1) {
      first -= 1;
      const entry = kept[first]!;
      if (entry.boundaries === -1) entry.boundaries = countBoundaries(entry.bytes, keptEvents + 1);
      found += entry.boundaries;
    }
    // kept[first..] holds the last events; everything before it may go while the bytes after it suffice.
    let dropped = 0;
    if (found >= keptEvents + 1) {
      while (dropped < first && tailLength - kept[dropped]!.bytes.length >= tailBytes) {
        tailLength -= kept[dropped]!.bytes.length;
        dropped += 1;
      }
    }
    if (dropped > 0) {
      kept.splice(0, dropped);
      whole = false;
    }
    // A window that cannot shrink (one event larger than it) is looked at again only once it has doubled.
    trimAt = tailLength + Math.max(trimSlackBytes, dropped > 0 ? 0 : tailLength);
  };

  const keep = (bytes: Uint8Array) => {
    tail!.push({ bytes, boundaries: -1 });
    tailLength += bytes.length;
    if (tailLength >= trimAt) trim(tail!);
  };

  const readTail = (how: BodyEnd) => {
    if (!tail) return;
    trim(tail);
    if (whole && !headEndsOnBoundary) {
      // Nothing was dropped and the reader stopped mid-event: it carries on from where it stopped.
      const events = reader();
      for (const { bytes } of tail) events.push(bytes);
      readBytes += tailLength;
      events.end();
      return;
    }
    // The window starts at an event (the head ended on a boundary) or inside one. A finished stream is
    // decoded from where its last events (and `tailBytes`) begin: usually inside its last chunk, decoded
    // in place, or its last few KiB, copied alone. A cut one is decoded from the window's first boundary,
    // as its text feeds the estimate.
    if (tail.length === 0) return;
    if (how === "finished") {
      const last = tail[tail.length - 1]!.bytes;
      if (readLastEvents()) return;
      const inLast = lastEventsStart(last, tailBytes);
      if (inLast !== -1) {
        decodeFrom(last.subarray(inLast));
        return;
      }
      const suffix = 2 * tailBytes;
      if (tail.length > 1 && suffix < tailLength) {
        const end = joinChunks(tail, suffix);
        const inEnd = lastEventsStart(end, tailBytes);
        if (inEnd !== -1) {
          decodeFrom(end.subarray(inEnd));
          return;
        }
      }
    }
    const joined = tail.length === 1 ? tail[0]!.bytes : joinChunks(tail, tailLength);
    let start = how === "finished" && tail.length > 1 ? lastEventsStart(joined, tailBytes) : -1;
    if (start === -1) start = whole ? 0 : boundaryEnd(joined, 0);
    if (start === -1) return;
    decodeFrom(start === 0 ? joined : joined.subarray(start));
  };

  let probed = false;
  /**
   * Decodes a finished stream's last events alone, once; true when they told all the adapter needs
   * (`tailComplete`), and nothing else is then read. Otherwise they are read again within the window.
   */
  const readLastEvents = (): boolean => {
    if (probed || !handlers.tailComplete || !tail || tail.length === 0) return false;
    probed = true;
    const last = tail[tail.length - 1]!.bytes;
    const start = lastEventsStart(last, 0);
    if (start === -1) return false;
    decodeFrom(last.subarray(start));
    if (handlers.tailComplete()) return true;
    // Read again within the window: counted once.
    readBytes -= last.length - start;
    return false;
  };

  /** Decodes bytes that start with a whole event, to the end of the stream. */
  const decodeFrom = (bytes: Uint8Array) => {
    const events = createSseReader(handlers.onMessage);
    events.push(bytes);
    readBytes += bytes.length;
    events.end();
  };

  /** Feeds the head event by event, so a large first chunk is not decoded beyond what the head needs. */
  const pushHead = (chunk: Uint8Array) => {
    for (let from = 0; from < chunk.length; ) {
      const end = handlers.headComplete ? boundaryEnd(chunk, from) : -1;
      const to = end === -1 ? chunk.length : end;
      reader().push(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
      readBytes += to - from;
      from = to;
      // From here on, chunks are only kept; the reader resumes on them at the end if none was dropped.
      if (handlers.headComplete?.()) {
        tail = [];
        headEndsOnBoundary = endsOnBoundary(chunk, to);
        if (from < chunk.length) keep(chunk.subarray(from));
        return;
      }
    }
  };

  /** One chunk through the decoding: the head event by event, then kept for the tail. */
  const take = (chunk: Uint8Array) => {
    if (tail) keep(chunk);
    else pushHead(chunk);
  };

  /** Decodes the head's kept chunks now; from then on the stream is decoded as it passes. */
  const decodeHead = () => {
    const kept = head!;
    head = undefined;
    for (const chunk of kept) take(chunk);
  };

  /** Decodes what was kept as it passed: the head, then the window, as if each chunk arrived now. */
  const replay = () => {
    const window = tail;
    const windowWhole = whole;
    tail = undefined;
    tailLength = 0;
    trimAt = 0;
    decodeHead();
    if (!window) return;
    if (windowWhole) {
      // Nothing was dropped: the same chunks in the same order, so the same events as if decoded on arrival.
      for (const { bytes } of window) take(bytes);
      return;
    }
    // The window no longer joins the head: it is the tail, read from its own boundaries.
    tail = window;
    tailLength = 0;
    for (const { bytes } of window) tailLength += bytes.length;
    whole = false;
  };

  return {
    push(chunk) {
      totalBytes += chunk.length;
      if (!head) {
        take(chunk);
        return;
      }
      if (tail) {
        keep(chunk);
        return;
      }
      head.push(chunk);
      headLength += chunk.length;
      headBoundaries += countBoundaries(chunk, headEvents - headBoundaries);
      if (headBoundaries >= headEvents) tail = [];
      else if (headLength > headKeptBytes || head.length > headKeptChunks) decodeHead();
    },
    end(how) {
      if (head) {
        // A finished stream whose last events tell all needs neither its head nor the rest of its window.
        if (how === "finished" && readLastEvents()) return handlers.result(how, { readBytes, totalBytes });
        replay();
      }
      if (tail) readTail(how);
      else if (how === "finished") reader().end();
      return handlers.result(how, { readBytes, totalBytes });
    },
  };
}
