import { monthStart, partitionName } from "@usagepilot/postgres";
import pg from "pg";
import type { SqlSession } from "./sql-session";

/**
 * The PostgreSQL server the storage benchmarks use: `USAGEPILOT_BENCH_POSTGRES_URL`, else the test server
 * (`USAGEPILOT_TEST_POSTGRES_URL`), else the local one `scripts/setup.sh` starts.
 */
export const benchServerUrl =
  process.env.USAGEPILOT_BENCH_POSTGRES_URL ?? process.env.USAGEPILOT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A database the benchmark created; `drop()` removes it, closing stray sessions. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const created = new Set<BenchDatabase>();

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: benchServerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh, empty database on the bench server, named after `label` and this process. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `usagepilot_bench_${label}_${process.pid}`;
  await onServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(benchServerUrl);
  url.pathname = `/${name}`;
  const database: BenchDatabase = {
    name,
    url: url.toString(),
    async drop() {
      created.delete(database);
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
  created.add(database);
  return database;
}

/** Drops every database this process created and has not dropped yet (for `finally` blocks). */
export async function dropBenchDatabases(): Promise<void> {
  for (const database of [...created]) await database.drop().catch(() => {});
}

/** Flushes dirty buffers now, so a checkpoint started by the previous variant does not land in the next one. */
export async function checkpoint(): Promise<void> {
  await onServer((client) => client.query("CHECKPOINT"));
}

/**
 * Creates the monthly partitions of `usagepilot.events` that `times` fall in, with the statement
 * `PostgresStorage` uses, so every variant starts from the same tables.
 */
export async function createMonthPartitions(session: SqlSession, times: Iterable<Date>): Promise<void> {
  const months = new Map<number, Date>();
  for (const time of times) months.set(monthStart(time).getTime(), monthStart(time));
  for (const start of months.values()) {
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    await session.query(
      `CREATE TABLE IF NOT EXISTS usagepilot.${partitionName(start)} PARTITION OF usagepilot.events FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
    );
  }
}
