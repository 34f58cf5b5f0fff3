import type { UsageQueryRow } from "@usagepilot/core";
import type { ReportColumn } from "./report-columns";

/** Rows as an aligned plain-text table for a terminal, with the exact cost strings as stored. */
export function formatReportTable(rows: readonly UsageQueryRow[], columns: readonly ReportColumn[]): string {
  const cells = [columns.map((column) => column.heading), ...rows.map((row) => columns.map((column) => column.cell(row)))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]!.length)));
  const lines = cells.map((line) => line.map((text, index) => (columns[index]!.numeric ? text.padStart(widths[index]!) : text.padEnd(widths[index]!))).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  if (rows.length === 0) lines.push("(no usage in this period)");
  return `${lines.join("\n")}\n`;
}
