import { PGlite } from "@electric-sql/pglite";
import type { UsageEvent } from "@usagepilot/core";
import { PostgresStorage } from "@usagepilot/postgres";
import pg from "pg";
import { checkpoint, createBenchDatabase, createMonthPartitions } from "./bench-databases";
import { createStorageEvents } from "./create-storage-events";
import { eventColumns, toCopyText, toEventRow } from "./event-rows";
import { nodePostgresSession, pgliteSession, type SqlSession } from "./sql-session";
import { createStagingTable, writeWithStagingCopy, writeWithUnnest } from "./write-candidates";

/** How much work the ingest benchmark does on one target. */
export interface IngestTargetSizes {
  /** Events for COPY, PostgresStorage and the candidates (the same events for each). */
  events: number;
  /** Events for one INSERT per event; its rate is extrapolated to `events`. */
  singleInsertEvents: number;
  /** Batch sizes of `PostgresStorage.write`; 1000 is PostgresStorage's preferred default. */
  storageBatchSizes: number[];
  /** Batch sizes of the candidate write paths. */
  candidateBatchSizes: number[];
  /** Batch size of the two diagnostic rows (COPY per batch; staging without rollups). Default 1000. */
  diagnosticBatchSize?: number;
}

/** Sizes per target. */
export interface IngestSizes {
  server: IngestTargetSizes;
  pglite: IngestTargetSizes;
}

/** Sizes for the recorded run. */
export const fullIngestSizes: IngestSizes = {
  server: { events: 100_000, singleInsertEvents: 5_000, storageBatchSizes: [100, 500, 1000, 5000], candidateBatchSizes: [100, 1000, 5000] },
  // PGlite runs single-threaded in this process and starts in seconds per variant: half the events keeps the run short.
  pglite: { events: 50_000, singleInsertEvents: 2_000, storageBatchSizes: [100, 500, 1000, 5000], candidateBatchSizes: [100, 1000, 5000] },
};

/** Sizes for a smoke run (`--quick`). */
export const quickIngestSizes: IngestSizes = {
  server: { events: 5_000, singleInsertEvents: 300, storageBatchSizes: [100, 1000], candidateBatchSizes: [100, 1000] },
  pglite: { events: 5_000, singleInsertEvents: 300, storageBatchSizes: [100, 1000], candidateBatchSizes: [100, 1000] },
};

/**
 * Which write path a row measured: the COPY baseline, PostgresStorage, the two candidates, one INSERT per
 * event, and two diagnostics that show where the time goes (COPY per batch; staging without rollups).
 */
export type IngestMethod = "copy" | "storage" | "unnest" | "staging" | "single" | "copy-batches" | "staging-no-rollups";

/** One measured write path. */
export interface IngestRow {
  method: IngestMethod;
  /** Events per write (per statement or transaction); null for one COPY of everything. */
  batchSize: number | null;
  /** Events written while timed. */
  events: number;
  seconds: number;
  /** Events per second. */
  rate: number;
}

/** Everything measured on one target. */
export interface IngestTargetResults {
  target: "PostgreSQL 15 server (node-postgres)" | "PGlite (in-process, memory://)";
  sizes: IngestTargetSizes;
  rows: IngestRow[];
  /** The two COPY baseline runs (first and last of the target), events/s. */
  copyRates: number[];
  /** Rollup rows the idempotent paths produced for the events (hour × dimensions × model × status). */
  rollupRows: number;
}

/** What the ingest benchmark found; `problems` lists checks that failed (wrong row counts or totals). */
export interface IngestResults {
  server: IngestTargetResults;
  pglite: IngestTargetResults;
  /** The span the events cover (their timestamps are evenly spread over it, in order). */
  spanMs: number;
  problems: string[];
}

interface OpenTarget {
  session: SqlSession;
  storage: PostgresStorage;
  close(): Promise<void>;
}

interface Target {
  name: IngestTargetResults["target"];
  /** A fresh, migrated database with the events' partitions, and a warm connection to it. */
  open(events: readonly UsageEvent[]): Promise<OpenTarget>;
}

