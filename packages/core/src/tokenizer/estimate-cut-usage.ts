import type { TokenUsageV1 } from "../event/usage-event-v1";
import type { PartialOutputV1, ReportedInputV1 } from "../provider/provider-adapter-v1";
import type { TokenizerInput, TokenizerV1 } from "./tokenizer-v1";

/**
 * Usage of a call whose body ended before the provider reported it: the request's input (or the input
 * counts the provider reported before the cut) and the output seen, counted with the tokenizer. Output read only in part (the middle of a long stream passes unread)
 * is scaled to the bytes that passed, and then, like any fallback count or left-out input, is "estimated".
 * Reasoning the provider never streamed cannot be seen, so it is not in the count.
 * Null when the model is unknown or the tokenizer cannot count for it.
 */
export function estimateCutUsage(options: {
  tokenizer: TokenizerV1;
  provider: string;
  model: string | null;
  input: TokenizerInput | null;
  output: PartialOutputV1;
  /** Input counts the provider already reported; they win over counting `input`. */
  reportedInput?: ReportedInputV1 | undefined;
}): { usage: TokenUsageV1; accuracy: "estimated" } | null {
  const { tokenizer, provider, model, input, output, reportedInput } = options;
  if (model === null || (input === null && !reportedInput)) return null;
  const inputCount = reportedInput ? { tokens: reportedInput.inputTokens } : tokenizer.count({ provider, model, input: input! });
  const outputCount = tokenizer.count({ provider, model, input: output.text });
  if (inputCount === null || outputCount === null) return null;
  const partial = output.readBytes < output.totalBytes;
  const outputTokens = partial && output.readBytes > 0 ? Math.ceil((outputCount.tokens * output.totalBytes) / output.readBytes) : outputCount.tokens;
  return {
    usage: reportedInput
      ? { ...reportedInput, outputTokens, reasoningTokens: 0 }
      : { inputTokens: inputCount.tokens, outputTokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
    accuracy: "estimated",
  };
}
