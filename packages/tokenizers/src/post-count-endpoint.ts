import { safeParseJson } from "@usagepilot/core";
import { CountTokensError } from "./errors/count-tokens-error";

/** What a provider's count-tokens call needs. */
export interface CountEndpointRequest {
  provider: string;
  /** The URL fetched (may carry a key). */
  url: string;
  /** The URL as errors show it, without a key. */
  displayUrl: string;
  headers: Record<string, string>;
  body: unknown;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal | undefined;
  /** Reads the count from the parsed answer; undefined when it is not there. */
  readCount(answer: unknown): number | undefined;
}

/**
 * POSTs a count-tokens request and returns the count. Failures become a `CountTokensError` (status,
 * retryability, redacted URL, cause); an abort by the caller's signal is rethrown as it came.
 */
export async function postCountEndpoint(request: CountEndpointRequest): Promise<number> {
  const fail = (message: string, status: number | undefined, cause?: unknown) =>
    new CountTokensError({ message, provider: request.provider, url: request.displayUrl, status, isRetryable: status === undefined || isRetryableStatus(status), cause });
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, { method: "POST", headers: { "content-type": "application/json", ...request.headers }, body: JSON.stringify(request.body), signal: request.signal });
    text = await response.text();
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw fail(`${request.provider} count-tokens request failed: ${error instanceof Error ? error.message : String(error)}`, undefined, error);
  }
  if (!response.ok) throw fail(`${request.provider} count-tokens answered ${response.status}: ${text.slice(0, 300)}`, response.status);
  const parsed = safeParseJson(text);
  if (!parsed.ok) throw new CountTokensError({ message: `${request.provider} count-tokens answered with invalid JSON`, provider: request.provider, url: request.displayUrl, status: response.status, isRetryable: false, cause: parsed.error });
  const count = request.readCount(parsed.value);
  if (count === undefined) throw new CountTokensError({ message: `${request.provider} count-tokens answered without a token count: ${text.slice(0, 300)}`, provider: request.provider, url: request.displayUrl, status: response.status, isRetryable: false });
  return count;
}

// The statuses the official SDKs retry: request timeout, conflict, rate limit, server errors.
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
