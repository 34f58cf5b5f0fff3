import type { TokenUsageV1 } from "@usagepilot/core";
import type { OpenAIDialect } from "./openai-dialect";
import { openAIChatUsageSchema } from "./openai-usage-schema";

/**
 * Maps a Chat Completions `usage` (OpenAI or a compatible host) into the contract: input includes cache
 * reads and writes; output includes reasoning. Returns null when the value is not a usage object.
 */
export function convertOpenAIChatUsage(value: unknown, dialect: OpenAIDialect): TokenUsageV1 | null {
  // Most stream chunks carry `usage: null`: answer before the schema, which is costly when it fails.
  if (typeof value !== "object" || value === null) return null;
  const parsed = openAIChatUsageSchema.safeParse(value);
  if (!parsed.success) return null;
  const usage = parsed.data;
  if (usage.prompt_tokens == null && usage.completion_tokens == null) return null;
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  // The total settles whether reasoning is inside the completion count (xAI's is not) when it can.
  let reasoningInside = dialect.reasoningInsideCompletion;
  if (reasoning > 0 && usage.total_tokens != null) {
    if (usage.total_tokens === prompt + completion + reasoning) reasoningInside = false;
    else if (usage.total_tokens === prompt + completion) reasoningInside = true;
  }
  const outputTokens = reasoningInside ? completion : completion + reasoning;
  const cached = usage.prompt_cache_hit_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? 0;
  const result: TokenUsageV1 = {
    inputTokens: prompt,
    outputTokens,
    cachedInputTokens: cached,
    cacheWriteInputTokens: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    reasoningTokens: reasoning,
  };
  const details = usage.prompt_tokens_details;
  if (details?.audio_tokens) result.audioInputTokens = details.audio_tokens;
  if (details?.image_tokens) result.imageInputTokens = details.image_tokens;
  const outputDetails = usage.completion_tokens_details;
  if (outputDetails?.audio_tokens) result.audioOutputTokens = outputDetails.audio_tokens;
  if (outputDetails?.rejected_prediction_tokens) result.rejectedPredictionTokens = outputDetails.rejected_prediction_tokens;
  return result;
}
