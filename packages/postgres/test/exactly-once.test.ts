import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BatchWriter, StorageError, type UsageEvent, UsagePilot, type UsageQuery, type UsageStorage } from "@usagepilot/core";
import { conformanceEvents, createTestEvent } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { useTestDatabase } from "./use-test-database";
import { startBackendKiller } from "./backend-killer";
import { expectStoredExactlyOnce, sleep, storedTotals, withClient } from "./stored-totals";
import { trackMany } from "./tracked-events";

// Nothing lost, nothing doubled, against the real server: connections killed mid-write, and a write
// that committed but whose caller saw a timeout. (A whole-cluster restart is in restart.test.ts.)

const database = useTestDatabase("migrated-and-empty");

/**
 * Opens the storage's pool, migrations and both months' partitions before the faults start, so the kills
 * land on event writes. (A kill while a pooled connection is checked out for the partition transaction
 * crashes the process today; the last tests here show it.)
 */
async function warmedUp(storage: PostgresStorage): Promise<PostgresStorage> {
  await storage.write([createTestEvent({ timestamp: "2026-03-31T23:00:00.000Z" }), createTestEvent({ timestamp: "2026-04-01T01:00:00.000Z" })]);
  await withClient(database.url, (client) => client.query("TRUNCATE usagepilot.events, usagepilot.rollups_hourly, usagepilot.rollup_units_hourly"));
  return storage;
}

const runChild = promisify(execFile);

describe("PostgresStorage — exactly once under faults (real server)", () => {
  it("connections terminated (pg_terminate_backend) again and again mid-flush: every tracked event stored once, rollups exact", async () => {
    const storage = await warmedUp(new PostgresStorage({ connectionString: database.url }));
    const errors: unknown[] = [];
    const usage = new UsagePilot<Record<string, string>>({ storage, providers: [], batchSize: 100, flushInterval: 10, onError: (error) => errors.push(error) });
    const events: UsageEvent[] = [];
    // Pauses long enough that some writes succeed between kills (the writer's backoff restarts then).
    const killer = startBackendKiller(database.name, { pauseMs: [30, 150] });
    try {
      // Keep recording (at a pace the writer can follow) until several kills have landed on a backend
      // that was running a write; bounded in time, not asserted on timing.
      const deadline = Date.now() + 30_000;
      for (let round = 0; killer.counts.killedActive < 4 && Date.now() < deadline; round += 1) {
        await trackMany(usage, round * 50, 50, events);
        await sleep(30);
      }
    } finally {
      await killer.stop();
    }
    await usage.flush();
    expect(killer.counts.killedActive).toBeGreaterThanOrEqual(4);
    expect(usage.stats().failedWrites).toBeGreaterThanOrEqual(1);
    // Every failure was a retryable storage error: nothing was refused for good.
    expect(usage.stats().rejected).toBe(0);
    expect(errors.every((error) => StorageError.isInstance(error) && error.isRetryable)).toBe(true);
    await expectStoredExactlyOnce(storage, database.url, events);
    await usage.shutdown();
  }, 60_000);

  it("a BatchWriter with short retry delays while every backend of the database is killed every few ms", async () => {
    const storage = await warmedUp(new PostgresStorage({ connectionString: database.url }));
    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 40, flushInterval: 5, retryBaseDelayMs: 5, retryMaxDelayMs: 100, onError: (error) => errors.push(error) });
    const events = conformanceEvents(2000, 31);
    const killer = startBackendKiller(database.name, { pauseMs: [5, 40] });
    try {
      for (let index = 0; index < events.length; index += 1) {
        writer.add(events[index]!);
        if (index % 40 === 0) await sleep(3);
      }
      await writer.flush();
    } finally {
      await killer.stop();
    }
    expect(killer.counts.killed).toBeGreaterThan(0);
    expect(writer.stats).toMatchObject({ written: events.length, rejected: 0, pending: 0 });
    await expectStoredExactlyOnce(storage, database.url, events);
    await storage.close();
  }, 60_000);

  it("a batch retried after a timeout whose insert had in fact committed: totals equal, rollups not doubled", async () => {
    const inner = new PostgresStorage({ connectionString: database.url });
    // Writes for real, then tells the writer it timed out — the first time each batch is written.
    const attempted = new Set<string>();
    let timeouts = 0;
    const storage: UsageStorage = {
      async write(batch) {
        await inner.write(batch);
        const key = batch.map((event) => event.id).join(",");
        if (!attempted.has(key)) {
          attempted.add(key);
          timeouts += 1;
          throw Object.assign(new Error("Query read timeout"), { name: "TimeoutError" });
        }
      },
      query: (query: UsageQuery) => inner.query(query),
      close: () => inner.close(),
    };
    const errors: unknown[] = [];
    const usage = new UsagePilot<Record<string, string>>({ storage, providers: [], batchSize: 50, flushInterval: 10, onError: (error) => errors.push(error) });
    const events: UsageEvent[] = [];
    await trackMany(usage, 0, 400, events);
    await usage.flush();

    expect(timeouts).toBeGreaterThanOrEqual(8);
    expect(usage.stats()).toMatchObject({ captured: 400, written: 400, pending: 0, rejected: 0, failedWrites: timeouts });
    expect(errors).toHaveLength(timeouts);
    await expectStoredExactlyOnce(storage, database.url, events);
    // The rollups agree with the ledger row for row, not just in the few shapes queried above.
    const ledger = await storedTotals(database.url);
    const rollups = await withClient(database.url, (client) => client.query<{ events: string; input_tokens: string }>("SELECT sum(events) AS events, sum(input_tokens) AS input_tokens FROM usagepilot.rollups_hourly"));
    expect({ events: Number(rollups.rows[0]!.events), inputTokens: Number(rollups.rows[0]!.input_tokens) }).toEqual({ events: ledger.rows, inputTokens: ledger.inputTokens });
    await usage.shutdown();
  }, 60_000);

  // The process must survive a backend killed while the pool has a connection checked out (the partition
  // transaction, the migration lock): the write fails and is retried, nothing is thrown at the host app.
  for (const scenario of ["partitions", "migrations"] as const) {
    it(`a backend killed while its pooled connection is checked out (${scenario}) fails that call, and does not crash the process`, async () => {
      const script = fileURLToPath(new URL("./kill-checked-out-client.mjs", import.meta.url));
      const child = await runChild(process.execPath, [script, database.url, scenario], { timeout: 30_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? "", stderr: error.stderr ?? "" }),
      );
      expect(child.stderr).not.toContain("Connection terminated unexpectedly");
      expect(child.code).toBe(0);
      const report = JSON.parse(child.stdout) as { killed: number; first: { ok: boolean; name?: string; isRetryable?: boolean }; second: { ok: boolean } };
      expect(report.killed).toBe(1);
      expect(report.first).toMatchObject({ ok: false, name: "UsagePilotStorageError", isRetryable: true });
      expect(report.second).toEqual({ ok: true });
    }, 40_000);
  }
});
