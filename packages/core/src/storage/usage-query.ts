/** Time buckets for `query`. "total" is one bucket over the whole range. */
export type QueryGranularity = "hour" | "day" | "month" | "total";

/** Fields that can be grouped on besides dimension keys. */
export type QueryField = "provider" | "model" | "operation" | "status";

/** What `usage.query()` asks for. */
export interface UsageQuery {
  /** Inclusive start (event timestamp). */
  from: Date | string;
  /** Exclusive end. */
  to: Date | string;
  /** Dimension keys and event fields to group by, e.g. ["organization_id", "model"]. Default: no grouping. */
  groupBy?: readonly string[];
  /** Exact matches on dimension keys or event fields; an array matches any of its values. */
  where?: Record<string, string | readonly string[]>;
  /** Time buckets; default "total". Buckets are UTC. */
  granularity?: QueryGranularity;
}

/** One group of `query`'s answer. Counts are null when no event in the group was measured. */
export interface UsageQueryRow {
  /** ISO start of the bucket, or null for "total". */
  period: string | null;
  /** The values of the `groupBy` keys; null where an event lacked the key. */
  group: Record<string, string | null>;
  /** Events in the group. */
  events: number;
  /** Events whose usage was not measured: their tokens are not in the sums below. */
  unmeasuredEvents: number;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteInputTokens: number | null;
  reasoningTokens: number | null;
  /** Summed units. */
  units: Record<string, number>;
  /** Exact sum of known costs, as a decimal string; null when no event in the group had a cost. */
  costUsd: string | null;
  /** Events without a known cost: their cost is not in `costUsd`. */
  unpricedEvents: number;
}
