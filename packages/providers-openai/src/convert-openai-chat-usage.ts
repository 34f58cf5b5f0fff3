import { clampUsageSubsets, readCounts } from "@usagepilot/core";
import type { TokenUsageV1 } from "@usagepilot/core";
import type { OpenAIDialect } from "./openai-dialect";

const usageKeys = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_cache_hit_tokens", "prompt_cache_miss_tokens"] as const;
const promptDetailKeys = ["cached_tokens", "cache_write_tokens", "audio_tokens", "image_tokens"] as const;
const completionDetailKeys = ["reasoning_tokens", "audio_tokens", "rejected_prediction_tokens"] as const;

/**
 * Maps a Chat Completions `usage` (OpenAI or a compatible host) into the contract: input includes cache
 * reads and writes; output includes reasoning. Returns null when the value is not a usage object; parts a
 * host reports above their totals are cut to fit (the totals are what it bills).
 */
export function convertOpenAIChatUsage(value: unknown, dialect: OpenAIDialect): TokenUsageV1 | null {
  // Most stream chunks carry `usage: null`.
  if (typeof value !== "object" || value === null) return null;
  const usage = readCounts(value, usageKeys);
  const record = value as Record<string, unknown>;
  const details = readCounts(record.prompt_tokens_details, promptDetailKeys);
  const outputDetails = readCounts(record.completion_tokens_details, completionDetailKeys);
  if (!usage || !details || !outputDetails) return null;
  if (usage.prompt_tokens === undefined && usage.completion_tokens === undefined) return null;
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const reasoning = outputDetails.reasoning_tokens ?? 0;
  // The total settles whether reasoning is inside the completion count (xAI's is not) when it can.
  let reasoningInside = dialect.reasoningInsideCompletion;
  if (reasoning > 0 && usage.total_tokens !== undefined) {
    if (usage.total_tokens === prompt + completion + reasoning) reasoningInside = false;
    else if (usage.total_tokens === prompt + completion) reasoningInside = true;
  }
  const result: TokenUsageV1 = {
    inputTokens: prompt,
    outputTokens: reasoningInside ? completion : completion + reasoning,
    cachedInputTokens: usage.prompt_cache_hit_tokens ?? details.cached_tokens ?? 0,
    cacheWriteInputTokens: details.cache_write_tokens ?? 0,
    reasoningTokens: reasoning,
  };
  if (details.audio_tokens) result.audioInputTokens = details.audio_tokens;
  if (details.image_tokens) result.imageInputTokens = details.image_tokens;
  if (outputDetails.audio_tokens) result.audioOutputTokens = outputDetails.audio_tokens;
  if (outputDetails.rejected_prediction_tokens) result.rejectedPredictionTokens = outputDetails.rejected_prediction_tokens;
  return clampUsageSubsets(result);
}
