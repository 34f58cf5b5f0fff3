import { safeParseJson } from "../util/safe-parse-json";
import type { ObservationV1, ResponseObserverV1 } from "./provider-adapter-v1";

/**
 * An observer for whole JSON bodies: keeps the bytes as they pass, parses once at the end without
 * throwing, and hands the value to the adapter. A body that did not end, or is not JSON, has no usage.
 */
export function createJsonObserver(read: (body: unknown) => ObservationV1): ResponseObserverV1 {
  // Only a body pushed as bytes needs a decoder; most are handed over whole by the caller's json().
  let decoder: TextDecoder | undefined;
  let text = "";
  const fromText = (whole: string): ObservationV1 => {
    const parsed = safeParseJson(whole);
    if (!parsed.ok) return notJson(parsed.error.message);
    return read(parsed.value);
  };
  return {
    readWhole(body) {
      if ("json" in body) return read(body.json);
      if ("text" in body) return fromText(body.text);
      return notJson("the caller's json() could not parse it");
    },
    push(chunk) {
      decoder ??= new TextDecoder();
      text += decoder.decode(chunk, { stream: true });
    },
    end(how) {
      if (how !== "finished") {
        return { usage: null, status: "aborted", accuracy: "estimated", problem: `response body ${how} before it ended` };
      }
      if (decoder) text += decoder.decode();
      return fromText(text);
    },
  };
}

function notJson(reason: string): ObservationV1 {
  return { usage: null, status: "error", accuracy: "estimated", problem: `response body is not JSON: ${reason}` };
}
