import type { UsageEvent } from "../event/usage-event";
import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotInvalidUsageEventError";

/** An event broke the contract's invariants (negative counts, a subset larger than its total, a float cost...). */
export class InvalidUsageEventError extends UsagePilotError {
  /** The event's id, when it had one. */
  readonly eventId: string | undefined;
  /** Every broken invariant, one sentence each. */
  readonly violations: readonly string[];
  /** The refused event itself, so it is never lost: keep or repair it. */
  readonly event: UsageEvent | undefined;

  constructor(options: { eventId?: string; violations: readonly string[]; event?: UsageEvent; cause?: unknown }) {
    super({
      name,
      message: `Usage event ${options.eventId ?? "(no id)"} breaks the contract: ${options.violations.join("; ")}`,
      cause: options.cause,
    });
    this.eventId = options.eventId;
    this.violations = options.violations;
    this.event = options.event;
  }

  static override isInstance(error: unknown): error is InvalidUsageEventError {
    return hasErrorName(error, name);
  }
}
