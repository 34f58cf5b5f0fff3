import { type BodyEnd, type ObservationV1, type ResponseObserverV1, safeParseJson } from "@usagepilot/core";
import { createJsonArrayFramer } from "./create-json-array-framer";
import { createGoogleStreamState } from "./google-stream-state";

/**
 * Reads `streamGenerateContent` without `alt=sse`: one JSON array that arrives element by element. Each
 * element is framed incrementally and parsed once when its last byte passes; nothing else is buffered.
 * A lone object (an error answer) reads as one chunk.
 */
export function observeGoogleJsonArrayStream(): ResponseObserverV1 {
  const state = createGoogleStreamState();
  const framer = createJsonArrayFramer((text) => {
    const parsed = safeParseJson(text);
    if (parsed.ok) state.chunk(parsed.value);
    else state.unreadable();
  });
  let totalBytes = 0;
  // Its content type says JSON, so the event learns from here that it was a stream.
  const finish = (how: BodyEnd): ObservationV1 => ({ ...state.result(how, { readBytes: totalBytes, totalBytes }), streamed: true });
  return {
    push(chunk) {
      totalBytes += chunk.length;
      framer.push(chunk);
    },
    end: finish,
    readWhole(body) {
      if ("json" in body) {
        const value = body.json;
        for (const element of Array.isArray(value) ? value : [value]) state.chunk(element);
      } else if ("text" in body) {
        const bytes = new TextEncoder().encode(body.text);
        totalBytes += bytes.length;
        framer.push(bytes);
      } else {
        state.unreadable();
      }
      return finish("finished");
    },
  };
}
