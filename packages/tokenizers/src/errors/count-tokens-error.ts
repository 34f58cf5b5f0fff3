import { UsagePilotError } from "@usagepilot/core";

const name = "UsagePilotCountTokensError";

/**
 * `countTokens` could not count: the provider's count-tokens endpoint failed (an HTTP error, a network
 * error, an answer without a count), or no local count was possible. The URL never carries the API key
 * (Gemini's `key=` is redacted).
 */
export class CountTokensError extends UsagePilotError {
  /** The provider counted for ("anthropic", "google", …). */
  readonly provider: string;
  /** The endpoint called, with any key redacted; undefined when the local count failed. */
  readonly url: string | undefined;
  /** The HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  /** Whether retrying can help: network errors, 408, 409, 429 and 5xx; false for a local failure. */
  readonly isRetryable: boolean;

  constructor(options: { message: string; provider: string; url?: string; status?: number; isRetryable: boolean; cause?: unknown }) {
    super({ name, message: options.message, cause: options.cause });
    this.provider = options.provider;
    this.url = options.url;
    this.status = options.status;
    this.isRetryable = options.isRetryable;
  }

  /** True for a `CountTokensError` from any copy of the package. */
  static override isInstance(error: unknown): error is CountTokensError {
    return UsagePilotError.isInstance(error) && error.name === name;
  }
}
