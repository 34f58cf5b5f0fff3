import { createJsonObserver, type ObservationV1, type ProviderResponseV1, readCounts, readField, type ResponseObserverV1, type TokenUsageV1 } from "@usagepilot/core";

const usageKeys = ["input_tokens", "output_tokens", "total_tokens"] as const;
const inputDetailKeys = ["text_tokens", "image_tokens"] as const;

/**
 * gpt-image models report tokens (`usage.input_tokens`, `output_tokens`, `input_tokens_details.image_tokens`);
 * output tokens are the image itself. Null when the answer carries none (DALL·E bills per image).
 */
function imageUsage(value: unknown): TokenUsageV1 | null {
  if (value === null || value === undefined) return null;
  const counts = readCounts(value, usageKeys);
  if (!counts || counts.input_tokens === undefined || counts.output_tokens === undefined) return null;
  const details = readCounts(readField(value, "input_tokens_details"), inputDetailKeys);
  const usage: TokenUsageV1 = { inputTokens: counts.input_tokens, outputTokens: counts.output_tokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };
  if (details?.image_tokens !== undefined && details.image_tokens > 0) usage.imageInputTokens = Math.min(details.image_tokens, counts.input_tokens);
  return usage;
}

/**
 * Reads an Images API answer (`/images/generations`, `/images/edits`, `/images/variations`): the images
 * made are counted as the unit `images` (what DALL·E bills), and tokens are read where the model reports
 * them (gpt-image). The answer names no model, so core records the one the request asked for. A streamed
 * image answer is not read: it is recorded with its usage not measured.
 */
export function observeOpenAIImages(response: ProviderResponseV1): ResponseObserverV1 {
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    return {
      push() {},
      end: (how) => ({ usage: null, status: how === "finished" ? "ok" : "aborted", accuracy: "estimated", problem: "streamed image answers are not read; usage not measured" }),
    };
  }
  return createJsonObserver((body): ObservationV1 => {
    const failed = readField(body, "error") != null;
    const data = readField(body, "data");
    const images = Array.isArray(data) ? data.length : 0;
    const usage = imageUsage(readField(body, "usage"));
    return {
      usage,
      units: images > 0 ? { images } : {},
      status: failed ? "error" : "ok",
      accuracy: "reported",
      ...(failed || usage || images > 0 ? {} : { problem: "the image answer carried neither images nor usage" }),
    };
  });
}