const serverTarget: Target = {
  name: "PostgreSQL 15 server (node-postgres)",
  async open(events) {
    const database = await createBenchDatabase("ingest");
    const storage = new PostgresStorage({ connectionString: database.url });
    await storage.migrate();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const session = nodePostgresSession(client);
    await createMonthPartitions(session, events.map((event) => new Date(event.timestamp)));
    await checkpoint();
    return {
      session,
      storage,
      async close() {
        await storage.close();
        await client.end();
        await database.drop();
      },
    };
  },
};

const pgliteTarget: Target = {
  name: "PGlite (in-process, memory://)",
  async open(events) {
    const pglite = new PGlite("memory://");
    await pglite.waitReady;
    const storage = new PostgresStorage({ pglite });
    await storage.migrate();
    const session = pgliteSession(pglite);
    await createMonthPartitions(session, events.map((event) => new Date(event.timestamp)));
    return {
      session,
      storage,
      async close() {
        await storage.close();
        await pglite.close();
      },
    };
  },
};

const columnList = eventColumns.join(", ");
const singleInsert = `INSERT INTO usagepilot.events (${columnList}) VALUES (${eventColumns.map((_, index) => `$${index + 1}`).join(", ")})`;

/** Text chunks of ~1,000 rows, encoded while COPY streams, as a loader would. */
function* copyChunks(events: readonly UsageEvent[]): Generator<string> {
  for (let start = 0; start < events.length; start += 1000) yield toCopyText(events.slice(start, start + 1000));
}

