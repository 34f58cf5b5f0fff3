import { sql } from "drizzle-orm";
import type { PostgresDriver } from "./driver/postgres-driver";

/** The first instant (UTC) of the month holding `time`. */
export function monthStart(time: Date): Date {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), 1));
}

function nextMonth(start: Date): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The partition name for a month, e.g. events_2026_11. */
export function partitionName(start: Date): string {
  return `events_${start.getUTCFullYear()}_${String(start.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * Creates the monthly partitions that `times` fall in, once per process and month. An advisory
 * transaction lock makes concurrent creators (other instances) wait instead of failing.
 */
export function createPartitionKeeper(driver: PostgresDriver) {
  const known = new Set<number>();
  return {
    async ensure(times: Iterable<Date>): Promise<void> {
      const missing = new Map<number, Date>();
      for (const time of times) {
        const start = monthStart(time);
        if (!known.has(start.getTime())) missing.set(start.getTime(), start);
      }
      if (missing.size === 0) return;
      await driver.transaction(async (execute) => {
        await execute(sql`SELECT pg_advisory_xact_lock(hashtext('usagepilot.events partitions'))`);
        for (const start of missing.values()) {
          // Identifiers cannot be parameters; the name is built from two integers only.
          await execute(
            sql.raw(
              `CREATE TABLE IF NOT EXISTS usagepilot.${partitionName(start)} PARTITION OF usagepilot.events FOR VALUES FROM ('${start.toISOString()}') TO ('${nextMonth(start).toISOString()}')`,
            ),
          );
        }
      });
      for (const key of missing.keys()) known.add(key);
    },
    /** Forgets what was created, e.g. after partitions were dropped. */
    forget(): void {
      known.clear();
    },
  };
}

/**
 * Drops every monthly partition that ends on or before `before` (retention): whole months only, so it
 * is one catalog operation per month instead of a DELETE, with the rollups of the same hours. Returns the
 * dropped partitions' names.
 */
export async function dropPartitionsBefore(driver: PostgresDriver, before: Date): Promise<string[]> {
  const rows = await driver.execute<{ name: string; upper: string }>(sql`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS upper
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace n ON n.oid = p.relnamespace
    WHERE n.nspname = 'usagepilot' AND p.relname = 'events'`);
  const expired = rows.flatMap((row) => {
    const match = /^events_(\d{4})_(\d{2})$/.exec(row.name);
    if (!match) return [];
    const end = nextMonth(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
    return end.getTime() <= before.getTime() ? [{ name: row.name, end }] : [];
  });
  if (expired.length === 0) return [];
  const until = new Date(Math.max(...expired.map((partition) => partition.end.getTime())));
  // The rollups of those months go in the same transaction, so no query path still counts them.
  await driver.transaction(async (execute) => {
    for (const partition of expired) await execute(sql.raw(`DROP TABLE IF EXISTS usagepilot.${partition.name}`));
    await execute(sql`DELETE FROM usagepilot.rollups_hourly WHERE hour < ${until.toISOString()}::timestamptz`);
    await execute(sql`DELETE FROM usagepilot.rollup_units_hourly WHERE hour < ${until.toISOString()}::timestamptz`);
  });
  return expired.map((partition) => partition.name).sort();
}
