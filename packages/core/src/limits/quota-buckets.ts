import type { QuotaCounterV1 } from "./quota-store-v1";

/** Where time `at` falls in a counter, and how long the counter must be kept. */
export interface QuotaBucketsV1 {
  /** The bucket of `at` (calendar windows have one bucket, 0). */
  bucket: number;
  /** Buckets before this one have left the window at `now` (0 for calendar windows). */
  oldest: number;
  /** When everything counted now has left the window: the calendar window's end, or now + the rolling window. */
  expiresAt: number;
}

/**
 * The bucket arithmetic every quota store shares, so that instances on different stores (or versions)
 * agree on what "the window" is. `at` defaults to `now`; an earlier `at` (a seeded amount) is clamped to
 * the oldest bucket still in the window.
 */
export function quotaBuckets(counter: QuotaCounterV1, now: number, at: number = now): QuotaBucketsV1 {
  if (counter.window.kind === "calendar") return { bucket: 0, oldest: 0, expiresAt: counter.window.end };
  const { windowMs, bucketMs } = counter.window;
  const current = Math.floor(now / bucketMs);
  const oldest = current - Math.ceil(windowMs / bucketMs) + 1;
  return { bucket: Math.max(oldest, Math.min(current, Math.floor(at / bucketMs))), oldest, expiresAt: now + windowMs };
}
