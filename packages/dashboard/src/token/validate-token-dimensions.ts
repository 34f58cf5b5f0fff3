/** Event fields that are columns, not dimensions: a tenant is never named by them. */
const eventFields = new Set(["provider", "model", "operation", "status"]);

/** Most dimensions a token may name; a tenant is a handful of keys, not a query. */
const maximumKeys = 8;
const maximumLength = 256;

/**
 * The tenant dimensions of a token, checked: a plain object of 1–8 non-empty string keys (not event
 * fields) with string values of at most 256 characters. Returns null when they are not, because an empty
 * or malformed set could match other tenants' rows.
 */
export function validateTokenDimensions(value: unknown): Readonly<Record<string, string>> | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.length > maximumKeys) return null;
  const dimensions: Record<string, string> = {};
  for (const [key, dimension] of entries) {
    if (key === "" || key.length > maximumLength || eventFields.has(key) || key === "__proto__") return null;
    if (typeof dimension !== "string" || dimension === "" || dimension.length > maximumLength) return null;
    dimensions[key] = dimension;
  }
  return Object.freeze(dimensions);
}
