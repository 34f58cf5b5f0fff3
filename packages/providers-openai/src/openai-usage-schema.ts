import { z } from "zod";

const count = z.number().int().nonnegative().nullish();

/** Chat Completions (and compatible hosts') `usage`: only the fields we read, each optional. */
export const openAIChatUsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z
    .object({ cached_tokens: count, cache_write_tokens: count, audio_tokens: count, image_tokens: count })
    .nullish(),
  completion_tokens_details: z
    .object({ reasoning_tokens: count, audio_tokens: count, rejected_prediction_tokens: count })
    .nullish(),
  // DeepSeek: hit + miss = prompt.
  prompt_cache_hit_tokens: count,
  prompt_cache_miss_tokens: count,
});

export type OpenAIChatUsage = z.infer<typeof openAIChatUsageSchema>;

/** Responses API `usage`. */
export const openAIResponsesUsageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  total_tokens: count,
  input_tokens_details: z.object({ cached_tokens: count }).nullish(),
  output_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
});

export type OpenAIResponsesUsage = z.infer<typeof openAIResponsesUsageSchema>;
