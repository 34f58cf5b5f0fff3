/** Counts read from an untrusted object: each a non-negative integer, or undefined when absent. */
export type Counts<K extends string> = { [P in K]: number | undefined };

/**
 * Reads the named counts of a JSON object. Returns null when `value` is present but not an object, or
 * when any named field is present (not null) but not a non-negative integer: a usage object that lies
 * about one number is not trusted for the others. An absent object reads as all-undefined.
 *
 * Hand-written rather than a schema library: it runs on every metered call, and a schema's failure path
 * (building an error for each `usage: null` chunk) cost more than the rest of the adapter.
 */
export function readCounts<K extends string>(value: unknown, keys: readonly K[]): Counts<K> | null {
  const result = {} as Counts<K>;
  if (value === null || value === undefined) {
    for (const key of keys) result[key] = undefined;
    return result;
  }
  if (typeof value !== "object" || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const field = record[key];
    if (field === null || field === undefined) result[key] = undefined;
    else if (typeof field === "number" && Number.isSafeInteger(field) && field >= 0) result[key] = field;
    else return null;
  }
  return result;
}
