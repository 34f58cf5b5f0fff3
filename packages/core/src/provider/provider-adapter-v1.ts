import type { TokenUsageV1, UsageAccuracy, UsageStatus } from "../event/usage-event-v1";
import type { TokenizerInput } from "../tokenizer/tokenizer-v1";

/** An outgoing body: its text, and `json()` to parse it (once) when needed, since large prompts cost to parse. */
export interface RequestBodyV1 {
  /** The body text when it was text or bytes; undefined for streams and forms, which are not read. */
  readonly text: string | undefined;
  /** The body parsed as JSON, once; undefined when it is not JSON. */
  json(): unknown;
}

/** What an adapter sees of an outgoing call. */
export interface ProviderRequestV1 {
  /** Parsed once per address and shared by the calls to it: read it, never change it. */
  url: URL;
  method: string;
  headers: Headers;
  /** The request body: its text, and `json()` to parse it (once) when needed. */
  body: RequestBodyV1;
}

/** What an adapter sees of the response head. */
export interface ProviderResponseV1 {
  status: number;
  headers: Headers;
}

/** What an adapter learned from a response body. Core fills in what it leaves out. */
export interface ObservationV1 {
  /** Token counts, or null when the body reported none. */
  usage: TokenUsageV1 | null;
  /** The model the response named (it resolves aliases and deployments). */
  model?: string | null;
  /** Non-token quantities (web searches, images...). */
  units?: Record<string, number>;
  /**
   * "ok" when the body ended as the provider ends a success, "error" when it carried an error,
   * "aborted" when it ended before the provider's end marker.
   */
  status: UsageStatus;
  accuracy: UsageAccuracy;
  /** Why the numbers are incomplete or could not be read, for `onError`. */
  problem?: string;
  /**
   * When `usage` is null because the body ended early: the output text the adapter saw, so core can count
   * it with the configured tokenizer. `readBytes` of `totalBytes` body bytes were read; when fewer, the
   * count is scaled up to the whole body and marked estimated.
   */
  partialOutput?: PartialOutputV1;
  /**
   * With `partialOutput`: input counts the provider reported before the body ended (e.g. Anthropic's
   * `message_start`). Core then counts only the output, keeping these (and their cache split) as reported.
   */
  reportedInput?: ReportedInputV1;
  /**
   * True when the body was a stream that its content type does not name (Gemini's streamed JSON array).
   * Default: only a `text/event-stream` answer is a stream.
   */
  streamed?: boolean;
}

/** The input side of usage, as reported before a body ended early. */
export type ReportedInputV1 = Pick<TokenUsageV1, "inputTokens" | "cachedInputTokens" | "cacheWriteInputTokens" | "cacheWrite1hInputTokens" | "audioInputTokens" | "imageInputTokens">;

/** Output seen in a body that ended before the provider reported usage. */
export interface PartialOutputV1 {
  /** The generated text seen (content, reasoning and tool-call arguments), in order. */
  text: string;
  /** Body bytes the adapter decoded. */
  readBytes: number;
  /** Body bytes that passed to the caller. */
  totalBytes: number;
}

/** How a body ended. */
export type BodyEnd = "finished" | "cancelled" | "failed";

/** Watches a response body as it passes to the caller. It must never throw into the stream. */
export interface ResponseObserverV1 {
  /** The next bytes of the body, as the caller receives them. */
  push(chunk: Uint8Array): void;
  /** The body ended (normally, cancelled by the caller, or failed upstream): what was learned. */
  end(how: BodyEnd): ObservationV1;
  /**
   * Optional: the whole body at once, as the caller's `json()` or `text()` returned it, so it is not
   * parsed twice. Without it, core pushes the text as bytes and calls `end("finished")`.
   */
  readWhole?(body: { text: string } | { json: unknown } | { notJson: true }): ObservationV1;
}

/** How an adapter reads and caps the most output tokens a request asks for. */
export interface OutputTokensV1 {
  /** The output maximum the body asks for, or null when it names none. */
  requested(body: unknown): number | null;
  /** A copy of the body asking for at most `max` output tokens (the caller's object is not changed). */
  cap(body: unknown, max: number): unknown;
}

/** A call an adapter claimed. */
export interface ProviderCallV1 {
  /** "openai", "azure-openai", "groq"... */
  provider: string;
  /** "chat", "responses", "embeddings"... */
  operation: string;
  /**
   * Rewrites the JSON body before it leaves, e.g. to ask an OpenAI stream for its usage. Returns the new
   * body, or undefined to send the caller's bytes unchanged. It runs before the request leaves, so it
   * should look at `body.text` cheaply before paying for `body.json()`.
   */
  prepareBody?(body: RequestBodyV1, options: { injectStreamUsage: boolean }): unknown;
  /** Whether the request asked for a stream (read from the body). */
  isStreamRequest(body: unknown): boolean;
  /** The model the request asked for, if any. */
  requestedModel(body: unknown): string | null;
  /**
   * Optional: the request's input reduced to text for a tokenizer (messages, system prompt, tools), to
   * estimate usage before the call (quotas) and when a stream is cut before the provider reported usage.
   */
  countableInput?(body: unknown): TokenizerInput | null;
  /**
   * Optional: the request's output maximum (`max_tokens`, `max_output_tokens`, `maxOutputTokens`...).
   * Limits read it to estimate a call's output before it leaves, and write a per-request cap with it.
   */
  outputTokens?: OutputTokensV1;
  /** Optional: the units the request will make at most (e.g. `{ images: n }`), reserved before it leaves. */
  requestedUnits?(body: unknown): Record<string, number> | null;
  /** The provider's id for the call, from the response headers. */
  providerRequestId(headers: Headers): string | null;
  /** Starts watching the response body. */
  observe(request: ProviderRequestV1, response: ProviderResponseV1): ResponseObserverV1;
}

/**
 * A provider adapter, version 1: claims the calls it understands and reads their usage.
 *
 * `match` runs on every fetch, so it looks only at the URL, method and headers.
 */
export interface ProviderAdapterV1 {
  readonly specificationVersion: "v1";
  /** A name for diagnostics, e.g. "openai". */
  readonly name: string;
  /** Claims the call, or returns undefined to leave it to the next adapter. */
  match(request: { url: URL; method: string; headers: Headers }): ProviderCallV1 | undefined;
}
