import { isDeepStrictEqual } from "node:util";
import type { UsageQuery, UsageQueryRow } from "@usagepilot/core";
import { PostgresStorage } from "@usagepilot/postgres";
import pg from "pg";
import { createBenchDatabase, createMonthPartitions } from "./bench-databases";
import { storageShape } from "./create-storage-events";
import { eventColumns } from "./event-rows";
import { nodePostgresSession } from "./sql-session";
import { median } from "./statistics";

/** How much work the query benchmark does. */
export interface QuerySizes {
  /** Events loaded into one month. */
  events: number;
  /** Timed runs per way of answering (after one untimed run each); the order alternates. */
  runs: number;
}

/** Sizes for the recorded run. */
export const fullQuerySizes: QuerySizes = { events: 5_000_000, runs: 7 };

/** Sizes for a smoke run (`--quick`). */
export const quickQuerySizes: QuerySizes = { events: 200_000, runs: 3 };

/** One way of answering the month query, timed. */
export interface QueryTiming {
  name: string;
  /** Milliseconds of each timed run. */
  runs: number[];
  median: number;
}

/** What the query benchmark found. */
export interface QueryResults {
  sizes: QuerySizes;
  month: string;
  organization: string;
  /** Seconds to load the events, to build the rollups, and to rebuild keys and indexes and VACUUM ANALYZE. */
  loadSeconds: { events: number; rollups: number; indexes: number };
  eventRows: number;
  rollupRows: number;
  /** Events of the queried organisation in the month, and the groups (users) the answer has. */
  organizationEvents: number;
  groups: number;
  rollups: QueryTiming;
  raw: QueryTiming;
  /** The same totals by hand-written SQL that filters with JSONB containment (`@>`, which the GIN indexes serve). */
  containment: { rollups: QueryTiming; raw: QueryTiming };
  problems: string[];
}

const month = new Date("2026-10-01T00:00:00.000Z");
const nextMonth = new Date("2026-11-01T00:00:00.000Z");
const organization = "org-17";
const columnList = eventColumns.join(", ");

/** A deterministic uniform draw in [0, 1) per event `i` and purpose `k`, from Postgres' integer hash. */
const r = (k: number) => `((hashint8(i * 64 + ${k})::bigint + 2147483648) / 4294967296.0::float8)`;

/**
 * Events `first`..`last` of `count`, spread evenly over the month (none at its first instant), generated in
 * SQL with the same shape and mix as `createStorageEvents`; `r(k)` is a deterministic uniform draw per event.
 */
