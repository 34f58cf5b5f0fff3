import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotQuotaStoreError";

/**
 * The quota store could not be reached (or answered nonsense). Under `onStoreUnavailable: "failClosed"`
 * the wrapped fetch rejects with it before sending; under "failOpen" (the default) the call goes out
 * unchecked and this goes to `onError`. The message states which policy applied.
 */
export class QuotaStoreError extends UsagePilotError {
  /** The policy that decided what happened to the call. */
  readonly policy: "failOpen" | "failClosed";
  /** What was being done: "reserve", "settle", "seed" or "read". */
  readonly operation: string;

  constructor(options: { policy: "failOpen" | "failClosed"; operation: string; cause?: unknown }) {
    const outcome =
      options.operation === "reserve"
        ? options.policy === "failClosed"
          ? "the call was refused (onStoreUnavailable: failClosed)"
          : "the call was sent unchecked (onStoreUnavailable: failOpen)"
        : "its usage is not counted in the store";
    const detail = options.cause instanceof Error ? `: ${options.cause.message}` : "";
    super({ name, message: `The quota store failed to ${options.operation}${detail}; ${outcome}.`, cause: options.cause });
    this.policy = options.policy;
    this.operation = options.operation;
  }

  static override isInstance(error: unknown): error is QuotaStoreError {
    return hasErrorName(error, name);
  }
}
