/** Reads one property of an untrusted JSON value: undefined when the value is not an object (or is an array). */
export function readField(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** A non-empty string property, or undefined. */
export function readString(value: unknown, key: string): string | undefined {
  const field = readField(value, key);
  return typeof field === "string" && field !== "" ? field : undefined;
}

/** A positive integer property (a count such as `max_tokens` or `n`), or undefined. */
export function readPositiveInteger(value: unknown, key: string): number | undefined {
  const field = readField(value, key);
  return typeof field === "number" && Number.isInteger(field) && field > 0 ? field : undefined;
}
