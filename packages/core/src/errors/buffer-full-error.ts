import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotBufferFullError";

/**
 * Reported through `onError` when the event buffer reached its bound. Nothing is dropped: new calls wait
 * for room (or the overflow goes to the configured spill) until storage catches up.
 */
export class BufferFullError extends UsagePilotError {
  /** Events buffered when the bound was hit. */
  readonly buffered: number;
  /** The configured bound. */
  readonly maxBufferSize: number;

  constructor(options: { buffered: number; maxBufferSize: number; cause?: unknown }) {
    super({
      name,
      message: `Usage buffer is full (${options.buffered} of ${options.maxBufferSize} events); new calls wait for storage to catch up.`,
      cause: options.cause,
    });
    this.buffered = options.buffered;
    this.maxBufferSize = options.maxBufferSize;
  }

  static override isInstance(error: unknown): error is BufferFullError {
    return hasErrorName(error, name);
  }
}
