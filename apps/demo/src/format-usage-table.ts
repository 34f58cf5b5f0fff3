import type { UsageQueryRow } from "usagepilot";

const columns = ["organization", "user", "calls", "input", "cached", "output", "reasoning", "cost (USD)"] as const;

function count(value: number | null): string {
  return value === null ? "not measured" : value.toLocaleString("en-US");
}

/** Renders per-tenant rows as a fixed-width table; unknown numbers read "not measured" / "no price", never 0. */
export function formatUsageTable(rows: readonly UsageQueryRow[]): string {
  const body = rows.map((row) => [
    row.group.organization_id ?? "-",
    row.group.user_id ?? "-",
    String(row.events),
    count(row.inputTokens),
    count(row.cachedInputTokens),
    count(row.outputTokens),
    count(row.reasoningTokens),
    row.costUsd === null ? "no price" : `$${row.costUsd}${row.unpricedEvents > 0 ? ` (+${row.unpricedEvents} unpriced)` : ""}`,
  ]);
  const table = [[...columns], ...body];
  const widths = columns.map((_, index) => Math.max(...table.map((line) => line[index]!.length)));
  const render = (line: readonly string[]) => line.map((cell, index) => (index < 2 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join("  ");
  return [render(table[0]!), widths.map((width) => "-".repeat(width)).join("  "), ...body.map(render)].join("\n");
}
