import type { TokenUsageV1 } from "@usagepilot/core";
import type { AnthropicCacheCreation, AnthropicWireUsage } from "./anthropic-wire-usage";

interface Counts {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_creation?: AnthropicCacheCreation;
}

/** Cache writes: the total when sent, else the sum of its 5-minute/1-hour split, else none. */
function cacheWritesOf(counts: Counts): number {
  if (counts.cache_creation_input_tokens !== undefined) return counts.cache_creation_input_tokens;
  const split = counts.cache_creation;
  return (split?.ephemeral_5m_input_tokens ?? 0) + (split?.ephemeral_1h_input_tokens ?? 0);
}

/**
 * Maps an Anthropic `usage` into the contract. Anthropic's `input_tokens` leaves out cache reads and
 * writes, so they are added to `inputTokens` (and are its subsets); 1-hour cache writes are the part of
 * cache writes in `cache_creation.ephemeral_1h_input_tokens`; thinking is inside `output_tokens`.
 * When `iterations` lists the passes of the call (server-side compaction leaves its pass out of the
 * top-level counts), the sum over the passes is billed. Returns null when the input or output count is
 * missing: an unknown count is not zero.
 */
export function convertAnthropicUsage(usage: AnthropicWireUsage): TokenUsageV1 | null {
  let passes: readonly Counts[];
  if (usage.iterations !== undefined && usage.iterations.length > 0) passes = usage.iterations;
  else if (usage.input_tokens !== undefined && usage.output_tokens !== undefined) passes = [usage as Counts];
  else return null;
  let uncached = 0;
  let cacheReads = 0;
  let cacheWrites = 0;
  let oneHourWrites = 0;
  let output = 0;
  for (const pass of passes) {
    const writes = cacheWritesOf(pass);
    uncached += pass.input_tokens;
    cacheReads += pass.cache_read_input_tokens ?? 0;
    cacheWrites += writes;
    // A split that disagrees with its total (a stream update overrode one, not the other) stays inside it.
    oneHourWrites += Math.min(pass.cache_creation?.ephemeral_1h_input_tokens ?? 0, writes);
    output += pass.output_tokens;
  }
  const inputTokens = uncached + cacheReads + cacheWrites;
  if (!Number.isSafeInteger(inputTokens) || !Number.isSafeInteger(output)) return null;
  const result: TokenUsageV1 = {
    inputTokens,
    outputTokens: output,
    cachedInputTokens: cacheReads,
    cacheWriteInputTokens: cacheWrites,
    reasoningTokens: Math.min(usage.thinking_tokens ?? 0, output),
  };
  if (oneHourWrites > 0) result.cacheWrite1hInputTokens = oneHourWrites;
  return result;
}
