import { readCounts } from "@usagepilot/core";
import type { TokenUsageV1 } from "@usagepilot/core";

const usageKeys = ["promptTokenCount", "candidatesTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount", "totalTokenCount"] as const;

/** Sums of one modality in a `*TokensDetails` list, or null when an entry is not a modality count. */
function modalityCounts(value: unknown): Map<string, number> | null {
  const counts = new Map<string, number>();
  if (value === null || value === undefined) return counts;
  if (!Array.isArray(value)) return null;
  for (const entry of value) {
    if (typeof entry !== "object" || entry === null) return null;
    const { modality, tokenCount } = entry as Record<string, unknown>;
    // proto3 JSON leaves zero counts out, so an entry without `tokenCount` is a zero.
    if (tokenCount !== undefined && tokenCount !== null && !(typeof tokenCount === "number" && Number.isSafeInteger(tokenCount) && tokenCount >= 0)) return null;
    if (typeof modality !== "string") continue;
    counts.set(modality, (counts.get(modality) ?? 0) + ((tokenCount as number | null | undefined) ?? 0));
  }
  return counts;
}

/**
 * Maps a Gemini / Vertex AI `usageMetadata` into the contract. Gemini counts apart what the contract
 * counts together: `thoughtsTokenCount` is billed as output but is not inside `candidatesTokenCount`, and
 * `toolUsePromptTokenCount` is billed as input but is not inside `promptTokenCount`, so both are added;
 * `cachedContentTokenCount` is already inside `promptTokenCount` and becomes the cached subset. Audio and
 * image input come from `promptTokensDetails` (and `toolUsePromptTokensDetails`), audio output from
 * `candidatesTokensDetails`; each is set only when non-zero.
 *
 * Google's JSON leaves zero counts out (proto3), so a missing count inside a present object is 0. Returns
 * null when the value is not a usage object, when it names neither prompt nor output counts, or when any
 * count in it is not a non-negative integer (an object that lies about one number is not trusted for the
 * others). Subsets are clamped to their totals, so an inconsistent report never breaks the invariants.
 */
export function convertGoogleUsage(value: unknown): TokenUsageV1 | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const counts = readCounts(value, usageKeys);
  if (!counts) return null;
  if (counts.promptTokenCount === undefined && counts.candidatesTokenCount === undefined && counts.thoughtsTokenCount === undefined && counts.toolUsePromptTokenCount === undefined) return null;
  const record = value as Record<string, unknown>;
  const promptDetails = modalityCounts(record.promptTokensDetails);
  const toolUseDetails = modalityCounts(record.toolUsePromptTokensDetails);
  const candidateDetails = modalityCounts(record.candidatesTokensDetails);
  const cacheDetails = modalityCounts(record.cacheTokensDetails);
  if (!promptDetails || !toolUseDetails || !candidateDetails || !cacheDetails) return null;

  const inputTokens = (counts.promptTokenCount ?? 0) + (counts.toolUsePromptTokenCount ?? 0);
  const outputTokens = (counts.candidatesTokenCount ?? 0) + (counts.thoughtsTokenCount ?? 0);
  if (!Number.isSafeInteger(inputTokens) || !Number.isSafeInteger(outputTokens)) return null;
  const usage: TokenUsageV1 = {
    inputTokens,
    outputTokens,
    cachedInputTokens: Math.min(counts.cachedContentTokenCount ?? 0, inputTokens),
    // Gemini bills no cache write on a generate call: explicit caches are created (and billed) apart.
    cacheWriteInputTokens: 0,
    reasoningTokens: Math.min(counts.thoughtsTokenCount ?? 0, outputTokens),
  };
  const audioInput = Math.min((promptDetails.get("AUDIO") ?? 0) + (toolUseDetails.get("AUDIO") ?? 0), inputTokens);
  const imageInput = Math.min((promptDetails.get("IMAGE") ?? 0) + (toolUseDetails.get("IMAGE") ?? 0), inputTokens);
  const audioOutput = Math.min(candidateDetails.get("AUDIO") ?? 0, outputTokens);
  const cachedAudio = Math.min(cacheDetails.get("AUDIO") ?? 0, usage.cachedInputTokens, audioInput);
  if (audioInput > 0) usage.audioInputTokens = audioInput;
  // Cached audio is priced apart from other cached input: say how much of the cache was audio.
  if (cachedAudio > 0) usage.cachedAudioInputTokens = cachedAudio;
  if (imageInput > 0) usage.imageInputTokens = imageInput;
  if (audioOutput > 0) usage.audioOutputTokens = audioOutput;
  return usage;
}
