import type { UsageEvent } from "../event/usage-event";
import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotFlushTimeoutError";

/**
 * `flush` or `shutdown` ran out of time before storage took every event. The events are carried here so a
 * caller can keep them (write them to a file, send them elsewhere) instead of losing them.
 */
export class FlushTimeoutError extends UsagePilotError {
  /** The events that were not stored. */
  readonly events: readonly UsageEvent[];
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(options: { events: readonly UsageEvent[]; timeoutMs: number; cause?: unknown }) {
    super({
      name,
      message: `${options.events.length} usage event(s) were not stored within ${options.timeoutMs} ms; they are attached to this error as .events.`,
      cause: options.cause,
    });
    this.events = options.events;
    this.timeoutMs = options.timeoutMs;
  }

  static override isInstance(error: unknown): error is FlushTimeoutError {
    return hasErrorName(error, name);
  }
}
