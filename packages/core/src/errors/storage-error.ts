import type { UsageEvent } from "../event/usage-event";
import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotStorageError";

/** A storage write failed. The events stay buffered and the write is retried; nothing is dropped. */
export class StorageError extends UsagePilotError {
  /** Whether retrying can help (a connection error can; a schema mismatch cannot). */
  readonly isRetryable: boolean;
  /** How long the storage asked us to wait before retrying, if it said. */
  readonly retryAfterMs: number | undefined;
  /** How many events the failed write carried. */
  readonly eventCount: number;
  /** Which attempt this was, 1-based. */
  readonly attempt: number;
  /** Events the storage refused for good, handed back so they are never lost. */
  readonly events: readonly UsageEvent[] | undefined;

  constructor(options: { message: string; eventCount: number; attempt: number; isRetryable?: boolean; retryAfterMs?: number; events?: readonly UsageEvent[]; cause?: unknown }) {
    super({ name, message: options.message, cause: options.cause });
    this.isRetryable = options.isRetryable ?? true;
    this.retryAfterMs = options.retryAfterMs;
    this.eventCount = options.eventCount;
    this.attempt = options.attempt;
    this.events = options.events;
  }

  static override isInstance(error: unknown): error is StorageError {
    return hasErrorName(error, name);
  }
}
