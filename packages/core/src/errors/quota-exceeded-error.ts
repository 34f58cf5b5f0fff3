import type { LimitMetric } from "../limits/limit-metric";
import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotQuotaExceededError";

/**
 * A call refused by a "block" limit before it left: the wrapped fetch rejects with this, and nothing
 * was sent or recorded. `reason` is "limit" when the call does not fit the budget (or would fit only
 * once the reservations in flight settle, and waiting for them took longer than `maxWaitMs`), and
 * "unattributed" when `limits.unattributed` is "block" and a required dimension was missing.
 */
export class QuotaExceededError extends UsagePilotError {
  readonly reason: "limit" | "unattributed";
  /** The rule's name. */
  readonly rule: string;
  /** The budget's key dimensions and their values, e.g. `{ organization_id: "acme" }`. */
  readonly key: Readonly<Record<string, string>>;
  readonly metric: LimitMetric | null;
  /** The budget: a number, or a decimal string for `costUsd`. */
  readonly limit: number | string;
  /** Settled usage in the window. */
  readonly used: number | string;
  /** Reserved by calls in flight. */
  readonly reserved: number | string;
  /** What this call asked to reserve (its estimate). */
  readonly requested: number | string;
  /** When the window ends (calendar), or by when everything counted now has left it (rolling); null for "unattributed". */
  readonly resetsAt: Date | null;

  constructor(options: {
    reason?: "limit" | "unattributed";
    rule: string;
    key: Record<string, string>;
    metric: LimitMetric | null;
    limit: number | string;
    used: number | string;
    reserved: number | string;
    requested: number | string;
    resetsAt: Date | null;
    message?: string;
    cause?: unknown;
  }) {
    const keyText = Object.entries(options.key).map(([dimension, value]) => `${dimension}=${value}`).join(", ") || "all calls";
    super({
      name,
      message:
        options.message ??
        `Quota "${options.rule}" (${keyText}) refused the call before sending it: ${options.metric} limit ${options.limit}, used ${options.used}, reserved by calls in flight ${options.reserved}, this call needs ${options.requested}` +
          (options.resetsAt ? `; resets at ${options.resetsAt.toISOString()}` : ""),
      cause: options.cause,
    });
    this.reason = options.reason ?? "limit";
    this.rule = options.rule;
    this.key = options.key;
    this.metric = options.metric;
    this.limit = options.limit;
    this.used = options.used;
    this.reserved = options.reserved;
    this.requested = options.requested;
    this.resetsAt = options.resetsAt;
  }

  static override isInstance(error: unknown): error is QuotaExceededError {
    return hasErrorName(error, name);
  }
}
