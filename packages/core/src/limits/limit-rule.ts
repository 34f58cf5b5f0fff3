import type { Dimensions } from "../event/usage-event";

/**
 * The most a rule allows in one window. Every field is optional; a call must fit every one that is set.
 * `tokens` counts input plus output tokens (cached and reasoning included, as the event contract does).
 */
export interface LimitMax {
  /** Input plus output tokens. */
  tokens?: number;
  /** Calls that reached the provider (a failed call that billed nothing gives its request back). */
  requests?: number;
  /** Exact cost in USD as a decimal string, e.g. "5.00"; counted in integer nano-USD, never a float. */
  costUsd?: string;
  /** Non-token units by name, e.g. `{ images: 100 }`, as events and `usage.track()` record them. */
  units?: Record<string, number>;
}

/**
 * The window a rule counts over: a calendar "day" or "month" in the limits' time zone (a new window
 * starts at local midnight / on the 1st), or a rolling window of a duration such as "1h", "30m", "7d"
 * (or milliseconds).
 */
export type LimitWindow = "day" | "month" | { rolling: string | number };

/**
 * One budget. It applies to a call when the call has every dimension in `key` (so an organisation rule
 * and a user rule both apply to a call that names both: rules are hierarchical); each distinct set of
 * key values has its own budget (one per organisation, one per user within an organisation...).
 *
 * @example
 * { name: "org-month", key: ["organization_id"], window: "month", max: { tokens: 1_000_000 }, action: "block" }
 */
export interface LimitRule<D extends Dimensions = Dimensions> {
  /** A stable name: it identifies the budget's counters in the store, and refusals name it. */
  name: string;
  /** Dimension keys the budget is kept per. An empty key is one budget for every call. */
  key: readonly (keyof D & string)[];
  window: LimitWindow;
  /** The budget; `resolveMax` may override it per tenant. */
  max: LimitMax;
  /**
   * "block" refuses a call that does not fit, before it leaves, with `QuotaExceededError`; "notify" never
   * refuses and calls `onThreshold` as usage crosses `thresholds`.
   */
  action: "block" | "notify";
  /** Percentages of the budget at which `onThreshold` is called, once per window. Default [50, 80, 100] for "notify", none for "block". */
  thresholds?: readonly number[];
}
