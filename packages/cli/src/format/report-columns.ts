import type { UsageQueryRow } from "@usagepilot/core";

/** What the report says instead of a token count nobody measured: never 0. */
export const notMeasured = "not measured";
/** What the report says instead of a cost nobody knows: never 0. */
export const noPrice = "no price";

/** One report column: its heading and its cell for a row (text; unknowns spelled out). */
export interface ReportColumn {
  heading: string;
  /** Right-aligned in the table. */
  numeric: boolean;
  cell(row: UsageQueryRow): string;
}

const tokens = (value: number | null) => (value === null ? notMeasured : String(value));

/** The report's columns: the period (when bucketed), the group keys, then counts, tokens and exact cost. */
export function reportColumns(groupBy: readonly string[], bucketed: boolean): ReportColumn[] {
  return [
    ...(bucketed ? [{ heading: "period", numeric: false, cell: (row: UsageQueryRow) => row.period ?? "" }] : []),
    ...groupBy.map((key) => ({ heading: key, numeric: false, cell: (row: UsageQueryRow) => row.group[key] ?? "(none)" })),
    { heading: "events", numeric: true, cell: (row) => String(row.events) },
    { heading: "unmeasured_events", numeric: true, cell: (row) => String(row.unmeasuredEvents) },
    { heading: "input_tokens", numeric: true, cell: (row) => tokens(row.inputTokens) },
    { heading: "output_tokens", numeric: true, cell: (row) => tokens(row.outputTokens) },
    { heading: "cached_input_tokens", numeric: true, cell: (row) => tokens(row.cachedInputTokens) },
    { heading: "reasoning_tokens", numeric: true, cell: (row) => tokens(row.reasoningTokens) },
    { heading: "cost_usd", numeric: true, cell: (row) => row.costUsd ?? noPrice },
    { heading: "unpriced_events", numeric: true, cell: (row) => String(row.unpricedEvents) },
  ];
}
