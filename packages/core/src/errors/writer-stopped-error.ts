import type { UsageEvent } from "../event/usage-event";
import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotWriterStoppedError";

/** An event was captured after `shutdown()`: it is not written, and is handed back here instead of lost. */
export class WriterStoppedError extends UsagePilotError {
  /** The events that were not written. */
  readonly events: readonly UsageEvent[];

  constructor(options: { events: readonly UsageEvent[]; cause?: unknown }) {
    super({ name, message: `${options.events.length} usage event(s) arrived after shutdown and were not stored; they are attached as .events.`, cause: options.cause });
    this.events = options.events;
  }

  static override isInstance(error: unknown): error is WriterStoppedError {
    return hasErrorName(error, name);
  }
}
