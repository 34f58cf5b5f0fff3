/**
 * An Anthropic Messages `usage` object, sent exactly as given (Anthropic's field names and meanings:
 * `input_tokens` leaves out cache reads and writes). Leave a field out to test a reader against a
 * usage object that lacks it.
 */
export interface FakeAnthropicUsage {
  /** Input tokens neither read from nor written to the cache. */
  input_tokens?: number;
  /** All output tokens, thinking included. */
  output_tokens?: number;
  /** Input tokens read from the cache. */
  cache_read_input_tokens?: number;
  /** Input tokens written to the cache (5-minute and 1-hour together). */
  cache_creation_input_tokens?: number;
  /** The split of `cache_creation_input_tokens` by lifetime. */
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
  /** Server tools run for the answer, billed per request. */
  server_tool_use?: { web_search_requests?: number; web_fetch_requests?: number };
  /** The thinking part of `output_tokens`. */
  output_tokens_details?: { thinking_tokens?: number };
  /** Server-side compaction and tool-loop passes, each with its own counts (sent as given). */
  iterations?: readonly Record<string, unknown>[];
  /** "standard" | "priority" | "batch". */
  service_tier?: string;
}

/**
 * Synthesises an Anthropic Messages answer (`POST /v1/messages`): a `message` JSON body, or, when the
 * request asked for `stream: true`, the SSE events `message_start`, content blocks, `message_delta`,
 * `message_stop`. With `cutAfterEvents` the connection drops after that many events; with
 * `errorAfterEvents` an `event: error` follows that many events and the stream ends.
 */
export interface AnthropicAnswer {
  kind: "anthropic";
  /** The counts of a JSON message, and of `message_delta` in a stream (cumulative, as Anthropic sends them). */
  usage: FakeAnthropicUsage;
  /**
   * The counts of `message_start` in a stream. Default: `usage`'s input and cache fields with
   * `output_tokens: 1` (Anthropic's placeholder), without server tools or iterations.
   */
  startUsage?: FakeAnthropicUsage;
  /** Model in the answer. Default: the request's `model`, else `claude-sonnet-4-5-20250929`. */
  model?: string;
  /** Assistant text. Default: one word per delta ("Hello from the fake server", cycled). */
  content?: string;
  /** Thinking text, sent as a `thinking` block before the text. Default: none. */
  thinking?: string;
  /** Number of `text_delta` events in a stream. Default 5. */
  chunks?: number;
  /** `stop_reason` of the message. Default "end_turn". */
  stopReason?: string;
  /** Milliseconds to wait between SSE events. Default 0. */
  delayMs?: number;
  /** Stream only: drop the connection after this many events (no `message_delta`, no `message_stop`). */
  cutAfterEvents?: number;
  /** Stream only: send this many events, then an `event: error`, then end the response. */
  errorAfterEvents?: number;
  /** The error an `errorAfterEvents` stream sends. Default `{ type: "overloaded_error", message: "Overloaded" }`. */
  error?: { type: string; message: string };
}
