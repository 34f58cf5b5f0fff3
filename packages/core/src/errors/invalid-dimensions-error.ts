import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotInvalidDimensionsError";

/** The dimensions of a call failed the `dimensions` schema given to `UsagePilot`. */
export class InvalidDimensionsError extends UsagePilotError {
  /** One line per schema issue, with the key it concerns. */
  readonly issues: readonly { key: string | undefined; message: string }[];

  constructor(options: { issues: readonly { key: string | undefined; message: string }[]; cause?: unknown }) {
    super({
      name,
      message: `Invalid dimensions: ${options.issues.map((issue) => (issue.key ? `${issue.key}: ${issue.message}` : issue.message)).join("; ")}`,
      cause: options.cause,
    });
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is InvalidDimensionsError {
    return hasErrorName(error, name);
  }
}
