import { type ClassifiedErrorV1, parseRetryAfter } from "@usagepilot/license/billing-sync";

interface StripeErrorLike {
  type?: unknown;
  statusCode?: unknown;
  message?: unknown;
  headers?: Record<string, unknown>;
}

/**
 * Sorts a stripe-node error: 429, 5xx, connection errors and expired v2 sessions are worth retrying (a 429
 * after its Retry-After); other 4xx are not. Stripe's own `stripe-should-retry: false` is believed.
 */
export function classifyStripeError(error: unknown): ClassifiedErrorV1 {
  const value = (typeof error === "object" && error !== null ? error : {}) as StripeErrorLike;
  const status = typeof value.statusCode === "number" ? value.statusCode : undefined;
  const type = typeof value.type === "string" ? value.type : "Error";
  const message = `Stripe ${status ?? "connection"} ${type}: ${typeof value.message === "string" ? value.message : String(error)}`;
  const headers = value.headers ?? {};
  const retryAfterMs = parseRetryAfter(typeof headers["retry-after"] === "string" ? headers["retry-after"] : undefined);
  if (headers["stripe-should-retry"] === "false") return { retryable: false, message };
  if (type === "TemporarySessionExpiredError") return { retryable: true, retryAfterMs: 0, message };
  if (status === undefined || status === 429 || status === 409 || status >= 500) return { retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), message };
  return { retryable: false, message };
}
