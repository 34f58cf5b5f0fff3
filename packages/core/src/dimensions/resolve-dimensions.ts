import type { StandardSchemaV1 } from "@standard-schema/spec";
import { InvalidDimensionsError } from "../errors/invalid-dimensions-error";
import { MissingDimensionError } from "../errors/missing-dimension-error";
import type { Dimensions } from "../event/usage-event";

/**
 * What an extractor may return: any key of D, as a plain string (headers are strings; the schema narrows
 * them), or null/undefined when absent.
 */
export type DimensionsInput<D extends Dimensions> = { [K in keyof D]?: string | null | undefined };

const noneMissing: readonly string[] = [];

/** The value recorded for a required dimension that was missing, so unattributed spend stays visible. */
export const UNATTRIBUTED = "(unattributed)";

/** How dimensions are checked. */
export interface DimensionPolicy {
  /** A Standard Schema (zod, valibot, arktype...) the dimensions must pass. */
  schema?: StandardSchemaV1 | undefined;
  /** Keys that must be present, when no schema says so. */
  required?: readonly string[] | undefined;
  /**
   * What a call with missing or invalid dimensions does: "record" (default) sends it, records the missing
   * keys as `UNATTRIBUTED` and reports the error through `onError`; "reject" throws the error from the
   * wrapped fetch before the request leaves.
   */
  onInvalid?: "record" | "reject" | undefined;
}

/** The outcome: the dimensions to record and, when they were not right, the error explaining why. */
export interface ResolvedDimensions {
  dimensions: Dimensions;
  error: MissingDimensionError | InvalidDimensionsError | undefined;
}

/** Adds `input`'s present values to `into` as strings (it runs on every call: no intermediate objects). */
function addClean(into: Dimensions, input: Record<string, unknown>): Dimensions {
  for (const key in input) {
    if (!Object.hasOwn(input, key)) continue;
    const value = input[key];
    if (value === null || value === undefined || value === "") continue;
    into[key] = String(value);
  }
  return into;
}

function clean(input: Record<string, unknown>): Dimensions {
  return addClean({}, input);
}

/**
 * Merges extracted and context dimensions (context wins: it is set explicitly around the code making
 * the call), drops empty values, and checks them against the policy.
 */
export function resolveDimensions(options: {
  extracted: Record<string, unknown>;
  context: Partial<Dimensions> | undefined;
  policy: DimensionPolicy;
  url?: string | undefined;
}): ResolvedDimensions | Promise<ResolvedDimensions> {
  const dimensions = clean(options.extracted);
  if (options.context) addClean(dimensions, options.context);
  const required = options.policy.required;
  const missing = required && required.length > 0 ? required.filter((key) => dimensions[key] === undefined) : noneMissing;
  const schema = options.policy.schema;
  // Without a schema nothing here waits, so the call path does not either.
  if (schema) return validateWithSchema(schema, dimensions, missing, options.url);
  return missing.length === 0 ? { dimensions, error: undefined } : markMissing(dimensions, missing, options.url);
}

function markMissing(dimensions: Dimensions, missing: readonly string[], url: string | undefined): ResolvedDimensions {
  const marked = { ...dimensions };
  for (const key of missing) marked[key] = UNATTRIBUTED;
  return { dimensions: marked, error: new MissingDimensionError({ missing, ...(url === undefined ? {} : { url }) }) };
}

async function validateWithSchema(schema: StandardSchemaV1, dimensions: Dimensions, missing: readonly string[], url: string | undefined): Promise<ResolvedDimensions> {
  const result = await schema["~standard"].validate(dimensions);
  if (!result.issues) {
    return missing.length === 0
      ? { dimensions: clean(result.value as Record<string, unknown>), error: undefined }
      : markMissing(clean(result.value as Record<string, unknown>), missing, url);
  }
  const issues = result.issues.map((issue) => {
    const first = issue.path?.[0];
    const key = first === undefined ? undefined : String(typeof first === "object" ? first.key : first);
    return { key, message: issue.message };
  });
  const absent = [...new Set([...missing, ...issues.flatMap((issue) => (issue.key !== undefined && dimensions[issue.key] === undefined ? [issue.key] : []))])];
  const invalid = issues.filter((issue) => issue.key === undefined || dimensions[issue.key] !== undefined);
  if (invalid.length === 0) return markMissing(dimensions, absent, url);
  for (const key of absent) dimensions[key] = UNATTRIBUTED;
  return { dimensions, error: new InvalidDimensionsError({ issues }) };
}
