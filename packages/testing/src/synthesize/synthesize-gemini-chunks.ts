import type { FakeGeminiUsage } from "../fake-gemini-answer";
import { randomId } from "../util/random-id";
import { splitContent } from "./split-content";

/** Options of `synthesizeGeminiChunks`. */
export interface SynthesizeGeminiChunksOptions {
  /** Counts of the last chunk; earlier snapshots grow towards them. Left out: no `usageMetadata` anywhere. */
  usageMetadata?: FakeGeminiUsage;
  /** `modelVersion` of every chunk. */
  model: string;
  /** Answer text, spread over the chunks. Default: one word per chunk. */
  content?: string;
  /** A thought summary, sent as a `thought: true` part in the first chunk. */
  thoughts?: string;
  /** Number of chunks (at least 1). Default 5. */
  chunks?: number;
  /** A snapshot on every chunk (Gemini's way) or on the last only. Default "every-chunk". */
  snapshots?: "every-chunk" | "last-chunk";
}

/** `usageMetadata` as Google sends it: zero counts left out, `totalTokenCount` the sum of the billed parts. */
export function geminiUsageMetadata(usage: FakeGeminiUsage): Record<string, unknown> {
  const metadata: Record<string, unknown> = { promptTokenCount: usage.promptTokenCount };
  if (usage.candidatesTokenCount) metadata.candidatesTokenCount = usage.candidatesTokenCount;
  if (usage.cachedContentTokenCount) metadata.cachedContentTokenCount = usage.cachedContentTokenCount;
  if (usage.toolUsePromptTokenCount) metadata.toolUsePromptTokenCount = usage.toolUsePromptTokenCount;
  metadata.totalTokenCount = usage.promptTokenCount + (usage.candidatesTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  metadata.promptTokensDetails = usage.promptTokensDetails ?? [{ modality: "TEXT", tokenCount: usage.promptTokenCount }];
  if (usage.candidatesTokensDetails) metadata.candidatesTokensDetails = usage.candidatesTokensDetails;
  if (usage.thoughtsTokenCount) metadata.thoughtsTokenCount = usage.thoughtsTokenCount;
  return metadata;
}

/**
 * The chunks of a synthesised Gemini answer (`GenerateContentResponse` objects), in the field order of
 * the recorded streams: text parts, `finishReason: "STOP"` on the last, a `usageMetadata` snapshot on each
 * whose `candidatesTokenCount` grows to the final count (thoughts come whole from the first chunk, as the
 * model thinks before it answers). One chunk is a whole `generateContent` answer.
 */
export function synthesizeGeminiChunks(options: SynthesizeGeminiChunksOptions): Record<string, unknown>[] {
  const count = Math.max(1, options.chunks ?? 5);
  const deltas = splitContent({ content: options.content, chunks: count });
  const responseId = randomId({ prefix: "", length: 23 });
  const final = options.usageMetadata;
  return deltas.map((delta, index) => {
    const last = index === count - 1;
    const parts: Record<string, unknown>[] = [];
    if (index === 0 && options.thoughts !== undefined) parts.push({ text: options.thoughts, thought: true });
    parts.push({ text: delta });
    const candidate: Record<string, unknown> = { content: { parts, role: "model" } };
    if (last) candidate.finishReason = "STOP";
    candidate.index = 0;
    const chunk: Record<string, unknown> = { candidates: [candidate] };
    if (final && (last || (options.snapshots ?? "every-chunk") === "every-chunk")) {
      const candidates = last ? (final.candidatesTokenCount ?? 0) : Math.floor(((final.candidatesTokenCount ?? 0) * (index + 1)) / count);
      chunk.usageMetadata = geminiUsageMetadata({ ...final, candidatesTokenCount: candidates, ...(last ? {} : { candidatesTokensDetails: undefined }) });
    }
    chunk.modelVersion = options.model;
    chunk.responseId = responseId;
    return chunk;
  });
}
