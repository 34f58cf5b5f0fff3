/** Tenant context of a call: user, organization, feature, plan... Values are strings (or absent). */
export type Dimensions = Record<string, string | undefined>;

/**
 * Token counts of one call, in the contract's meanings whatever the provider's wire format says.
 *
 * `inputTokens` and `outputTokens` are totals; every other field is a subset of one of them.
 */
export interface TokenUsageV1 {
  /** All input tokens billed: uncached, cache reads, cache writes and tool-use prompt included. */
  inputTokens: number;
  /** All output tokens billed: reasoning (thoughts) included. */
  outputTokens: number;
  /** The part of `inputTokens` read from the provider's cache. */
  cachedInputTokens: number;
  /** The part of `inputTokens` written to the provider's cache. */
  cacheWriteInputTokens: number;
  /** The part of `outputTokens` spent on reasoning. */
  reasoningTokens: number;
  /** The part of `cacheWriteInputTokens` written with a 1-hour lifetime (Anthropic). */
  cacheWrite1hInputTokens?: number;
  /** The part of `inputTokens` that was audio. */
  audioInputTokens?: number;
  /** The part of `cachedInputTokens` that was audio (also part of `audioInputTokens`); Gemini prices it apart. */
  cachedAudioInputTokens?: number;
  /** The part of `outputTokens` that was audio. */
  audioOutputTokens?: number;
  /** The part of `inputTokens` that was images. */
  imageInputTokens?: number;
  /** The part of `outputTokens` that was predicted but rejected (OpenAI predicted outputs; billed). */
  rejectedPredictionTokens?: number;
}

/** An exact cost: a decimal string, never a float. */
export interface CostV1 {
  /** Decimal string, e.g. "0.000123". */
  amount: string;
  currency: "USD";
  /** Which price produced it, e.g. "genai-prices@0.1.8:openai/gpt-4o" or "override:plan-pro". */
  priceSource: string;
}

/** How the counts of an event were obtained. */
export type UsageAccuracy = "reported" | "counted" | "estimated";

/** How the call ended. */
export type UsageStatus = "ok" | "error" | "aborted";

/**
 * One provider call (or one `track` record), version 1 of the contract.
 *
 * `usage: null` means not measured: it is never shown or billed as 0. `cost: null` means no price is known.
 */
export interface UsageEventV1<D extends Dimensions = Dimensions> {
  schemaVersion: 1;
  /** UUIDv7 made once at capture; the idempotency key end to end. */
  id: string;
  /** ISO-8601 UTC time the request started. */
  timestamp: string;
  /** Tenant context. */
  dimensions: D;
  /** "openai" | "anthropic" | "google" | "azure-openai" | "groq" | ... | "custom". */
  provider: string;
  /** "chat" | "responses" | "messages" | "embeddings" | "images" | "audio" | "custom". */
  operation: string;
  /** The model the provider reported; else the one requested; null when neither is known. */
  model: string | null;
  /** Token counts, or null when not measured. */
  usage: TokenUsageV1 | null;
  /** Non-token quantities: images, seconds, web_searches, gpu_hours... */
  units: Record<string, number>;
  /** Exact cost, or null when no price is known. */
  cost: CostV1 | null;
  accuracy: UsageAccuracy;
  status: UsageStatus;
  streamed: boolean;
  /** From the start of the request to the end of the response body, in milliseconds. */
  latencyMs: number;
  /** The provider's request id (`x-request-id`, `request-id`...), when it sent one. */
  providerRequestId: string | null;
}
