import { compareQueryRows, formatDecimal, parseDecimal, type UsageQuery, type UsageQueryRow } from "@usagepilot/core";
import { type SQL, sql } from "drizzle-orm";
import type { PostgresDriver } from "./driver/postgres-driver";

const eventColumns = new Set(["provider", "model", "operation", "status"]);
const hour = 3_600_000;

/**
 * A dimension key or event field as a SQL expression on `table` (an alias); dimension keys are
 * parameters, never spliced, and event fields come from a fixed list.
 */
function field(key: string, table: string): SQL {
  return eventColumns.has(key) ? sql.raw(`${table}.${key}`) : sql`(${sql.raw(table)}.dimensions ->> ${key})`;
}

function groupArray(groupBy: readonly string[], table: string): SQL {
  return groupBy.length === 0 ? sql`NULL::text[]` : sql`ARRAY[${sql.join(groupBy.map((key) => field(key, table)), sql`, `)}]::text[]`;
}

function filters(query: UsageQuery, table: string, time: SQL, from: Date, to: Date): SQL {
  const conditions: SQL[] = [sql`${time} >= ${from.toISOString()}::timestamptz`, sql`${time} < ${to.toISOString()}::timestamptz`];
  for (const [key, expected] of Object.entries(query.where ?? {})) {
    const values: readonly string[] = typeof expected === "string" ? [expected] : expected;
    if (values.length === 0) {
      conditions.push(sql`false`);
    } else if (eventColumns.has(key)) {
      conditions.push(sql`${field(key, table)} = ANY(${sql`ARRAY[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`})`);
    } else {
      // Containment (@>) is what the GIN index on dimensions answers; ->> comparisons would scan.
      const containments = values.map((value) => sql`${sql.raw(table)}.dimensions @> ${JSON.stringify({ [key]: value })}::jsonb`);
      conditions.push(sql`(${sql.join(containments, sql` OR `)})`);
    }
  }
  return sql.join(conditions, sql` AND `);
}

function period(query: UsageQuery, time: SQL): SQL {
  const granularity = query.granularity ?? "total";
  if (granularity === "total") return sql`NULL::float8`;
  return sql`extract(epoch FROM date_trunc(${granularity}, ${time}, 'UTC')) * 1000`;
}

interface TotalsRow {
  period: number | string | null;
  groups: (string | null)[] | null;
  events: number | string;
  unmeasured: number | string;
  input_tokens: number | string | null;
  output_tokens: number | string | null;
  cached_input_tokens: number | string | null;
  cache_write_input_tokens: number | string | null;
  reasoning_tokens: number | string | null;
  cost_usd: string | null;
  unpriced: number | string;
}

interface UnitsRow {
  period: number | string | null;
  groups: (string | null)[] | null;
  unit: string;
  quantity: string;
}

const count = (value: number | string | null): number | null => (value === null ? null : Number(value));

/**
 * Answers `usage.query()`: from the hourly rollups when the range falls on whole hours (any grouping or
 * filter on dimensions, provider, model, operation or status), else from the raw events. Exact sums; a
 * count is null where no event of the group was measured.
 */
export async function queryUsage(driver: Pick<PostgresDriver, "execute">, query: UsageQuery): Promise<UsageQueryRow[]> {
  const from = new Date(query.from);
  const to = new Date(query.to);
  const groupBy = query.groupBy ?? [];
  const fromRollups = from.getTime() % hour === 0 && to.getTime() % hour === 0;
  const source = fromRollups ? sql.raw("usagepilot.rollups_hourly r") : sql.raw("usagepilot.events r");
  const time = sql.raw(fromRollups ? "r.hour" : "r.ts");
  const groups = groupArray(groupBy, "r");
  const where = filters(query, "r", time, from, to);
  const totals = fromRollups
    ? sql`sum(events) AS events, sum(unmeasured_events) AS unmeasured, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_input_tokens) AS cache_write_input_tokens,
        sum(reasoning_tokens) AS reasoning_tokens, sum(cost_usd)::text AS cost_usd, sum(unpriced_events) AS unpriced`
    : sql`count(*) AS events, count(*) FILTER (WHERE input_tokens IS NULL) AS unmeasured, sum(input_tokens) AS input_tokens,
        sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens,
        sum(cache_write_input_tokens) AS cache_write_input_tokens, sum(reasoning_tokens) AS reasoning_tokens,
        sum(cost_usd)::text AS cost_usd, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced`;
  const totalRows = await driver.execute<TotalsRow>(sql`
    SELECT ${period(query, time)} AS period, ${groups} AS groups, ${totals}
    FROM ${source} WHERE ${where} GROUP BY 1, 2`);

  // Units: the unit rollup carries no dimensions, so it is joined to the rollup row it belongs to.
  const unitRows = fromRollups
    ? await driver.execute<UnitsRow>(sql`
        SELECT ${period(query, time)} AS period, ${groups} AS groups,
          u.unit, sum(u.quantity)::text AS quantity
        FROM usagepilot.rollup_units_hourly u
        JOIN usagepilot.rollups_hourly r ON r.hour = u.hour AND r.dimensions_hash = u.dimensions_hash AND r.provider = u.provider
          AND r.operation = u.operation AND r.model IS NOT DISTINCT FROM u.model AND r.status = u.status
        WHERE ${where}
        GROUP BY 1, 2, 3`)
    : await driver.execute<UnitsRow>(sql`
        SELECT ${period(query, time)} AS period, ${groups} AS groups, e.key AS unit, sum(e.value::numeric)::text AS quantity
        FROM usagepilot.events r CROSS JOIN LATERAL jsonb_each_text(r.units) e
        WHERE ${where} GROUP BY 1, 2, 3`);

  const keyOf = (row: { period: number | string | null; groups: (string | null)[] | null }) => JSON.stringify([row.period === null ? null : Number(row.period), row.groups ?? []]);
  const units = new Map<string, Record<string, number>>();
  for (const row of unitRows) {
    const key = keyOf(row);
    const entry = units.get(key) ?? {};
    entry[row.unit] = Number(row.quantity);
    units.set(key, entry);
  }
  const rows: UsageQueryRow[] = totalRows.map((row) => ({
    period: row.period === null ? null : new Date(Number(row.period)).toISOString(),
    group: Object.fromEntries(groupBy.map((key, index) => [key, row.groups?.[index] ?? null])),
    events: Number(row.events),
    unmeasuredEvents: Number(row.unmeasured),
    inputTokens: count(row.input_tokens),
    outputTokens: count(row.output_tokens),
    cachedInputTokens: count(row.cached_input_tokens),
    cacheWriteInputTokens: count(row.cache_write_input_tokens),
    reasoningTokens: count(row.reasoning_tokens),
    units: units.get(keyOf(row)) ?? {},
    costUsd: row.cost_usd === null ? null : formatDecimal(parseDecimal(row.cost_usd)),
    unpricedEvents: Number(row.unpriced),
  }));
  return rows.sort(compareQueryRows);
}
