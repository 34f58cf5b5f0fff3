import type { UsageEvent } from "../event/usage-event";
import { addDecimal, type Decimal, formatDecimal, parseDecimal } from "../price/decimal";
import type { QueryGranularity, UsageQuery, UsageQueryRow } from "./usage-query";

const eventFields = new Set(["provider", "model", "operation", "status"]);

function fieldValue(event: UsageEvent, key: string): string | null {
  if (eventFields.has(key)) return (event[key as "provider" | "model" | "operation" | "status"] as string | null) ?? null;
  return event.dimensions[key] ?? null;
}

/** The UTC start of the bucket holding `time`. */
export function bucketStart(time: Date, granularity: QueryGranularity): string | null {
  switch (granularity) {
    case "total":
      return null;
    case "hour":
      return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate(), time.getUTCHours())).toISOString();
    case "day":
      return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate())).toISOString();
    case "month":
      return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), 1)).toISOString();
  }
}

/** True when the event falls in the query's range and matches its `where`. */
export function matchesQuery(event: UsageEvent, query: UsageQuery): boolean {
  const time = Date.parse(event.timestamp);
  if (time < new Date(query.from).getTime() || time >= new Date(query.to).getTime()) return false;
  for (const [key, expected] of Object.entries(query.where ?? {})) {
    const value = fieldValue(event, key);
    const allowed: readonly string[] = typeof expected === "string" ? [expected] : expected;
    if (value === null || !allowed.includes(value)) return false;
  }
  return true;
}

interface Accumulator {
  row: UsageQueryRow;
  cost: Decimal | null;
}

const tokenKeys = ["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteInputTokens", "reasoningTokens"] as const;

/** The order of `query` answers, for every storage alike: by period, then by the group's values. */
export function compareQueryRows(a: UsageQueryRow, b: UsageQueryRow): number {
  return (a.period ?? "").localeCompare(b.period ?? "") || JSON.stringify(Object.values(a.group)).localeCompare(JSON.stringify(Object.values(b.group)));
}

/**
 * Answers a `UsageQuery` over events in memory: exact sums, unmeasured and unpriced events counted apart
 * (never added as zeros). Rows come sorted by period, then by group values.
 */
export function aggregateEvents(events: Iterable<UsageEvent>, query: UsageQuery): UsageQueryRow[] {
  const granularity = query.granularity ?? "total";
  const groupBy = query.groupBy ?? [];
  const groups = new Map<string, Accumulator>();
  for (const event of events) {
    if (!matchesQuery(event, query)) continue;
    const period = bucketStart(new Date(event.timestamp), granularity);
    const group = Object.fromEntries(groupBy.map((key) => [key, fieldValue(event, key)]));
    const key = JSON.stringify([period, groupBy.map((name) => group[name])]);
    let accumulator = groups.get(key);
    if (!accumulator) {
      accumulator = {
        row: { period, group, events: 0, unmeasuredEvents: 0, inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheWriteInputTokens: null, reasoningTokens: null, units: {}, costUsd: null, unpricedEvents: 0 },
        cost: null,
      };
      groups.set(key, accumulator);
    }
    const row = accumulator.row;
    row.events += 1;
    if (event.usage) {
      for (const name of tokenKeys) row[name] = (row[name] ?? 0) + event.usage[name];
    } else {
      row.unmeasuredEvents += 1;
    }
    for (const [unit, count] of Object.entries(event.units)) row.units[unit] = (row.units[unit] ?? 0) + count;
    if (event.cost) accumulator.cost = addDecimal(accumulator.cost ?? { units: 0n, scale: 0 }, parseDecimal(event.cost.amount));
    else row.unpricedEvents += 1;
  }
  const rows = [...groups.values()].map(({ row, cost }) => ({ ...row, costUsd: cost ? formatDecimal(cost) : null }));
  return rows.sort(compareQueryRows);
}
