/**
 * How long to wait before attempt `attempt + 1`: what the provider asked for (Retry-After) when it said,
 * else exponential backoff from `baseMs` capped at `maxMs`, with full jitter on the upper half so many
 * syncs do not retry in step.
 */
export function retryDelay(options: { attempt: number; retryAfterMs?: number | undefined; baseMs: number; maxMs: number; random?: () => number }): number {
  if (options.retryAfterMs !== undefined && options.retryAfterMs >= 0) return Math.min(options.retryAfterMs, options.maxMs);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** options.attempt);
  return Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2));
}

/** Reads a Retry-After header (seconds, or an HTTP date) as milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
