import { createSseObserver, type ResponseObserverV1, safeParseJson } from "@usagepilot/core";
import { createGoogleStreamState } from "./google-stream-state";

/**
 * Reads `streamGenerateContent?alt=sse`: each `data:` event is one chunk. Once the model is known only the
 * tail of a long stream is decoded (core's `headComplete`): the last snapshot, the finish reason and an
 * error all come at the end.
 */
export function observeGoogleSseStream(): ResponseObserverV1 {
  const state = createGoogleStreamState();
  // core may hand the event at the switch to the tail over twice; an identical event changes nothing.
  let previous: string | undefined;
  return createSseObserver({
    headComplete: () => state.model !== undefined,
    onMessage(message) {
      if (message.data === previous) return;
      previous = message.data;
      if (message.data === "" || message.data === "[DONE]") return;
      const parsed = safeParseJson(message.data);
      if (parsed.ok) state.chunk(parsed.value);
      else state.unreadable();
    },
    result: (how, seen) => state.result(how, seen),
  });
}
