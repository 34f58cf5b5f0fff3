import type { UsageEvent } from "../event/usage-event";
import type { UsageQuery, UsageQueryRow } from "./usage-query";

/**
 * Where events are kept. `write` must be idempotent on `event.id`: a batch retried after a failure (even
 * one whose write had in fact committed) stores nothing twice. A write that can never succeed (bad data)
 * rejects with a `StorageError` whose `isRetryable` is false: the writer then isolates the bad events.
 */
export interface UsageStorage {
  /** Stores the events; rejects when nothing or only part may have been stored (the batch is retried whole). */
  write(events: readonly UsageEvent[]): Promise<void>;
  /** Sums usage and cost; see `UsageQuery`. */
  query?(query: UsageQuery): Promise<UsageQueryRow[]>;
  /** Preferred events per write; `UsagePilot` uses it when not given its own `batchSize`. */
  readonly batchSize?: number | undefined;
  /** Preferred longest wait before a write (ms); `UsagePilot` uses it when not given its own `flushInterval`. */
  readonly flushInterval?: number | undefined;
  /** Releases connections and files. */
  close?(): Promise<void>;
}
