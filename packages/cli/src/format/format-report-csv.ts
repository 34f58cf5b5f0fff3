import type { UsageQueryRow } from "@usagepilot/core";
import type { ReportColumn } from "./report-columns";

/** A CSV cell: quoted when needed, and text a spreadsheet would run as a formula defused (CSV injection). */
function csvCell(text: string, numeric: boolean): string {
  const safe = !numeric && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows as RFC 4180 CSV (CRLF line ends), the same columns as the table. */
export function formatReportCsv(rows: readonly UsageQueryRow[], columns: readonly ReportColumn[]): string {
  const lines = [columns.map((column) => csvCell(column.heading, false)).join(","), ...rows.map((row) => columns.map((column) => csvCell(column.cell(row), column.numeric)).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
