import { createJsonObserver, type ObservationV1, readField, type ResponseObserverV1 } from "@usagepilot/core";

/**
 * Reads a `countTokens` answer. Counting tokens is not billed, so a successful call records zero tokens
 * (exact, not unknown); the count it returns describes some other request's input and is not this
 * call's usage. An `error` answer is an error with usage not measured.
 */
export function observeGoogleCountTokens(): ResponseObserverV1 {
  return createJsonObserver((body): ObservationV1 => {
    if (readField(body, "error") != null) return { usage: null, status: "error", accuracy: "reported" };
    return { usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 }, status: "ok", accuracy: "reported" };
  });
}
