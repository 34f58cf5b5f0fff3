/** How an OpenAI-compatible host's numbers differ from OpenAI's own (see PROVIDERS.md). */
export interface OpenAIDialect {
  /**
   * Whether `completion_tokens` includes `reasoning_tokens` (OpenAI, DeepSeek, OpenRouter: yes; xAI: no).
   * When `total_tokens` settles it, the arithmetic wins over this default.
   */
  reasoningInsideCompletion: boolean;
  /** Whether the host accepts `stream_options.include_usage` (hosts that always send usage may reject it). */
  acceptsStreamOptions: boolean;
}

/** OpenAI's own meanings. */
export const openAIDialect: OpenAIDialect = { reasoningInsideCompletion: true, acceptsStreamOptions: true };
