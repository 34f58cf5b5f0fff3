import type { QueryGranularity } from "@usagepilot/core";
import type { CliCommand } from "../cli-command";
import { formatReportCsv } from "../format/format-report-csv";
import { formatReportTable } from "../format/format-report-table";
import { reportColumns } from "../format/report-columns";
import { databaseOptions, databaseUsage, openStorage } from "../open-storage";
import { parseCommandArgs } from "../parse-command-args";

const formats = ["table", "csv", "json"] as const;
const granularities: readonly QueryGranularity[] = ["total", "hour", "day", "month"];

/** A date (midnight UTC) or a full ISO-8601 time; undefined when it is neither. */
function parseTime(text: string): Date | undefined {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** `usagepilot report`: per-tenant usage and cost for a period, as a table, CSV or JSON. */
export const reportCommand: CliCommand = {
  name: "report",
  summary: "per-tenant usage and cost for a period (table, CSV or JSON)",
  usage: `usagepilot report --from <date> --to <date> [options]

  --from <date>          start, inclusive (YYYY-MM-DD is midnight UTC, or a full ISO time)
  --to <date>            end, exclusive
  --group-by <keys>      comma-separated dimension keys or provider, model, operation, status
                         (default: organization_id)
  --granularity <g>      total (default), hour, day or month
  --format <f>           table (default), csv or json
${databaseUsage}

Tokens nobody measured read "not measured" and unknown costs "no price": never 0.`,
  async run(args, context) {
    const parsed = parseCommandArgs(args, {
      ...databaseOptions,
      from: { type: "string" },
      to: { type: "string" },
      "group-by": { type: "string" },
      granularity: { type: "string" },
      format: { type: "string" },
    });
    const fail = (message: string) => {
      context.stderr(`${message}\n\n${this.usage}\n`);
      return 2;
    };
    if (!parsed.ok) return fail(parsed.error);
    const { values } = parsed;
    if (!values.from || !values.to) return fail("report needs --from and --to");
    const from = parseTime(values.from);
    const to = parseTime(values.to);
    if (!from || !to) return fail("--from and --to must be dates (YYYY-MM-DD) or ISO-8601 times");
    if (from.getTime() >= to.getTime()) return fail("--from must be before --to");
    const format = (values.format ?? "table") as (typeof formats)[number];
    if (!formats.includes(format)) return fail(`--format must be one of ${formats.join(", ")}`);
    const granularity = (values.granularity ?? "total") as QueryGranularity;
    if (!granularities.includes(granularity)) return fail(`--granularity must be one of ${granularities.join(", ")}`);
    const groupBy = (values["group-by"] ?? "organization_id").split(",").map((key) => key.trim()).filter((key) => key !== "");

    const { storage } = openStorage(values, context);
    try {
      const rows = await storage.query({ from, to, groupBy, granularity });
      if (format === "json") {
        context.stdout(`${JSON.stringify({ from: from.toISOString(), to: to.toISOString(), granularity, groupBy, rows }, null, 2)}\n`);
      } else {
        const columns = reportColumns(groupBy, granularity !== "total");
        context.stdout(format === "csv" ? formatReportCsv(rows, columns) : formatReportTable(rows, columns));
      }
      return 0;
    } finally {
      await storage.close();
    }
  },
};