function loadStatement(first: number, last: number, count: number): string {
  const step = (nextMonth.getTime() - month.getTime()) / count;
  const models = storageShape.models.map((model) => `'${model}'`);
  return `
    INSERT INTO usagepilot.events (${columnList})
    SELECT (lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(i & 4095), 3, '0') || '8' || lpad(to_hex(i), 15, '0'))::uuid,
      to_timestamp(ms / 1000.0), 1,
      jsonb_build_object('organization_id', 'org-' || o, 'user_id', 'user-' || o || '-' || u),
      'openai', 'chat', model,
      CASE WHEN failed THEN NULL ELSE input END, CASE WHEN failed THEN NULL ELSE output END,
      CASE WHEN failed THEN NULL ELSE cached END, CASE WHEN failed THEN NULL ELSE 0 END,
      CASE WHEN failed THEN NULL ELSE reasoning END,
      NULL, CASE WHEN web_search THEN '{"web_search": 1}'::jsonb ELSE '{}'::jsonb END,
      CASE WHEN failed OR unpriced THEN NULL ELSE round(((input - cached) * 1500 + cached * 750 + output * 6000) / 10000000000.0, 10) END,
      CASE WHEN failed OR unpriced THEN NULL ELSE 'genai-prices@0.1.8:openai/' || model END,
      'reported', CASE WHEN failed THEN 'error' ELSE 'ok' END, streamed, latency, 'req_' || to_hex(i)
    FROM (
      SELECT i, ms, o, u, failed, unpriced, web_search, streamed, input, output, model, latency,
        CASE WHEN cache_draw < 0.33 THEN floor(cache_draw * 3 * input)::bigint ELSE 0 END AS cached,
        CASE WHEN model = 'o3-mini' THEN floor(reasoning_draw * output)::bigint ELSE 0 END AS reasoning
      FROM (
        SELECT i, ${month.getTime()} + floor((i + 0.5) * ${step})::bigint AS ms,
          floor(${r(1)} * ${storageShape.organizations})::int AS o, floor(${r(2)} * ${storageShape.usersPerOrganization})::int AS u,
          (ARRAY[${models.join(", ")}])[CASE WHEN ${r(3)} < 0.4 THEN 1 WHEN ${r(3)} < 0.6 THEN 2 WHEN ${r(3)} < 0.8 THEN 3 WHEN ${r(3)} < 0.9 THEN 4 ELSE 5 END] AS model,
          ${r(4)} < 0.02 AS failed, ${r(5)} < 0.01 AS unpriced, ${r(6)} < 0.03 AS web_search, ${r(7)} < 0.5 AS streamed,
          50 + floor(${r(8)} * 4000)::bigint AS input, 5 + floor(${r(9)} * 900)::bigint AS output,
          ${r(10)} AS cache_draw, ${r(11)} AS reasoning_draw, 200 + floor(${r(12)} * 5000)::int AS latency
        FROM generate_series(${first}::bigint, ${last}::bigint) AS i
        OFFSET 0
      ) drawn
      OFFSET 0
    ) shaped`;
}


// The rollups the write path would have built, in one pass over a range of the events (same expressions as
// writeEvents); two ranges at once, one per core. Hours never straddle the split, so no group is split.
function buildRollups(from: Date, to: Date): string {
  return `
    INSERT INTO usagepilot.rollups_hourly (hour, dimensions_hash, dimensions, provider, operation, model, status, events,
      unmeasured_events, input_tokens, output_tokens, cached_input_tokens, cache_write_input_tokens, reasoning_tokens, cost_usd, unpriced_events)
    SELECT date_trunc('hour', ts, 'UTC'), md5(dimensions::text), dimensions, provider, operation, model, status, count(*),
      count(*) FILTER (WHERE input_tokens IS NULL), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens),
      sum(cache_write_input_tokens), sum(reasoning_tokens), sum(cost_usd), count(*) FILTER (WHERE cost_usd IS NULL)
    FROM usagepilot.events
    WHERE ts >= '${from.toISOString()}' AND ts < '${to.toISOString()}'
    GROUP BY 1, 2, 3, 4, 5, 6, 7`;
}

const buildUnitRollups = `
  INSERT INTO usagepilot.rollup_units_hourly (hour, dimensions_hash, provider, operation, model, status, unit, quantity)
  SELECT date_trunc('hour', i.ts, 'UTC'), md5(i.dimensions::text), i.provider, i.operation, i.model, i.status, e.key, sum(e.value::numeric)
  FROM usagepilot.events i CROSS JOIN LATERAL jsonb_each_text(i.units) e
  GROUP BY 1, 2, 3, 4, 5, 6, 7`;

const loadedTables = "('events', 'rollups_hourly', 'rollup_units_hourly')";

/** The keys and indexes of the three tables as Postgres prints them: dropped for the bulk load, restored after. */
async function readIndexes(client: pg.Client): Promise<{ table: string; name: string; create: string; drop: string }[]> {
  const { rows } = await client.query<{ table: string; name: string; definition: string; constraint: boolean }>(`
    SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition, true AS constraint
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE t.relnamespace = 'usagepilot'::regnamespace AND t.relname IN ${loadedTables} AND c.contype IN ('p', 'u')
    UNION ALL
    SELECT t.relname, x.relname, pg_get_indexdef(i.indexrelid), false
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
    WHERE t.relnamespace = 'usagepilot'::regnamespace AND t.relname IN ${loadedTables}
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1, 2`);
  return rows.map((row) => ({
    table: row.table,
    name: row.name,
    // "ON ONLY" (a partitioned parent's own index) would skip the partitions; the migration builds them all.
    create: row.constraint ? `ALTER TABLE usagepilot.${row.table} ADD CONSTRAINT ${row.name} ${row.definition}` : row.definition.replace(" ON ONLY ", " ON "),
    drop: row.constraint ? `ALTER TABLE usagepilot.${row.table} DROP CONSTRAINT ${row.name}` : `DROP INDEX usagepilot.${row.name}`,
  }));
}

