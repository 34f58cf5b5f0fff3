import { safeParseJson } from "../util/safe-parse-json";
import type { ObservationV1, ResponseObserverV1 } from "./provider-adapter-v1";

/**
 * An observer for whole JSON bodies: keeps the bytes as they pass, parses once at the end without
 * throwing, and hands the value to the adapter. A body that did not end, or is not JSON, has no usage.
 */
export function createJsonObserver(read: (body: unknown) => ObservationV1): ResponseObserverV1 {
  const decoder = new TextDecoder();
  let text = "";
  return {
    push(chunk) {
      text += decoder.decode(chunk, { stream: true });
    },
    end(how) {
      if (how !== "finished") {
        return { usage: null, status: "aborted", accuracy: "estimated", problem: `response body ${how} before it ended` };
      }
      text += decoder.decode();
      const parsed = safeParseJson(text);
      if (!parsed.ok) {
        return { usage: null, status: "error", accuracy: "estimated", problem: `response body is not JSON: ${parsed.error.message}` };
      }
      return read(parsed.value);
    },
  };
}
