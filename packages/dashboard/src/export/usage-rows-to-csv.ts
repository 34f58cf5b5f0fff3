import type { UsageQueryRow } from "@usagepilot/core";

const tokenColumns = [
  ["input_tokens", "inputTokens"],
  ["output_tokens", "outputTokens"],
  ["cached_input_tokens", "cachedInputTokens"],
  ["cache_write_input_tokens", "cacheWriteInputTokens"],
  ["reasoning_tokens", "reasoningTokens"],
] as const;

/** Quotes a cell when it must be, and defuses text a spreadsheet would run as a formula (CSV injection). */
function cell(value: string, isText: boolean): string {
  const safe = isText && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The rows of a usage answer as CSV (RFC 4180, CRLF line ends): period, the group keys, event counts,
 * token sums, cost and one `units.<name>` column per unit seen. A count nobody measured reads "not
 * measured" and an unknown cost "no price", never 0. Costs are the exact decimal strings.
 */
export function usageRowsToCsv(rows: readonly UsageQueryRow[], groupBy: readonly string[]): string {
  const units = [...new Set(rows.flatMap((row) => Object.keys(row.units)))].sort();
  const header = ["period", ...groupBy, "events", "unmeasured_events", ...tokenColumns.map(([name]) => name), "cost_usd", "unpriced_events", ...units.map((unit) => `units.${unit}`)];
  const lines = [header.map((name) => cell(name, true)).join(",")];
  for (const row of rows) {
    const values = [
      cell(row.period ?? "total", false),
      ...groupBy.map((key) => cell(row.group[key] ?? "", true)),
      String(row.events),
      String(row.unmeasuredEvents),
      ...tokenColumns.map(([, field]) => (row[field] === null ? "not measured" : String(row[field]))),
      row.costUsd ?? "no price",
      String(row.unpricedEvents),
      ...units.map((unit) => String(row.units[unit] ?? 0)),
    ];
    lines.push(values.join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
