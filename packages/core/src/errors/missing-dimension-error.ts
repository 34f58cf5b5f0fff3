import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotMissingDimensionError";

/** A required tenant dimension was absent from a call; the event is recorded under `UNATTRIBUTED` unless the policy rejects it. */
export class MissingDimensionError extends UsagePilotError {
  /** The dimension keys that had no value. */
  readonly missing: readonly string[];
  /** The URL of the call that lacked them. */
  readonly url: string | undefined;

  constructor(options: { missing: readonly string[]; url?: string; cause?: unknown }) {
    super({
      name,
      message: `Missing required dimension${options.missing.length === 1 ? "" : "s"} ${options.missing.map((key) => `"${key}"`).join(", ")}${options.url ? ` for ${options.url}` : ""}. Set it in the createFetch extractor or with usage.withDimensions().`,
      cause: options.cause,
    });
    this.missing = options.missing;
    this.url = options.url;
  }

  static override isInstance(error: unknown): error is MissingDimensionError {
    return hasErrorName(error, name);
  }
}
