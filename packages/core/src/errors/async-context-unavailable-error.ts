import { hasErrorName, UsagePilotError } from "./usagepilot-error";

const name = "UsagePilotAsyncContextUnavailableError";

/** `withDimensions` needs AsyncLocalStorage, and this runtime offers none. */
export class AsyncContextUnavailableError extends UsagePilotError {
  constructor(options: { cause?: unknown } = {}) {
    super({
      name,
      message:
        "usage.withDimensions() needs AsyncLocalStorage, which this runtime does not provide. On Node, Bun and Deno import \"@usagepilot/core\" under the node condition (the default); elsewhere pass dimensions from request headers in the createFetch extractor.",
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is AsyncContextUnavailableError {
    return hasErrorName(error, name);
  }
}
