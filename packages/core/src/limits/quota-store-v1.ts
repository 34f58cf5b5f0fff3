/**
 * One counter of a budget: a rule, its key values, one metric and (for calendar windows) one window.
 * Amounts are non-negative integers: tokens, requests, unit counts, or nano-USD for cost (exact up to
 * 2^53, i.e. nine million USD per counter and window).
 */
export interface QuotaCounterV1 {
  /** Stable id, the same on every instance; stores derive their keys from it. */
  id: string;
  /** The budget. */
  limit: number;
  /** False for "notify" rules: the counter counts and reports thresholds but never refuses. */
  block: boolean;
  /**
   * Calendar windows: one bucket, forgotten at `end` (epoch ms). Rolling windows: `windowMs` long, kept in
   * buckets `bucketMs` wide; usage leaves the window a bucket at a time.
   */
  window: { kind: "calendar"; end: number } | { kind: "rolling"; windowMs: number; bucketMs: number };
}

/** A counter and an amount to reserve, settle or seed. */
export interface QuotaEntryV1 {
  counter: QuotaCounterV1;
  amount: number;
}

/** Where a counter stands. */
export interface QuotaCounterStateV1 {
  /** False until the counter was seeded from storage (or created) in this store. */
  seeded: boolean;
  /** Settled usage in the window. */
  used: number;
  /** Reserved by calls in flight (expired reservations excluded). */
  reserved: number;
}

/**
 * The answer to `reserve`: every counter reserved; or some counters never seeded (seed them and try again;
 * nothing was reserved); or a counter that refused, nothing reserved: the first where the amount does not
 * fit even after the reservations in flight settle ("exceeded"), else the first where it would fit once
 * they do ("pending"; waiting is pointless while another counter is exceeded).
 */
export type QuotaReserveResultV1 =
  | { outcome: "reserved" }
  | { outcome: "unseeded"; indexes: readonly number[] }
  | { outcome: "exceeded" | "pending"; index: number; used: number; reserved: number };

/** A settled counter whose usage crossed a threshold percentage for the first time in its window. */
export interface QuotaCrossingV1 {
  index: number;
  threshold: number;
  used: number;
}

/** What may be returned at once (memory) or later (network stores). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Shared quota state, version 1. `MemoryQuotaStore` keeps it in one process; `RedisQuotaStore`
 * (`@usagepilot/redis`) shares it between instances. Every method is atomic per counter; `reserve` is
 * all-or-nothing over its counters (a store that cannot do it in one step compensates on refusal).
 * Times are epoch ms given by the caller, so one clock decides windows and expiries.
 */
export interface QuotaStoreV1 {
  readonly specificationVersion: "v1";
  /**
   * Reserves `amount` on every counter for `ttlMs` (then the reservation expires on its own, so a crashed
   * holder never pins a budget), or reserves nothing. A counter never seeded answers "unseeded". Reserving
   * an id that holds a reservation replaces it (a retry); when that reserve is refused, the id may hold
   * nothing after it (a store that reserves counter by counter compensates by releasing), so the limits
   * reserve an id again only after a refusal or a settle.
   */
  reserve(request: { reservationId: string; now: number; ttlMs: number; entries: readonly QuotaEntryV1[] }): MaybePromise<QuotaReserveResultV1>;
  /**
   * Ends the reservation and adds the actual `amount` to each counter (0 releases it). A counter never
   * seeded is left alone: its usage reaches it from storage when it is seeded. Thresholds (percentages of
   * the counter's limit) are checked after adding; each crossing is reported once per window. `at` is
   * when the call started (its reservation): rolling windows count the usage from then.
   */
  settle(request: { reservationId: string; now: number; at: number; entries: readonly (QuotaEntryV1 & { thresholds?: readonly number[] })[] }): MaybePromise<readonly QuotaCrossingV1[]>;
  /**
   * Seeds a counter never seeded with the usage storage holds for its window (amounts at their event
   * times), set-if-absent: instances seeding together count it once. Returns false when it was seeded already.
   */
  seed(request: { now: number; counter: QuotaCounterV1; amounts: readonly { at: number; amount: number }[] }): MaybePromise<boolean>;
  /** Where the counters stand now. */
  read(request: { now: number; counters: readonly QuotaCounterV1[] }): MaybePromise<readonly QuotaCounterStateV1[]>;
}
