/** One modality's share of a Gemini count, as in `promptTokensDetails`. */
export interface FakeGeminiModalityCount {
  /** "TEXT", "IMAGE", "AUDIO", "VIDEO", "DOCUMENT". */
  modality: string;
  tokenCount: number;
}

/**
 * Token counts for a synthesised Gemini answer, in Google's own field names and meanings: thoughts are
 * not inside `candidatesTokenCount`, tool-use prompt tokens are not inside `promptTokenCount`, cached
 * tokens are. `totalTokenCount` is sent as their sum; fields left out (or 0) are not sent, as Google omits
 * zero counts.
 */
export interface FakeGeminiUsage {
  promptTokenCount: number;
  /** Default 0 (not sent). */
  candidatesTokenCount?: number;
  /** The cached part of `promptTokenCount`. */
  cachedContentTokenCount?: number;
  /** Thinking tokens, billed as output, outside `candidatesTokenCount`. */
  thoughtsTokenCount?: number;
  /** Tokens of tool results fed back as input, outside `promptTokenCount`. */
  toolUsePromptTokenCount?: number;
  promptTokensDetails?: FakeGeminiModalityCount[];
  candidatesTokensDetails?: FakeGeminiModalityCount[];
}

/**
 * Synthesises a Gemini answer for the method in the request's path: `generateContent` as JSON,
 * `streamGenerateContent?alt=sse` as SSE and `streamGenerateContent` as a streamed JSON array (one write
 * per element), each stream chunk with a `usageMetadata` snapshot that grows to `usageMetadata`;
 * `embedContent` / `batchEmbedContents` as vectors; `countTokens` as `{ totalTokens }`.
 */
export interface GeminiAnswer {
  kind: "gemini";
  /** The final counts. Left out: no `usageMetadata` is sent at all (embeddings usually have none). */
  usageMetadata?: FakeGeminiUsage;
  /** `modelVersion` in the answer. Default: the model in the URL path, else `gemini-2.5-flash`. */
  model?: string;
  /** Answer text, spread over the chunks. Default: one word per chunk ("Hello from the fake server", cycled). */
  content?: string;
  /** A thought summary sent first as a `thought: true` part. Default none. */
  thoughts?: string;
  /** Number of content chunks in a stream. Default 5. */
  chunks?: number;
  /** Send a usage snapshot on every chunk ("every-chunk", Gemini's way) or on the last only. Default "every-chunk". */
  snapshots?: "every-chunk" | "last-chunk";
  /** Milliseconds to wait between stream writes. Default 0. */
  delayMs?: number;
  /** Length of each embedding vector. Default 8. */
  dimensions?: number;
}

/** A Gemini stream (SSE or JSON array, by the URL) whose connection drops after `afterChunks` chunks: no `finishReason`. */
export interface GeminiCutAnswer extends Omit<GeminiAnswer, "kind" | "usageMetadata"> {
  kind: "gemini-cut";
  /** Chunks sent whole before the socket is destroyed. */
  afterChunks: number;
  /** Characters of the next chunk (its framing first) sent before the cut, so the body stops inside it. Default 0. */
  partialBytes?: number;
  /** Counts the stream would have ended with. Default 10 in, 20 out. */
  usageMetadata?: FakeGeminiUsage;
}

/** A Gemini stream that sends `afterChunks` chunks, then an `{ error }` object in the stream, then ends. */
export interface GeminiStreamErrorAnswer extends Omit<GeminiAnswer, "kind" | "usageMetadata"> {
  kind: "gemini-stream-error";
  /** Chunks sent before the error. */
  afterChunks: number;
  /** Counts of the chunks before the error. Default 10 in, 20 out. */
  usageMetadata?: FakeGeminiUsage;
  /** HTTP-like status of the error. Default 500. */
  status?: number;
}
