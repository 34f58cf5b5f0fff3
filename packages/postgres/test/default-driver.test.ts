import { join } from "node:path";
import { aggregateEvents, type UsageEvent, UsagePilot } from "@usagepilot/core";
import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { useTempFolder, useTestDatabase } from "./use-test-database";
import { storedTotals, waitFor, withClient } from "./stored-totals";

// The design's one line — `new PostgresStorage({ batchSize: 50, flushInterval: 60_000 })` — picks its
// driver from the environment: node-postgres with DATABASE_URL, embedded PGlite without. And retention.

const database = useTestDatabase("no-schema");
const temporary = useTempFolder("usagepilot-default-driver-");

/** Runs `work` with DATABASE_URL set to `value` (or unset), restoring it afterwards. */
async function withDatabaseUrl<T>(value: string | undefined, work: () => Promise<T>): Promise<T> {
  const saved = process.env.DATABASE_URL;
  if (value === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = value;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

const hour = 3_600_000;
const at = Date.UTC(2026, 5, 3, 9);
const range = { from: new Date(at - hour), to: new Date(at + 3 * hour) };

async function trackSome(usage: UsagePilot<Record<string, string>>, count: number, offset = 0): Promise<UsageEvent[]> {
  const events: UsageEvent[] = [];
  for (let index = offset; index < offset + count; index += 1) {
    events.push(await usage.track({ timestamp: new Date(at + index * 37_000), dimensions: { user_id: `u${index % 3}` }, usage: testTokens(10 + index, 3), cost: "0.000125" }));
  }
  return events;
}

describe("PostgresStorage — the driver chosen by the design's line", () => {
  it("with DATABASE_URL set: node-postgres on that database, writing in batches of 50", async () => {
    await withDatabaseUrl(database.url, async () => {
      const storage = new PostgresStorage({ batchSize: 50, flushInterval: 60_000 });
      expect(storage.driverKind).toBe("node-postgres");
      const usage = new UsagePilot<Record<string, string>>({ storage, providers: [] });
      const events = await trackSome(usage, 30);
      // Below the batch size and long before the one-minute timer: nothing is written yet.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(usage.stats()).toMatchObject({ written: 0, pending: 30 });
      // The fiftieth event fills a batch (the default would be 100), which is written without a flush.
      events.push(...(await trackSome(usage, 20, 30)));
      await waitFor(() => usage.stats().written === 50, { timeoutMs: 20_000, what: "a batch of 50 written" });
      events.push(...(await trackSome(usage, 7, 50)));
      await usage.flush();
      // Read from the server database itself, not through the storage.
      expect(await storedTotals(database.url)).toEqual({ rows: 57, ids: 57, inputTokens: events.reduce((sum, event) => sum + event.usage!.inputTokens, 0) });
      expect(await usage.query({ ...range, groupBy: ["user_id"] })).toEqual(aggregateEvents(events, { ...range, groupBy: ["user_id"] }));
      await usage.shutdown();
    });
  }, 60_000);

  it("with no URL and a dataDir: embedded PGlite, and the events are still there after closing and reopening", async () => {
    await withDatabaseUrl(undefined, async () => {
      const dataDir = join(temporary.path, "pglite");
      const storage = new PostgresStorage({ batchSize: 50, flushInterval: 60_000, dataDir });
      expect(storage.driverKind).toBe("pglite");
      const usage = new UsagePilot<Record<string, string>>({ storage, providers: [] });
      const events = await trackSome(usage, 70);
      await usage.shutdown(); // flushes, then closes the storage (and PGlite)

      const reopened = new PostgresStorage({ dataDir });
      expect(reopened.driverKind).toBe("pglite");
      expect(await reopened.query({ ...range, groupBy: ["user_id"] })).toEqual(aggregateEvents(events, { ...range, groupBy: ["user_id"] }));
      // Still idempotent across the reopen: the same events again change nothing; new ones add.
      const more = Array.from({ length: 5 }, (_, index) => createTestEvent({ timestamp: new Date(at + index * 1000).toISOString(), dimensions: { user_id: "u9" } }));
      await reopened.write([...events, ...more]);
      expect(await reopened.query(range)).toEqual(aggregateEvents([...events, ...more], range));
      await reopened.close();
    });
  }, 60_000);
});

describe("PostgresStorage — retention (real server)", () => {
  const months = [0, 1, 2].map((month) =>
    Array.from({ length: 12 }, (_, index) =>
      createTestEvent({
        timestamp: new Date(Date.UTC(2026, month, 1 + index * 2, index, 30)).toISOString(),
        dimensions: { organization_id: `org-${index % 2}` },
        usage: testTokens(100 * (month + 1) + index, 7),
        units: index % 4 === 0 ? { images: 2 } : {},
      }),
    ),
  );
  // Whole hours (the rollups) and not (the raw events) over the three months.
  const wholeHours = { from: new Date(Date.UTC(2026, 0, 1)), to: new Date(Date.UTC(2026, 3, 1)), groupBy: ["organization_id"], granularity: "month" as const };
  const exact = { ...wholeHours, from: new Date(Date.UTC(2026, 0, 1) + 1), to: new Date(Date.UTC(2026, 3, 1) - 1) };

  it("dropPartitionsBefore drops whole old months only, and no query sees their events afterwards", async () => {
    const storage = new PostgresStorage({ connectionString: database.url });
    await storage.write(months.flat());
    for (const query of [wholeHours, exact]) expect(await storage.query(query)).toEqual(aggregateEvents(months.flat(), query));

    // Mid-February: January ends before it and goes; February does not end before it and stays whole.
    expect(await storage.dropPartitionsBefore(new Date(Date.UTC(2026, 1, 15)))).toEqual(["events_2026_01"]);
    const kept = [...months[1]!, ...months[2]!];
    expect(await storedTotals(database.url)).toMatchObject({ rows: kept.length });
    expect(await storage.query(exact)).toEqual(aggregateEvents(kept, exact));
    expect(await storage.query(wholeHours)).toEqual(aggregateEvents(kept, wholeHours));

    // A month ending exactly at the cut-off goes too.
    expect(await storage.dropPartitionsBefore(new Date(Date.UTC(2026, 2, 1)))).toEqual(["events_2026_02"]);
    for (const query of [wholeHours, exact]) expect(await storage.query(query)).toEqual(aggregateEvents(months[2]!, query));

    // The storage forgot the dropped partitions: writing into January again recreates it.
    await storage.write(months[0]!.slice(0, 3));
    expect(await storedTotals(database.url)).toMatchObject({ rows: months[2]!.length + 3 });
    await storage.close();
  }, 60_000);
});
