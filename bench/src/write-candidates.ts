import { type UsageEvent, validateUsageEvent } from "@usagepilot/core";
import { eventColumns as storageEventColumns, idempotentInsertStatement } from "@usagepilot/postgres";
import { eventColumns, toCopyText, toEventRow } from "./event-rows";
import type { SqlSession } from "./sql-session";

// The write paths the issue asks to weigh. `writeEvents` took candidate A (unnest) after this benchmark
// measured it fastest; A stays here on the raw driver as the reference without drizzle. Each keeps
// what `writeEvents` promises: ON CONFLICT (id, ts) DO NOTHING, and the hourly rollups fed only from
// what RETURNING says was inserted, in the same statement (so a retried batch never counts twice).

const columnList = eventColumns.join(", ");

const columnTypes = storageEventColumns.map((column) => column.type);


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
