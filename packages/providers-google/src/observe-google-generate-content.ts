import { createJsonObserver, type ObservationV1, readField, readString, type ResponseObserverV1, type TokenUsageV1 } from "@usagepilot/core";
import { convertGoogleUsage } from "./convert-google-usage";

/**
 * Reads a whole Gemini JSON answer: `generateContent`, an HTTP error's `{ error }`, or a streamed array
 * when it comes as one body (each element in turn, the last `usageMetadata` counting). A complete body
 * did not end early, so it is never "aborted"; an `error` object makes it an error.
 */
export function observeGoogleGenerateContent(): ResponseObserverV1 {
  return createJsonObserver((body): ObservationV1 => {
    let usage: TokenUsageV1 | null = null;
    let model: string | undefined;
    let failed = false;
    let unreadable = false;
    for (const element of Array.isArray(body) ? body : [body]) {
      if (readField(element, "error") != null) failed = true;
      model = readString(element, "modelVersion") ?? model;
      const metadata = readField(element, "usageMetadata");
      if (metadata == null) continue;
      const converted = convertGoogleUsage(metadata);
      if (converted) usage = converted;
      else unreadable = true;
    }
    const problem = unreadable ? "the usageMetadata was not a usage object" : !usage && !failed ? "the response carried no usageMetadata" : undefined;
    return {
      usage,
      model: model ?? null,
      status: failed ? "error" : "ok",
      accuracy: usage || failed ? "reported" : "estimated",
      ...(problem ? { problem } : {}),
    };
  });
}
