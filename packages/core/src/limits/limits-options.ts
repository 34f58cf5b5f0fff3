import type { Dimensions } from "../event/usage-event";
import type { LimitMax, LimitRule } from "./limit-rule";
import type { LimitThresholdAlert } from "./limit-threshold-alert";
import type { QuotaStoreV1 } from "./quota-store-v1";

/**
 * The `limits` option of `UsagePilot`: budgets checked before every metered call with a reservation of
 * its estimated usage, settled to the actual usage when the call's event is recorded.
 *
 * Without `limits` the metered fetch does no quota work at all.
 */
export interface LimitsOptions<D extends Dimensions = Dimensions> {
  /** The budgets; every rule whose key dimensions a call has applies to it. */
  rules: readonly LimitRule<D>[];
  /**
   * Per-tenant budgets (plans): the max for this rule and these dimensions, or null for no budget. Its
   * answer is cached per rule and key for `resolveMaxTtlMs`. Default: the rule's own `max`.
   */
  resolveMax?: (rule: LimitRule<D>, dimensions: Partial<D>) => LimitMax | null | Promise<LimitMax | null>;
  /** How long a `resolveMax` answer is reused, ms. Default 60000. */
  resolveMaxTtlMs?: number;
  /** Where counters live. Default: a `MemoryQuotaStore` (one instance); `RedisQuotaStore` for many. */
  store?: QuotaStoreV1;
  /** IANA time zone of "day" and "month" windows. Default "UTC". */
  timeZone?: string;
  /**
   * When the store cannot be reached: "failOpen" (default) lets the call through unchecked and reports a
   * `QuotaStoreError` through `onError`; "failClosed" rejects the call with that error.
   */
  onStoreUnavailable?: "failOpen" | "failClosed";
  /**
   * Calls whose required dimensions are missing are recorded under `UNATTRIBUTED`: "count" (default)
   * keeps them in that value's own budget; "block" refuses them with `QuotaExceededError`.
   */
  unattributed?: "count" | "block";
  /**
   * The most output tokens one request may ask for, written into the outgoing body (`max_tokens`,
   * `max_output_tokens`, ...) by adapters that support it, so one verbose call cannot run away. A
   * function decides per tenant; null or undefined leaves the request as it is. Default: no cap.
   */
  maxOutputTokens?: number | ((dimensions: Partial<D>) => number | null | undefined);
  /**
   * The output estimate of a request that names no maximum, before any call of its kind was observed.
   * After that, the 90th percentile of the last 64 observed outputs of the same `estimateBy` value,
   * provider and model is used. Default 256.
   */
  defaultOutputTokens?: number;
  /** The dimension whose calls share an output estimate. Default "feature". */
  estimateBy?: keyof D & string;
  /**
   * How long a reservation lives when its holder never settles it (a crash, a body never read), ms.
   * Default 900000 (15 minutes): longer than any call should take.
   */
  reservationTtlMs?: number;
  /**
   * How long a call that would fit once the reservations in flight settle waits for them before it is
   * refused, ms. Waiting (instead of refusing) is what keeps reservations from blocking a tenant whose
   * budget still has room. Default 30000.
   */
  maxWaitMs?: number;
  /** Called once per window as a rule's usage crosses one of its thresholds. Errors it throws go to `onError`. */
  onThreshold?: (alert: LimitThresholdAlert) => void;
  /** The clock, in epoch ms. Default `Date.now`; tests inject one to cross window boundaries. */
  now?: () => number;
}
