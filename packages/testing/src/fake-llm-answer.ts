import type { AnthropicAnswer } from "./anthropic-answer";
import type { GeminiAnswer, GeminiCutAnswer, GeminiStreamErrorAnswer } from "./fake-gemini-answer";

/**
 * Token counts for a synthesised Chat Completions answer, in OpenAI's own field names.
 * `cached_tokens` and `reasoning_tokens` default to 0, as OpenAI reports them.
 */
export interface FakeChatUsage {
  /** All input tokens, cached ones included. */
  prompt_tokens: number;
  /** All output tokens, reasoning included. */
  completion_tokens: number;
  /** The cached part of `prompt_tokens`; sent as `prompt_tokens_details.cached_tokens`. Default 0. */
  cached_tokens?: number;
  /** The reasoning part of `completion_tokens`; sent as `completion_tokens_details.reasoning_tokens`. Default 0. */
  reasoning_tokens?: number;
}

/** Token counts for a synthesised Responses API answer, in OpenAI's own field names. */
export interface FakeResponsesUsage {
  /** All input tokens, cached ones included. */
  input_tokens: number;
  /** All output tokens, reasoning included. */
  output_tokens: number;
  /** The cached part of `input_tokens`; sent as `input_tokens_details.cached_tokens`. Default 0. */
  cached_tokens?: number;
  /** The reasoning part of `output_tokens`; sent as `output_tokens_details.reasoning_tokens`. Default 0. */
  reasoning_tokens?: number;
}

/** Token counts for a synthesised embeddings answer. */
export interface FakeEmbeddingsUsage {
  /** Input tokens; `total_tokens` is sent equal to it. */
  prompt_tokens: number;
}

/** Replays a recorded fixture file byte for byte (see `fixtureBody` for the formats). */
export interface ReplayAnswer {
  kind: "replay";
  /** Absolute path of a `.json`, `.sse` or `.chunks.jsonl` fixture. */
  file: string;
  /** Write the body in pieces of this many bytes. Default: one write per SSE event, the whole body for JSON. */
  splitEvery?: number;
  /** Milliseconds to wait between writes. Default 0. */
  delayMs?: number;
  /** HTTP status. Default 200. */
  status?: number;
  /** Extra response headers; they win over the defaults (`content-type`, `x-request-id`). */
  headers?: Record<string, string>;
}

/** Synthesises a Chat Completions answer: JSON, or SSE when the request asked for `stream: true`. */
export interface ChatAnswer {
  kind: "chat";
  /** The counts to report; the usage chunk of a stream is sent only when the request set `stream_options.include_usage`. */
  usage: FakeChatUsage;
  /** Model in the answer. Default: the request's `model`, else `gpt-4o-mini`. */
  model?: string;
  /** Assistant text. Default: one word per chunk ("Hello from the fake server", cycled). */
  content?: string;
  /** Number of content chunks in a stream. Default 5. */
  chunks?: number;
  /** Milliseconds to wait between SSE events. Default 0. */
  delayMs?: number;
}

/** Synthesises a Responses API answer: JSON, or SSE events when the request asked for `stream: true`. */
export interface ResponsesAnswer {
  kind: "responses";
  /** The counts to report; a stream carries them only in `response.completed`. */
  usage: FakeResponsesUsage;
  /** Model in the answer. Default: the request's `model`, else `gpt-4o-mini`. */
  model?: string;
  /** Assistant text. Default: one word per chunk ("Hello from the fake server", cycled). */
  content?: string;
  /** Number of `response.output_text.delta` events in a stream. Default 5. */
  chunks?: number;
  /** Milliseconds to wait between SSE events. Default 0. */
  delayMs?: number;
}

/** Synthesises an embeddings answer with one vector per input. */
export interface EmbeddingsAnswer {
  kind: "embeddings";
  /** The counts to report. */
  usage: FakeEmbeddingsUsage;
  /** Model in the answer. Default: the request's `model`, else `text-embedding-3-small`. */
  model?: string;
  /** Length of each vector. Default 8. */
  dimensions?: number;
}

/** An HTTP error answer. */
export interface ErrorAnswer {
  kind: "error";
  /** HTTP status, e.g. 429 or 500. */
  status: number;
  /**
   * Response body. A string or bytes go out as they are; anything else as JSON.
   * Default: OpenAI's shape `{ error: { message, type, param: null, code } }` for the status.
   */
  body?: unknown;
  /** Extra response headers, e.g. `{ "retry-after": "0" }`; none are added for you. */
  headers?: Record<string, string>;
}

/** A chat stream whose connection drops after `afterChunks` SSE events: no `[DONE]`, no usage. */
export interface CutAnswer extends Omit<ChatAnswer, "kind" | "usage"> {
  kind: "cut";
  /** SSE events sent before the socket is destroyed. */
  afterChunks: number;
  /** Counts the stream would have carried had it finished (never sent). Default 10 in, 20 out. */
  usage?: FakeChatUsage;
}

/** A chat stream that sends `afterChunks` SSE events, then an in-stream error event, then ends. */
export interface StreamErrorAnswer {
  kind: "stream-error";
  /** SSE events sent before the error event. */
  afterChunks: number;
  /** Model in the chunks. Default: the request's `model`, else `gpt-4o-mini`. */
  model?: string;
}

/** Arbitrary bytes, for garbage-SSE and non-JSON tests. */
export interface RawAnswer {
  kind: "raw";
  /** HTTP status. Default 200. */
  status?: number;
  /** Response headers; only `x-request-id` is added for you. */
  headers?: Record<string, string>;
  /** The body, sent as it is (strings as UTF-8). */
  body: string | Uint8Array;
  /** Write the body in pieces of this many bytes. Default: one write. */
  splitEvery?: number;
  /** Milliseconds to wait between writes. Default 0. */
  delayMs?: number;
}

/** Timing every kind of answer takes. */
export interface AnswerTiming {
  /**
   * Milliseconds before the status and headers go out: a provider still working on the request, so a
   * client timeout fires before any response (the provider may bill what the client never saw). Default 0.
   */
  headersDelayMs?: number;
}

/** One scripted answer of the fake LLM server; each request takes the next one from the queue. */
export type FakeLlmAnswer = AnswerTiming &
  (
    | ReplayAnswer
    | ChatAnswer
    | ResponsesAnswer
    | EmbeddingsAnswer
    | ErrorAnswer
    | CutAnswer
    | StreamErrorAnswer
    | RawAnswer
    | AnthropicAnswer
    | GeminiAnswer
    | GeminiCutAnswer
    | GeminiStreamErrorAnswer
  );
