import type { DriftRowV1 } from "./reconcile-rows";

/** Why lines were not sent, reported by name so the rest keeps syncing. */
export type BillingProblemReason =
  /** The tenant maps to no customer/subscription (neither the table nor the resolver knew it). */
  | "no_customer"
  /** The mapped customer/subscription no longer exists at the provider. */
  | "customer_missing"
  /** No tenant could be read from the events' dimensions. */
  | "no_tenant"
  /** Older than the provider accepts (Stripe: 35 days; Chargebee: 12 hours). Never sent, kept for audit. */
  | "too_old"
  /** The provider refused the line for good. */
  | "rejected";

/** A group of lines held back or refused, with who and how much. */
export interface BillingProblemV1 {
  reason: BillingProblemReason;
  tenantKey: string;
  externalId: string | null;
  meter: string;
  lines: number;
  events: number;
  /** The total value not billed, a decimal string. */
  value: string;
  /** The provider's or the sync's own words. */
  message: string | null;
}

/** What one `sync()` run did. */
export interface BillingSyncReportV1 {
  /** Stored events newly claimed into lines this run. */
  claimedEvents: number;
  /** Lines written this run (late events for an already synced window make a new delta line). */
  createdLines: number;
  /** Lines the provider accepted this run. */
  sentLines: number;
  /** How lines were sent ("v1", "v2-stream", "batch"), or null when nothing was sent. */
  mode: string | null;
  /** Events with no measured usage / no price that a token / cost meter could not count. */
  unmeasuredEvents: number;
  unpricedEvents: number;
  /** Everything not billed, by tenant and reason (all outstanding problems, not only this run's). */
  problems: BillingProblemV1[];
  /** Lines still waiting after this run (the provider kept failing); the next run sends them. */
  pendingLines: number;
  /** Call failures seen during the run (each retried with backoff). */
  failures: string[];
}

/** What `reconcile()` found. */
export interface ReconcileReportV1 {
  from: Date;
  to: Date;
  rows: DriftRowV1[];
  /** True when every row matches: the provider has exactly what was sent and everything was sent. */
  balanced: boolean;
}
