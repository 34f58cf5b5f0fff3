import { type UsageEvent, validateUsageEvent } from "@usagepilot/core";
import { eventColumns, toCopyText, toEventRow } from "./event-rows";
import type { SqlSession } from "./sql-session";

// The write paths the issue asks to weigh against today's `writeEvents` (jsonb_to_recordset). Each keeps
// what `writeEvents` promises: ON CONFLICT (id, ts) DO NOTHING, and the hourly rollups fed only from
// what RETURNING says was inserted, in the same statement (so a retried batch never counts twice).

const columnList = eventColumns.join(", ");

const columnTypes = [
  "uuid",
  "timestamptz",
  "smallint",
  "jsonb",
  "text",
  "text",
  "text",
  "bigint",
  "bigint",
  "bigint",
  "bigint",
  "bigint",
  "jsonb",
  "jsonb",
  "numeric",
  "text",
  "text",
  "text",
  "boolean",
  "integer",
  "text",
] as const;

/**
 * The statement `writeEvents` runs, with its input (`SELECT <eventColumns> …`) swapped: insert with
 * ON CONFLICT DO NOTHING, then the event and unit rollups from RETURNING, copied from write-events.ts.
 */
export function idempotentInsertStatement(input: string): string {
  return `
    WITH input AS (${input}),
    inserted AS (
      INSERT INTO usagepilot.events (${columnList})
      SELECT ${columnList} FROM input
      ON CONFLICT (id, ts) DO NOTHING
      RETURNING ts, dimensions, provider, operation, model, status, input_tokens, output_tokens, cached_input_tokens,
        cache_write_input_tokens, reasoning_tokens, units, cost_usd
    ),
    rolled AS (
      INSERT INTO usagepilot.rollups_hourly AS r (hour, dimensions_hash, dimensions, provider, operation, model, status, events,
        unmeasured_events, input_tokens, output_tokens, cached_input_tokens, cache_write_input_tokens, reasoning_tokens, cost_usd, unpriced_events)
      SELECT date_trunc('hour', ts, 'UTC'), md5(dimensions::text), dimensions, provider, operation, model, status, count(*),
        count(*) FILTER (WHERE input_tokens IS NULL), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
        sum(cache_write_input_tokens), sum(reasoning_tokens), sum(cost_usd), count(*) FILTER (WHERE cost_usd IS NULL)
      FROM inserted
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 1, 2, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT rollups_hourly_key DO UPDATE SET
        events = r.events + excluded.events,
        unmeasured_events = r.unmeasured_events + excluded.unmeasured_events,
        input_tokens = coalesce(r.input_tokens + excluded.input_tokens, r.input_tokens, excluded.input_tokens),
        output_tokens = coalesce(r.output_tokens + excluded.output_tokens, r.output_tokens, excluded.output_tokens),
        cached_input_tokens = coalesce(r.cached_input_tokens + excluded.cached_input_tokens, r.cached_input_tokens, excluded.cached_input_tokens),
        cache_write_input_tokens = coalesce(r.cache_write_input_tokens + excluded.cache_write_input_tokens, r.cache_write_input_tokens, excluded.cache_write_input_tokens),
        reasoning_tokens = coalesce(r.reasoning_tokens + excluded.reasoning_tokens, r.reasoning_tokens, excluded.reasoning_tokens),
        cost_usd = coalesce(r.cost_usd + excluded.cost_usd, r.cost_usd, excluded.cost_usd),
        unpriced_events = r.unpriced_events + excluded.unpriced_events
      RETURNING 1
    ),
    unit_totals AS (
      INSERT INTO usagepilot.rollup_units_hourly AS u (hour, dimensions_hash, provider, operation, model, status, unit, quantity)
      SELECT date_trunc('hour', i.ts, 'UTC'), md5(i.dimensions::text), i.provider, i.operation, i.model, i.status, e.key, sum(e.value::numeric)
      FROM inserted i CROSS JOIN LATERAL jsonb_each_text(i.units) e
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT rollup_units_hourly_key DO UPDATE SET quantity = u.quantity + excluded.quantity
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM rolled) AS rolled, (SELECT count(*) FROM unit_totals) AS unit_rows`;
}

/** `PostgresStorage.write` refuses a batch with a broken event; the candidates check the same, for a fair clock. */
function validate(events: readonly UsageEvent[]): void {
  for (const event of events) {
    const violations = validateUsageEvent(event);
    if (violations.length > 0) throw new Error(`${event.id}: ${violations.join("; ")}`);
  }
}

const unnestStatement = idempotentInsertStatement(
  `SELECT * FROM unnest(${columnTypes.map((type, index) => `$${index + 1}::${type}[]`).join(", ")}) AS x(${columnList})`,
);

/**
 * Candidate A: one parameter per column, each an array (`unnest($1::uuid[], $2::timestamptz[], …)`), so
 * Postgres parses 21 typed arrays instead of one JSON document. Returns how many events were new.
 */
export async function writeWithUnnest(session: SqlSession, events: readonly UsageEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  validate(events);
  const columns: unknown[][] = eventColumns.map(() => new Array<unknown>(events.length));
  events.forEach((event, row) => {
    toEventRow(event).forEach((value, column) => {
      columns[column]![row] = value;
    });
  });
  const rows = await session.query<{ inserted: string | number }>(unnestStatement, columns);
  return Number(rows[0]?.inserted ?? 0);
}

/** The staging table of candidate B: temporary (no WAL), emptied at every commit. */
export const createStagingTable = `CREATE TEMP TABLE IF NOT EXISTS usagepilot_staging (LIKE usagepilot.events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;

const stagingStatement = idempotentInsertStatement(`SELECT ${columnList} FROM usagepilot_staging`);
// Diagnostic only: the same move without the rollups, to show what maintaining them costs.
const stagingWithoutRollups = `INSERT INTO usagepilot.events (${columnList}) SELECT ${columnList} FROM usagepilot_staging ON CONFLICT (id, ts) DO NOTHING`;

/**
 * Candidate B: in one transaction, COPY the batch into a temporary staging table, then move it with the
 * same idempotent INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING + rollups. Returns how many were new.
 * The staging table must exist on the session (`createStagingTable`). `rollups: false` (a diagnostic, not
 * a candidate) skips the rollups. Default true.
 */
export async function writeWithStagingCopy(session: SqlSession, events: readonly UsageEvent[], options: { rollups?: boolean } = {}): Promise<number> {
  if (events.length === 0) return 0;
  validate(events);
  return session.transaction(async (transaction) => {
    await transaction.copyFrom(`COPY usagepilot_staging (${columnList}) FROM STDIN`, [toCopyText(events)]);
    if (options.rollups === false) {
      await transaction.query(stagingWithoutRollups);
      return events.length;
    }
    const rows = await transaction.query<{ inserted: string | number }>(stagingStatement);
    return Number(rows[0]?.inserted ?? 0);
  });
}
