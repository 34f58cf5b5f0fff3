import type { UsageEvent } from "../event/usage-event";

/**
 * A local write-ahead log for captured events, version 1: an event counts as captured once it is in the
 * spool, and an event the process did not store before it died is stored by the next one. Runtimes with a
 * file system implement it (`@usagepilot/node`'s `createFileSpool`); core only calls it.
 */
export interface SpoolV1 {
  readonly specificationVersion: "v1";
  /** Takes a captured event; it is durable once the spool's next sync completes. Never throws. */
  append(event: UsageEvent): void;
  /** Events an earlier process captured and did not settle, to be written again (writes are idempotent). */
  recover(): Promise<readonly UsageEvent[]>;
  /** These events are settled (stored, or refused for good and reported): the spool may reclaim them. */
  settle(events: readonly UsageEvent[]): void;
  /** Makes everything appended so far durable now. */
  sync(): Promise<void>;
  /** Syncs and releases the spool's files. */
  close(): Promise<void>;
}