/** The totals of the month query by hand, filtering with `@>` so the GIN (jsonb_path_ops) index can serve it. */
function containmentQuery(source: "rollups" | "raw"): string {
  const filter = `dimensions @> '{"organization_id": "${organization}"}'`;
  return source === "rollups"
    ? `SELECT dimensions ->> 'user_id' AS user_id, sum(events) AS events, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd)::text AS cost_usd
       FROM usagepilot.rollups_hourly WHERE hour >= '${month.toISOString()}' AND hour < '${nextMonth.toISOString()}' AND ${filter} GROUP BY 1`
    : `SELECT dimensions ->> 'user_id' AS user_id, count(*) AS events, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd)::text AS cost_usd
       FROM usagepilot.events WHERE ts >= '${month.toISOString()}' AND ts < '${nextMonth.toISOString()}' AND ${filter} GROUP BY 1`;
}

async function timeRuns(runs: number, sides: { name: string; run: () => Promise<unknown> }[]): Promise<QueryTiming[]> {
  for (const side of sides) await side.run();
  const timings = sides.map((side) => ({ name: side.name, runs: [] as number[] }));
  for (let round = 0; round < runs; round += 1) {
    // Alternate which side goes first, so cache warmth and drift fall on both alike.
    const order = round % 2 === 0 ? sides.map((_, index) => index) : sides.map((_, index) => sides.length - 1 - index);
    for (const index of order) {
      const started = performance.now();
      await sides[index]!.run();
      timings[index]!.runs.push(performance.now() - started);
    }
  }
  return timings.map((timing) => ({ ...timing, median: median(timing.runs) }));
}

/**
 * Query: one organisation's month grouped by user, over `sizes.events` events (200 organisations × 50 users,
 * 5 models, one month), answered by `PostgresStorage.query` from the hourly rollups (whole hours) and from
 * the raw events (`from` 1 ms later; no event sits in that millisecond, so both answers must be equal).
 */
