import type { UsageEvent } from "../event/usage-event";
import type { UsageQuery, UsageQueryRow } from "./usage-query";

/**
 * Where events are kept. `write` must be idempotent on `event.id`: a batch retried after a failure (even
 * one whose write had in fact committed) stores nothing twice.
 */
export interface UsageStorage {
  /** Stores the events; rejects when nothing or only part may have been stored (the batch is retried whole). */
  write(events: readonly UsageEvent[]): Promise<void>;
  /** Sums usage and cost; see `UsageQuery`. */
  query?(query: UsageQuery): Promise<UsageQueryRow[]>;
  /** Releases connections and files. */
  close?(): Promise<void>;
}
