import { createSseReader, type SseMessage } from "../stream/create-sse-reader";
import type { BodyEnd, ObservationV1, ResponseObserverV1 } from "./provider-adapter-v1";

/**
 * An observer for `text/event-stream` bodies: frames the bytes into events and hands each to the
 * adapter's state machine; `result` turns that state into an observation when the body ends.
 */
export function createSseObserver(handlers: {
  onMessage(message: SseMessage): void;
  result(how: BodyEnd): ObservationV1;
}): ResponseObserverV1 {
  const reader = createSseReader(handlers.onMessage);
  return {
    push(chunk) {
      reader.push(chunk);
    },
    end(how) {
      if (how === "finished") reader.end();
      return handlers.result(how);
    },
  };
}
