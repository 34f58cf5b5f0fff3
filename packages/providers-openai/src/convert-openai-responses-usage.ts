import type { TokenUsageV1 } from "@usagepilot/core";
import { openAIResponsesUsageSchema } from "./openai-usage-schema";

/** Maps a Responses API `usage` into the contract (cached is inside input, reasoning inside output). */
export function convertOpenAIResponsesUsage(value: unknown): TokenUsageV1 | null {
  if (typeof value !== "object" || value === null) return null;
  const parsed = openAIResponsesUsageSchema.safeParse(value);
  if (!parsed.success) return null;
  const usage = parsed.data;
  if (usage.input_tokens == null && usage.output_tokens == null) return null;
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}
