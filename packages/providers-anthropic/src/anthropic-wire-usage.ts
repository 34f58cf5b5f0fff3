/** Anthropic's split of cache writes by lifetime (`usage.cache_creation`). */
export interface AnthropicCacheCreation {
  /** Input tokens written to the cache with the default 5-minute lifetime. */
  ephemeral_5m_input_tokens?: number;
  /** Input tokens written to the cache with a 1-hour lifetime (priced higher). */
  ephemeral_1h_input_tokens?: number;
}

/** One pass of `usage.iterations`: server-side compaction, a tool-loop turn, an advisor or fallback model. */
export interface AnthropicWireIteration {
  /** "compaction" | "message" | "advisor_message" | "fallback_message". */
  type: string;
  /** This pass's input tokens, without its cache reads and writes. */
  input_tokens: number;
  /** This pass's output tokens. */
  output_tokens: number;
  /** This pass's input tokens read from the cache. */
  cache_read_input_tokens?: number;
  /** This pass's input tokens written to the cache. */
  cache_creation_input_tokens?: number;
  /** This pass's cache writes by lifetime. */
  cache_creation?: AnthropicCacheCreation;
}

/**
 * An Anthropic Messages `usage` object as validated from the wire, in Anthropic's own meanings:
 * `input_tokens` leaves out cache reads and writes. A field is absent when the provider did not send it
 * (streams send a field only when it applies, and `message_delta` overrides only what it carries).
 */
export interface AnthropicWireUsage {
  /** Input tokens neither read from nor written to the cache. */
  input_tokens?: number;
  /** All output tokens, thinking included (a placeholder in `message_start`). */
  output_tokens?: number;
  /** Input tokens read from the cache. */
  cache_read_input_tokens?: number;
  /** Input tokens written to the cache, 5-minute and 1-hour together. */
  cache_creation_input_tokens?: number;
  /** Cache writes by lifetime. */
  cache_creation?: AnthropicCacheCreation;
  /** `output_tokens_details.thinking_tokens`: the thinking part of `output_tokens`. */
  thinking_tokens?: number;
  /** `server_tool_use`: per-request server tools (`web_search_requests`, `web_fetch_requests`, ...). */
  server_tool_use?: Record<string, number>;
  /** Each pass of the call, when the API lists them (server-side compaction, tool loops). */
  iterations?: readonly AnthropicWireIteration[];
}
