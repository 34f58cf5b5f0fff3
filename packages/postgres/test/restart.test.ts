import { BatchWriter, StorageError, type UsageEvent } from "@usagepilot/core";
import { conformanceEvents, createTestEvent } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { useTestDatabase } from "./use-test-database";
import { takeServerExclusively } from "./exclusive-server";
import { expectStoredExactlyOnce, sleep, withClient } from "./stored-totals";
import { serverUrl } from "./test-database";

// The whole PostgreSQL cluster restarted while batches are being written. This is the one suite that
// takes the server down, so it does so under a lock and only when no other suite is using the server
// (see exclusive-server.ts), waiting for them if need be; connections killed inside one database are in
// exactly-once.test.ts.

const database = useTestDatabase("none");

const startTime = () => withClient(serverUrl!, async (client) => (await client.query<{ started: string }>("SELECT pg_postmaster_start_time()::text AS started")).rows[0]!.started);

describe("PostgresStorage — the database restarted mid-flush (real server)", () => {
  it("a stream of writes through a BatchWriter across `pg_ctlcluster restart`: every event stored once, rollups exact", async () => {
    const storage = new PostgresStorage({ connectionString: database.url });
    // Pool, migrations and both months' partitions first, so the restart lands on event writes.
    await storage.write([createTestEvent({ timestamp: "2026-03-31T23:00:00.000Z" }), createTestEvent({ timestamp: "2026-04-01T01:00:00.000Z" })]);
    await withClient(database.url, (client) => client.query("TRUNCATE usagepilot.events, usagepilot.rollups_hourly, usagepilot.rollup_units_hourly"));

    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 50, flushInterval: 5, retryBaseDelayMs: 20, retryMaxDelayMs: 400, onError: (error) => errors.push(error) });
    const added: UsageEvent[] = [];
    let round = 0;
    const add = (count: number) => {
      round += 1;
      for (const event of conformanceEvents(count, 1000 + round)) {
        writer.add(event);
        added.push(event);
      }
    };
    const before = await startTime();

    // Wait for exclusive use of the server first (other suites may be running), then stream and restart.
    const server = await takeServerExclusively(database.name);
    try {
      add(500);
      let restarted = false;
      const restart = server.restart().finally(() => {
        restarted = true;
      });
      // Keep the stream going while the server goes down and comes back.
      while (!restarted) {
        add(25);
        await sleep(20);
      }
      await restart;
    } finally {
      server.release();
    }
    add(300);
    await writer.flush();

    expect(await startTime()).not.toBe(before);
    expect(writer.stats.failedWrites).toBeGreaterThanOrEqual(1);
    expect(writer.stats).toMatchObject({ written: added.length, rejected: 0, pending: 0 });
    expect(errors.every((error) => StorageError.isInstance(error) && error.isRetryable)).toBe(true);
    await expectStoredExactlyOnce(storage, database.url, added);
    await storage.close();
  }, 150_000);
});
