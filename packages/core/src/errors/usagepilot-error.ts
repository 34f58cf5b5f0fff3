const marker = Symbol.for("usagepilot.error");

/**
 * Base class of every error UsagePilot raises or reports.
 *
 * `isInstance` works across duplicate installs of the package, where `instanceof` does not.
 */
export class UsagePilotError extends Error {
  private readonly [marker] = true;

  constructor(options: { name: string; message: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name;
  }

  /** True for any UsagePilot error, from any copy of the package. */
  static isInstance(error: unknown): error is UsagePilotError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Builds an `isInstance` check for one error class, keyed on its `name`, that works across installs. */
export function hasErrorName(error: unknown, name: string): boolean {
  return UsagePilotError.isInstance(error) && error.name === name;
}
