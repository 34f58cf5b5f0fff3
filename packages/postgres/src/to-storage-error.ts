import { StorageError } from "@usagepilot/core";

// SQLSTATE classes that retrying cannot fix: bad data, constraint violations, bad SQL, permissions.
const permanentClasses = ["22", "23", "42"];
const authenticationFailures = new Set(["28P01", "28000"]);

interface DriverErrorDetails {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
  cause?: unknown;
}

/** The innermost error that carries a code: drizzle wraps the driver's error in its own. */
function driverError(error: unknown): DriverErrorDetails {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    const candidate = current as DriverErrorDetails;
    if (typeof candidate.code === "string") return candidate;
    current = candidate.cause;
  }
  return (typeof error === "object" && error !== null ? error : { message: String(error) }) as DriverErrorDetails;
}

/**
 * Turns a driver error into a `StorageError` whose message names the problem (refused connection, bad
 * password, unknown database...) and says whether retrying can help.
 */
export function toStorageError(error: unknown, context: { eventCount: number; attempt?: number; action: string }): StorageError {
  if (StorageError.isInstance(error)) return error;
  const details = driverError(error);
  const code = typeof details.code === "string" ? details.code : undefined;
  let reason = details.message ?? String(error);
  if (code === "ECONNREFUSED") reason = `connection refused at ${details.address ?? "the server"}${details.port ? `:${details.port}` : ""} (is PostgreSQL running and the URL right?)`;
  else if (code === "ENOTFOUND") reason = `host not found (${reason})`;
  else if (code && authenticationFailures.has(code)) reason = `authentication failed: ${reason} (check the user and password in the connection string)`;
  else if (code === "3D000") reason = `database does not exist: ${reason}`;
  const permanent = code !== undefined && code.length === 5 && permanentClasses.includes(code.slice(0, 2));
  return new StorageError({
    message: `PostgresStorage could not ${context.action}: ${reason}`,
    eventCount: context.eventCount,
    attempt: context.attempt ?? 1,
    isRetryable: !permanent,
    cause: error,
  });
}
