import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotMeteringError";

/**
 * Metering of one call went wrong (an unparseable body, garbage in a stream, an adapter that threw). The
 * caller's response is untouched; this goes to `onError` and the event is recorded with what is known.
 */
export class MeteringError extends UsagePilotError {
  /** The URL of the call. */
  readonly url: string | undefined;
  /** The provider the call was matched to. */
  readonly provider: string | undefined;

  constructor(options: { message: string; url?: string; provider?: string; cause?: unknown }) {
    super({ name, message: options.message, cause: options.cause });
    this.url = options.url;
    this.provider = options.provider;
  }

  static override isInstance(error: unknown): error is MeteringError {
    return hasErrorName(error, name);
  }
}
