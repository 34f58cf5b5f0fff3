import type { TokenUsageV1 } from "./usage-event-v1";

/**
 * The usage with every subset held within its total, as the contract requires: a host that reports more
 * reasoning than output, or more cache reads than input, is billed on its totals, so the totals stand and
 * the parts are cut to fit (cache reads first, then cache writes, within the input).
 */
export function clampUsageSubsets(usage: TokenUsageV1): TokenUsageV1 {
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const cached = Math.min(usage.cachedInputTokens, input);
  const clamped: TokenUsageV1 = {
    ...usage,
    cachedInputTokens: cached,
    cacheWriteInputTokens: Math.min(usage.cacheWriteInputTokens, input - cached),
    reasoningTokens: Math.min(usage.reasoningTokens, output),
  };
  if (usage.cacheWrite1hInputTokens !== undefined) clamped.cacheWrite1hInputTokens = Math.min(usage.cacheWrite1hInputTokens, clamped.cacheWriteInputTokens);
  if (usage.audioInputTokens !== undefined) clamped.audioInputTokens = Math.min(usage.audioInputTokens, input);
  if (usage.imageInputTokens !== undefined) clamped.imageInputTokens = Math.min(usage.imageInputTokens, input);
  if (usage.cachedAudioInputTokens !== undefined) clamped.cachedAudioInputTokens = Math.min(usage.cachedAudioInputTokens, cached, clamped.audioInputTokens ?? cached);
  if (usage.audioOutputTokens !== undefined) clamped.audioOutputTokens = Math.min(usage.audioOutputTokens, output);
  if (usage.rejectedPredictionTokens !== undefined) clamped.rejectedPredictionTokens = Math.min(usage.rejectedPredictionTokens, output);
  return clamped;
}