async function inBatches(events: readonly UsageEvent[], batchSize: number, write: (batch: readonly UsageEvent[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < events.length; start += batchSize) await write(events.slice(start, start + batchSize));
}

/** The expected totals, to check each variant stored every event once (and rolled each up once). */
function expectedTotals(events: readonly UsageEvent[]) {
  let inputTokens = 0;
  for (const event of events) inputTokens += event.usage?.inputTokens ?? 0;
  return { events: events.length, inputTokens };
}

async function runTarget(target: Target, sizes: IngestTargetSizes, events: readonly UsageEvent[], log: (line: string) => void, problems: string[]): Promise<IngestTargetResults> {
  const rows: IngestRow[] = [];
  const copyRates: number[] = [];
  let rollupRows = 0;
  const expected = expectedTotals(events);

  const measure = async (method: IngestMethod, batchSize: number | null, run: (open: OpenTarget) => Promise<void>, options: { count?: number; rollups: boolean }) => {
    const open = await target.open(events);
    try {
      const count = options.count ?? events.length;
      const started = performance.now();
      await run(open);
      const seconds = (performance.now() - started) / 1000;
      const row: IngestRow = { method, batchSize, events: count, seconds, rate: count / seconds };
      log(`  ${target.name}: ${method}${batchSize === null ? "" : ` × ${batchSize}`}: ${count} events in ${seconds.toFixed(2)} s = ${Math.round(row.rate).toLocaleString("en-US")} events/s`);
      // Checks: every event stored once; where rollups are kept, each rolled up once.
      const [stored] = await open.session.query<{ events: string; input: string | null }>("SELECT count(*) AS events, sum(input_tokens) AS input FROM usagepilot.events");
      const want = count === events.length ? expected : expectedTotals(events.slice(0, count));
      if (Number(stored?.events) !== want.events || Number(stored?.input ?? 0) !== want.inputTokens) {
        problems.push(`${target.name} ${method} ${batchSize ?? ""}: stored ${stored?.events} events / ${stored?.input} input tokens, expected ${want.events} / ${want.inputTokens}`);
      }
      if (options.rollups) {
        const [rolled] = await open.session.query<{ rows: string; events: string | null; input: string | null }>(
          "SELECT count(*) AS rows, sum(events) AS events, sum(input_tokens) AS input FROM usagepilot.rollups_hourly",
        );
        rollupRows = Number(rolled?.rows);
        if (Number(rolled?.events ?? 0) !== want.events || Number(rolled?.input ?? 0) !== want.inputTokens) {
          problems.push(`${target.name} ${method} ${batchSize ?? ""}: rollups hold ${rolled?.events} events / ${rolled?.input} input tokens, expected ${want.events} / ${want.inputTokens}`);
        }
      }
      rows.push(row);
      return row;
    } finally {
      await open.close();
    }
  };

  const copyAll = async () => {
    const row = await measure("copy", null, (open) => open.session.copyFrom(`COPY usagepilot.events (${columnList}) FROM STDIN`, copyChunks(events)), { rollups: false });
    copyRates.push(row.rate);
  };

  await copyAll();
  for (const batchSize of sizes.storageBatchSizes) {
    await measure("storage", batchSize, (open) => inBatches(events, batchSize, (batch) => open.storage.write(batch)), { rollups: true });
  }
  for (const batchSize of sizes.candidateBatchSizes) {
    await measure("unnest", batchSize, (open) => inBatches(events, batchSize, (batch) => writeWithUnnest(open.session, batch)), { rollups: true });
  }
  for (const batchSize of sizes.candidateBatchSizes) {
    await measure(
      "staging",
      batchSize,
      async (open) => {
        await open.session.query(createStagingTable);
        await inBatches(events, batchSize, (batch) => writeWithStagingCopy(open.session, batch));
      },
      { rollups: true },
    );
  }
  const diagnosticBatchSize = sizes.diagnosticBatchSize ?? 1000;
  await measure(
    "copy-batches",
    diagnosticBatchSize,
    (open) => inBatches(events, diagnosticBatchSize, (batch) => open.session.copyFrom(`COPY usagepilot.events (${columnList}) FROM STDIN`, [toCopyText(batch)])),
    { rollups: false },
  );
  await measure(
    "staging-no-rollups",
    diagnosticBatchSize,
    async (open) => {
      await open.session.query(createStagingTable);
      await inBatches(events, diagnosticBatchSize, (batch) => writeWithStagingCopy(open.session, batch, { rollups: false }));
    },
    { rollups: false },
  );
  const singles = events.slice(0, sizes.singleInsertEvents);
  await measure(
    "single",
    1,
    async (open) => {
      for (const event of singles) await open.session.query(singleInsert, toEventRow(event));
    },
    { count: singles.length, rollups: false },
  );
  await copyAll();
  // The second baseline run replaces nothing: the table shows the mean of both.
  const copyRows = rows.filter((row) => row.method === "copy");
  const meanRate = copyRates.reduce((sum, rate) => sum + rate, 0) / copyRates.length;
  const merged: IngestRow = { method: "copy", batchSize: null, events: events.length, seconds: events.length / meanRate, rate: meanRate };
  return { target: target.name, sizes, rows: [merged, ...rows.filter((row) => !copyRows.includes(row))], copyRates, rollupRows };
}

/**
 * Ingest: the same events into the same `usagepilot.events` table (and rollups, for the idempotent paths)
 * through raw COPY, `PostgresStorage.write` in batches, two candidate write paths, and one INSERT per
 * event; each variant on a fresh, migrated database; on the server and on PGlite.
 */
export async function benchIngest(sizes: IngestSizes, log: (line: string) => void): Promise<IngestResults> {
  const spanMs = 3_600_000;
  const problems: string[] = [];
  // A busy hour: the events are spread evenly over 2026-10-14 10:00–11:00 UTC.
  const from = new Date("2026-10-14T10:00:00.000Z");
  const serverEvents = createStorageEvents({ count: sizes.server.events, from, spanMs });
  log(`ingest: ${serverEvents.length.toLocaleString("en-US")} events on the server`);
  const server = await runTarget(serverTarget, sizes.server, serverEvents, log, problems);
  const pgliteEvents = sizes.pglite.events === sizes.server.events ? serverEvents : createStorageEvents({ count: sizes.pglite.events, from, spanMs });
  log(`ingest: ${pgliteEvents.length.toLocaleString("en-US")} events on PGlite`);
  const pglite = await runTarget(pgliteTarget, sizes.pglite, pgliteEvents, log, problems);
  return { server, pglite, spanMs, problems };
}
