import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { aggregateEvents, BatchWriter, type UsageEvent } from "@usagepilot/core";
import { conformanceEvents, conformanceQueries } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { useTempFolder, useTestDatabase } from "./use-test-database";
import { expectedTotals, storedTotals, withClient } from "./stored-totals";

// Several writers at once — instances in one process, and separate processes — on the same database,
// writing the same and different events in different orders; and several instances migrating at once.

const database = useTestDatabase("no-schema");
const temporary = useTempFolder("usagepilot-concurrency-");

/** Stored exactly once, and every conformance query (rollups and raw events) equals the reference. */
async function expectExactlyOnce(events: readonly UsageEvent[]): Promise<void> {
  expect(await storedTotals(database.url)).toEqual(expectedTotals(events));
  const storage = new PostgresStorage({ connectionString: database.url });
  try {
    for (const query of conformanceQueries()) expect(await storage.query(query)).toEqual(aggregateEvents(events, query));
  } finally {
    await storage.close();
  }
}

const reversed = <T>(items: readonly T[]) => [...items].reverse();
const interleaved = <T>(items: readonly T[]) => [...items.filter((_, index) => index % 2 === 1), ...items.filter((_, index) => index % 2 === 0)];

const runChild = promisify(execFile);

describe("PostgresStorage — concurrent writers (real server)", () => {
  it("several PostgresStorage instances write the same and different events at once: each stored once, rollups exact", async () => {
    const events = conformanceEvents(1200, 5);
    const slices = [events.slice(0, 700), reversed(events.slice(400, 1200)), interleaved(events), reversed(events.slice(200, 900))];
    const storages = slices.map(() => new PostgresStorage({ connectionString: database.url }));
    const errors: unknown[] = [];
    const writers = storages.map((storage) => new BatchWriter({ storage, batchSize: 60, flushInterval: 5, retryBaseDelayMs: 10, retryMaxDelayMs: 200, onError: (error) => errors.push(error) }));
    slices.forEach((slice, index) => {
      for (const event of slice) writers[index]!.add(event);
    });
    await Promise.all(writers.map((writer) => writer.flush()));
    await Promise.all(storages.map((storage) => storage.close()));

    expect(writers.map((writer) => writer.stats.written)).toEqual(slices.map((slice) => slice.length));
    expect(writers.every((writer) => writer.stats.rejected === 0)).toBe(true);
    await expectExactlyOnce(events);
  }, 60_000);

  it("three processes (the built package) write overlapping slices at once: each event stored once, rollups exact", async () => {
    const seed = 19;
    const events = conformanceEvents(1500, seed);
    const ids = events.map((event) => event.id);
    const startAt = Date.now() + 2500;
    const jobs = [
      { start: 0, end: 1000, order: "forward", batchSize: 50 },
      { start: 500, end: 1500, order: "reverse", batchSize: 70 },
      { start: 0, end: 1500, order: "shuffled", batchSize: 40 },
    ];
    const script = fileURLToPath(new URL("./concurrent-writer.mjs", import.meta.url));
    const results = await Promise.all(
      jobs.map(async (job, index) => {
        const file = join(temporary.path, `job-${index}.json`);
        writeFileSync(file, JSON.stringify({ url: database.url, seed, ids, startAt, ...job }));
        const { stdout } = await runChild(process.execPath, [script, file], { timeout: 50_000 });
        return JSON.parse(stdout) as { written: number; rejected: number; pending: number; failedWrites: number; errors: string[] };
      }),
    );
    expect(results.map((result) => [result.written, result.rejected, result.pending])).toEqual(jobs.map((job) => [job.end - job.start, 0, 0]));
    // The children rebuilt exactly the events the test holds.
    expect(JSON.parse(readFileSync(join(temporary.path, "job-0.json"), "utf8")).ids).toEqual(ids);
    await expectExactlyOnce(events);
  }, 60_000);

  it("several instances calling migrate() at once on a fresh database all succeed and leave one set of tables", async () => {
    const storages = Array.from({ length: 6 }, () => new PostgresStorage({ connectionString: database.url, migrate: false }));
    const outcomes = await Promise.allSettled(storages.map((storage) => storage.migrate()));
    await Promise.all(storages.map((storage) => storage.close()));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(storages.map(() => "fulfilled"));

    const tables = await withClient(database.url, (client) =>
      client.query<{ relname: string }>("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'usagepilot' AND c.relkind IN ('r', 'p') ORDER BY 1"),
    );
    expect(tables.rows.map((row) => row.relname)).toEqual(["__migrations", "events", "rollup_units_hourly", "rollups_hourly"]);
    const journal = JSON.parse(readFileSync(fileURLToPath(new URL("../drizzle/meta/_journal.json", import.meta.url)), "utf8")) as { entries: unknown[] };
    const applied = await withClient(database.url, (client) => client.query("SELECT hash FROM usagepilot.__migrations"));
    expect(applied.rows).toHaveLength(journal.entries.length);

    // And the storage works on what they made.
    const events = conformanceEvents(100, 3);
    const storage = new PostgresStorage({ connectionString: database.url });
    await storage.write(events);
    await storage.close();
    await expectExactlyOnce(events);
  }, 60_000);

  it("two instances writing the same events in opposite orders do not deadlock: every write succeeds first time", async () => {
    const first = new PostgresStorage({ connectionString: database.url });
    const second = new PostgresStorage({ connectionString: database.url });
    // Migrations and partitions first, so only the event writes race.
    const all: UsageEvent[] = [...conformanceEvents(2, 1), ...conformanceEvents(2, 2)];
    await first.write(all.slice(0, 2));
    await second.write(all.slice(2));
    const failures: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const events = conformanceEvents(400, 50 + round);
      all.push(...events);
      const outcomes = await Promise.allSettled([first.write(events), second.write(reversed(events))]);
      for (const outcome of outcomes) if (outcome.status === "rejected") failures.push(String((outcome.reason as Error).message));
    }
    await first.close();
    await second.close();
    // A deadlock is retryable, so a BatchWriter would recover; but each one costs deadlock_timeout (1 s)
    // and fails a direct caller. Inserting in one order (by id) for every writer avoids it.
    expect(failures).toEqual([]);
    expect(await storedTotals(database.url)).toEqual(expectedTotals(all));
  }, 60_000);
});
