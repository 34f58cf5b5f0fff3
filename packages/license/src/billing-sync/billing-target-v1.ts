/** One value to send: the outbox row as a provider adapter sees it. */
export interface BillingLineV1 {
  /** Deterministic: the same line is always sent with the same identifier (see `billingIdentifier`). */
  identifier: string;
  /** The meter's provider-side name. */
  meter: string;
  tenantKey: string;
  /** The Stripe customer or Chargebee subscription. */
  externalId: string;
  /** The line's timestamp: its latest event's. */
  occurredAt: Date;
  /** A canonical decimal string, already rounded to the meter's `decimals`. */
  value: string;
  eventCount: number;
}

/** What became of one line in a send: accepted (or already there), to retry, or refused for good. */
export type LineOutcomeV1 =
  | { identifier: string; status: "sent" }
  | { identifier: string; status: "retry"; message: string; retryAfterMs?: number }
  | { identifier: string; status: "rejected"; message: string };

/** A failure of a whole call, sorted: can a retry help, and did the provider say when. */
export interface ClassifiedErrorV1 {
  retryable: boolean;
  retryAfterMs?: number;
  message: string;
}

/** One run's way of sending: how many lines per call, and the call. */
export interface BillingSenderV1 {
  /** Names the path taken, for the report ("v1", "v2-stream", "batch"). */
  readonly mode: string;
  readonly batchSize: number;
  /** Sends one batch; throws when the whole call failed (then `classifyError` decides). */
  send(lines: readonly BillingLineV1[]): Promise<LineOutcomeV1[]>;
}

/** What the shared sync needs from a billing provider (Stripe, Chargebee). */
export interface BillingTargetV1 {
  /** Names the target in the ledger, e.g. "stripe" or "chargebee:acme". */
  readonly id: string;
  /** The oldest event timestamp the provider accepts, as an age in ms (Stripe 35 days, Chargebee 12 hours). */
  readonly maxEventAgeMs: number;
  /** Lines closer than this to `maxEventAgeMs` are reported rather than sent, as they may expire in flight. */
  readonly ageSafetyMarginMs: number;
  /** Calls per second the sync keeps under, so the provider's rate limit is not hit. */
  readonly requestsPerSecond: number;
  /** Chooses how to send this run's `pending` lines. */
  openSender(pending: number): Promise<BillingSenderV1>;
  classifyError(error: unknown): ClassifiedErrorV1;
  /** External ids that no longer exist (a deleted customer or subscription), with the reason to report. */
  findMissingExternalIds?(externalIds: readonly string[]): Promise<Map<string, string>>;
  /** The provider's own totals per external id for one meter over [from, to), as decimal strings. */
  providerTotals(query: { meter: string; externalIds: readonly string[]; from: Date; to: Date }): Promise<Map<string, string>>;
}
