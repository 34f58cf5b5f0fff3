import { clampUsageSubsets, readCounts } from "@usagepilot/core";
import type { TokenUsageV1 } from "@usagepilot/core";

/** Maps a Responses API `usage` into the contract (cached is inside input, reasoning inside output). */
export function convertOpenAIResponsesUsage(value: unknown): TokenUsageV1 | null {
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const usage = readCounts(value, ["input_tokens", "output_tokens", "total_tokens"]);
  const input = readCounts(record.input_tokens_details, ["cached_tokens"]);
  const output = readCounts(record.output_tokens_details, ["reasoning_tokens"]);
  if (!usage || !input || !output) return null;
  if (usage.input_tokens === undefined && usage.output_tokens === undefined) return null;
  return clampUsageSubsets({
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cachedInputTokens: input.cached_tokens ?? 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: output.reasoning_tokens ?? 0,
  });
}