export async function benchQuery(sizes: QuerySizes, log: (line: string) => void): Promise<QueryResults> {
  const problems: string[] = [];
  const database = await createBenchDatabase("query");
  const storage = new PostgresStorage({ connectionString: database.url });
  try {
    await storage.migrate();
    // Two loaders at once, one per core, each on its own connection with room to sort and hash.
    const loaders = await Promise.all(
      [0, 1].map(async () => {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        await client.query("SET work_mem = '512MB'; SET maintenance_work_mem = '1GB'");
        return client;
      }),
    );
    const [first, second] = loaders as [pg.Client, pg.Client];
    try {
      // Bulk load into bare tables, then rebuild the migration's keys and indexes: the same tables in the
      // end (checked below), in a fraction of the time row-by-row index upkeep takes.
      const indexes = await readIndexes(first);
      for (const index of indexes) await first.query(index.drop);
      await createMonthPartitions(nodePostgresSession(first), [month]);
      log(`query: loading ${sizes.events.toLocaleString("en-US")} events into ${month.toISOString().slice(0, 7)}`);
      let started = performance.now();
      // Chunks of 250k rows keep each statement's memory in bounds; each loader takes every other chunk.
      const chunks: [number, number][] = [];
      for (let start = 0; start < sizes.events; start += 250_000) chunks.push([start, Math.min(start + 250_000, sizes.events) - 1]);
      await Promise.all(
        loaders.map(async (client, loader) => {
          for (const [start, end] of chunks.filter((_, index) => index % 2 === loader)) await client.query(loadStatement(start, end, sizes.events));
        }),
      );
      const eventsSeconds = (performance.now() - started) / 1000;
      log(`  events loaded in ${eventsSeconds.toFixed(1)} s`);
      started = performance.now();
      const middle = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 16));
      await Promise.all([first.query(buildRollups(month, middle)), second.query(buildRollups(middle, nextMonth)).then(() => second.query(buildUnitRollups))]);
      const rollupsSeconds = (performance.now() - started) / 1000;
      log(`  rollups built in ${rollupsSeconds.toFixed(1)} s`);
      started = performance.now();
      await Promise.all(
        [indexes.filter((index) => index.table === "events"), indexes.filter((index) => index.table !== "events")].map(async (group, loader) => {
          for (const index of group) await loaders[loader]!.query(index.create);
        }),
      );
      const restored = await readIndexes(first);
      if (!isDeepStrictEqual(restored, indexes)) problems.push("the keys and indexes after the load differ from the migration's");
      await Promise.all([
        first.query("VACUUM (ANALYZE) usagepilot.events"),
        second.query("VACUUM (ANALYZE) usagepilot.rollups_hourly").then(() => second.query("VACUUM (ANALYZE) usagepilot.rollup_units_hourly")),
      ]);
      const indexSeconds = (performance.now() - started) / 1000;
      log(`  keys and indexes rebuilt, VACUUM ANALYZE, in ${indexSeconds.toFixed(1)} s`);

      const [counts] = (
        await first.query<{ events: string; rollups: string; organization: string }>(
          `SELECT (SELECT count(*) FROM usagepilot.events) AS events, (SELECT count(*) FROM usagepilot.rollups_hourly) AS rollups,
             (SELECT count(*) FROM usagepilot.events WHERE dimensions @> '{"organization_id": "${organization}"}') AS organization`,
        )
      ).rows;

      const rollupQuery: UsageQuery = { from: month, to: nextMonth, where: { organization_id: organization }, groupBy: ["user_id"] };
      const rawQuery: UsageQuery = { ...rollupQuery, from: new Date(month.getTime() + 1) };
      const answers: { rollups?: UsageQueryRow[]; raw?: UsageQueryRow[] } = {};
      log(`  timing ${sizes.runs} runs of each query`);
      const [rollups, raw] = await timeRuns(sizes.runs, [
        { name: "rollups", run: async () => (answers.rollups = await storage.query(rollupQuery)) },
        { name: "raw", run: async () => (answers.raw = await storage.query(rawQuery)) },
      ]);
      const [containmentRollups, containmentRaw] = await timeRuns(sizes.runs, [
        { name: "rollups, @>", run: () => first.query(containmentQuery("rollups")) },
        { name: "raw, @>", run: () => first.query(containmentQuery("raw")) },
      ]);
      if (!isDeepStrictEqual(answers.rollups, answers.raw)) problems.push("the rollup and raw answers differ");
      const answerEvents = (answers.rollups ?? []).reduce((sum, row) => sum + row.events, 0);
      if (answerEvents !== Number(counts?.organization)) problems.push(`the answer counts ${answerEvents} events, the table ${counts?.organization}`);
      if (Number(counts?.events) !== sizes.events) problems.push(`loaded ${counts?.events} events, expected ${sizes.events}`);
      log(`  rollups ${rollups!.median.toFixed(1)} ms, raw ${raw!.median.toFixed(1)} ms (median)`);
      return {
        sizes,
        month: month.toISOString().slice(0, 7),
        organization,
        loadSeconds: { events: eventsSeconds, rollups: rollupsSeconds, indexes: indexSeconds },
        eventRows: Number(counts?.events),
        rollupRows: Number(counts?.rollups),
        organizationEvents: Number(counts?.organization),
        groups: answers.rollups?.length ?? 0,
        rollups: rollups!,
        raw: raw!,
        containment: { rollups: containmentRollups!, raw: containmentRaw! },
        problems,
      };
    } finally {
      for (const client of loaders) await client.end();
    }
  } finally {
    await storage.close();
    await database.drop();
  }
}
