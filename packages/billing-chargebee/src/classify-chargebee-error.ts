import { type ClassifiedErrorV1, parseRetryAfter } from "@usagepilot/license/billing-sync";

interface ChargebeeErrorLike {
  http_status_code?: unknown;
  api_error_code?: unknown;
  message?: unknown;
  headers?: Record<string, unknown>;
}

/**
 * Sorts a chargebee-node failure (the SDK rejects with the error body plus `http_status_code` and
 * `headers`): 429 (after its Retry-After), 5xx, timeouts and connection errors are worth retrying; other
 * 4xx are not.
 */
export function classifyChargebeeError(error: unknown): ClassifiedErrorV1 {
  const value = (typeof error === "object" && error !== null ? error : {}) as ChargebeeErrorLike;
  const status = typeof value.http_status_code === "number" ? value.http_status_code : undefined;
  const code = typeof value.api_error_code === "string" ? value.api_error_code : error instanceof Error ? error.name : "error";
  const message = `Chargebee ${status ?? "connection"} ${code}: ${typeof value.message === "string" ? value.message : String(error)}`;
  const header = value.headers?.["retry-after"];
  const retryAfterMs = parseRetryAfter(typeof header === "string" ? header : undefined);
  if (status === undefined || status === 429 || status >= 500) return { retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), message };
  return { retryable: false, message };
}
