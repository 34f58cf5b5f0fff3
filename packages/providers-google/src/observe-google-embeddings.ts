import { createJsonObserver, type ObservationV1, readField, type ResponseObserverV1 } from "@usagepilot/core";
import { convertGoogleUsage } from "./convert-google-usage";

/**
 * Reads an `embedContent` or `batchEmbedContents` answer. Embeddings are billed on their input, but the
 * answer does not always say how many tokens were counted: its `usageMetadata` is used when present,
 * else usage is null (not measured), never 0.
 */
export function observeGoogleEmbeddings(): ResponseObserverV1 {
  return createJsonObserver((body): ObservationV1 => {
    if (readField(body, "error") != null) return { usage: null, status: "error", accuracy: "reported" };
    const usage = convertGoogleUsage(readField(body, "usageMetadata"));
    if (!usage) return { usage: null, status: "ok", accuracy: "estimated", problem: "the embeddings answer carried no usageMetadata; usage not measured" };
    return { usage, status: "ok", accuracy: "reported" };
  });
}
