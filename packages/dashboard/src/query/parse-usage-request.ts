import type { QueryGranularity, UsageQuery } from "@usagepilot/core";

/** Limits on what one request may ask, so a dashboard request cannot make the database work for minutes. */
export interface UsageRequestLimits {
  /** Longest range in days. Default 400. */
  maxRangeDays?: number;
  /** Most time buckets one answer may have (range ÷ granularity). Default 2000. */
  maxBuckets?: number;
}

/** A parsed request, or why it was refused. */
export type ParsedUsageRequest = { ok: true; query: UsageQuery & { from: Date; to: Date; granularity: QueryGranularity; groupBy: string[] } } | { ok: false; error: string };

const granularities: readonly QueryGranularity[] = ["hour", "day", "month", "total"];
const bucketMs: Record<QueryGranularity, number> = { hour: 3_600_000, day: 86_400_000, month: 28 * 86_400_000, total: Number.POSITIVE_INFINITY };
const keyPattern = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const maxGroupKeys = 4;
const maxWhereValues = 50;
const hour = 3_600_000;

function parseTime(text: string | null): Date | null | undefined {
  if (text === null || text === "") return undefined;
  // A bare date is midnight UTC; anything else must be a full ISO-8601 time.
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * Reads `from`, `to`, `granularity`, `groupBy` (comma-separated) and `where.<key>` (repeatable) from a
 * dashboard URL. Defaults: `to` = the next whole hour, `from` = 30 days before it, granularity "day", no
 * grouping (whole hours let Postgres answer from its rollups).
 */
export function parseUsageRequest(params: URLSearchParams, limits: UsageRequestLimits = {}, now: Date = new Date()): ParsedUsageRequest {
  const to = parseTime(params.get("to"));
  const from = parseTime(params.get("from"));
  if (to === null || from === null) return { ok: false, error: "from and to must be ISO-8601 dates or times" };
  const end = to ?? new Date(Math.ceil(now.getTime() / hour) * hour);
  const start = from ?? new Date(end.getTime() - 30 * 86_400_000);
  if (start.getTime() >= end.getTime()) return { ok: false, error: "from must be before to" };
  const maxRangeDays = limits.maxRangeDays ?? 400;
  if (end.getTime() - start.getTime() > maxRangeDays * 86_400_000) return { ok: false, error: `the range may span at most ${maxRangeDays} days` };

  const granularity = (params.get("granularity") ?? "day") as QueryGranularity;
  if (!granularities.includes(granularity)) return { ok: false, error: `granularity must be one of ${granularities.join(", ")}` };
  const maxBuckets = limits.maxBuckets ?? 2000;
  if ((end.getTime() - start.getTime()) / bucketMs[granularity] > maxBuckets) return { ok: false, error: `at most ${maxBuckets} ${granularity} buckets per request` };

  const groupBy = (params.get("groupBy") ?? "").split(",").map((key) => key.trim()).filter((key) => key !== "");
  if (groupBy.length > maxGroupKeys) return { ok: false, error: `groupBy takes at most ${maxGroupKeys} keys` };
  if (new Set(groupBy).size !== groupBy.length) return { ok: false, error: "groupBy names a key twice" };
  const badKey = groupBy.find((key) => !keyPattern.test(key));
  if (badKey !== undefined) return { ok: false, error: `groupBy key ${JSON.stringify(badKey)} is not a valid name` };

  const where: Record<string, string[]> = {};
  let values = 0;
  for (const [name, value] of params) {
    if (!name.startsWith("where.")) continue;
    const key = name.slice("where.".length);
    if (!keyPattern.test(key)) return { ok: false, error: `where key ${JSON.stringify(key)} is not a valid name` };
    values += 1;
    if (values > maxWhereValues) return { ok: false, error: `at most ${maxWhereValues} where values` };
    (where[key] ??= []).push(value);
  }
  return { ok: true, query: { from: start, to: end, granularity, groupBy, ...(values > 0 ? { where } : {}) } };
}
