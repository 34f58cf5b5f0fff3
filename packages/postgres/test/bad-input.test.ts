import { BatchWriter, FlushTimeoutError, InvalidUsageEventError, StorageError, type UsageEvent, UsagePilot } from "@usagepilot/core";
import { createTestEvent, testTokens } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { PostgresStorage } from "../src/postgres-storage";
import { useTestDatabase } from "./use-test-database";
import { storedTotals, waitFor, withClient } from "./stored-totals";
import { serverUrl } from "./test-database";

// Bad input is refused with an error that names the problem, and nothing else is lost with it.

const database = useTestDatabase("migrated-and-empty");

const hour = 3_600_000;
const at = Date.UTC(2026, 4, 12, 10);
const wholeHours = { from: new Date(at - hour), to: new Date(at + 2 * hour) };
const exactRange = { from: new Date(at - 1234), to: new Date(at + hour + 17) };

const awkward = [
  `o'brien "the" \\ back\\slash`,
  "'; DROP TABLE usagepilot.events; --",
  `Robert'); DELETE FROM usagepilot.rollups_hourly; --`,
  "$1 %_ \\x00 \\u0000 E'\\n'",
  "naïve 東京 🚀 \u2028",
  "a".repeat(1_048_576 - 8) + "é東🚀z", // just over 1 MB in UTF-8
];

describe("PostgresStorage — bad input (real server)", () => {
  it("quotes, SQL fragments and 1 MB strings are stored and queried back exactly, from rollups and from events", async () => {
    const storage = new PostgresStorage({ connectionString: database.url });
    const errors: unknown[] = [];
    const usage = new UsagePilot<Record<string, string>>({ storage, providers: [], batchSize: 4, flushInterval: 10, onError: (error) => errors.push(error) });
    const events: UsageEvent[] = [];
    for (const [index, value] of awkward.entries()) {
      events.push(
        await usage.track({
          timestamp: new Date(at + index * 60_000),
          dimensions: { user_id: value, "o'key\"; --": value.slice(0, 40) },
          model: value.slice(0, 200),
          usage: testTokens(100 + index, 10),
        }),
      );
    }
    await usage.flush();
    expect(errors).toEqual([]);

    // Every value read back from the table byte for byte, and the tables are all still there.
    const stored = await withClient(database.url, (client) =>
      client.query<{ user_id: string; odd: string; model: string }>(`SELECT dimensions ->> 'user_id' AS user_id, dimensions ->> 'o''key"; --' AS odd, model FROM usagepilot.events ORDER BY ts`),
    );
    expect(stored.rows).toEqual(awkward.map((value) => ({ user_id: value, odd: value.slice(0, 40), model: value.slice(0, 200) })));

    for (const range of [wholeHours, exactRange]) {
      const rows = await usage.query({ ...range, groupBy: ["user_id", "o'key\"; --"] });
      expect(rows.map((row) => row.group).sort((a, b) => a.user_id!.localeCompare(b.user_id!))).toEqual(
        awkward.map((value) => ({ user_id: value, "o'key\"; --": value.slice(0, 40) })).sort((a, b) => a.user_id.localeCompare(b.user_id)),
      );
      for (const [index, value] of awkward.entries()) {
        const [row] = await usage.query({ ...range, where: { user_id: value, model: value.slice(0, 200) } });
        expect(row).toMatchObject({ events: 1, inputTokens: 100 + index });
      }
    }
    expect(await storedTotals(database.url)).toMatchObject({ rows: awkward.length });
    await usage.shutdown();
  }, 60_000);

  it("a NUL (which Postgres cannot store) is refused at capture: the other events are stored, the refused ones reach onError with .event", async () => {
    const storage = new PostgresStorage({ connectionString: database.url });
    const errors: unknown[] = [];
    const usage = new UsagePilot<Record<string, string>>({ storage, providers: [], batchSize: 10, flushInterval: 60_000, onError: (error) => errors.push(error) });
    const events: UsageEvent[] = [];
    for (let index = 0; index < 10; index += 1) {
      events.push(
        await usage.track({
          timestamp: new Date(at + index * 1000),
          dimensions: { user_id: index === 3 ? "a\u0000b" : `user-${index}` },
          ...(index === 7 ? { model: "gpt\u0000" } : {}),
          usage: testTokens(10 * (index + 1), 1),
        }),
      );
    }
    await usage.flush();

    const poisoned = [events[3]!, events[7]!];
    const good = events.filter((event) => !poisoned.includes(event));
    expect(usage.stats()).toMatchObject({ written: 8, invalid: 2, pending: 0 });
    expect(await storedTotals(database.url)).toEqual({ rows: 8, ids: 8, inputTokens: good.reduce((sum, event) => sum + event.usage!.inputTokens, 0) });
    const refused = errors.filter((error): error is InvalidUsageEventError => InvalidUsageEventError.isInstance(error));
    expect(refused.map((error) => error.event)).toEqual(poisoned);
    for (const error of refused) expect(error.message).toMatch(/NUL/);
    const [total] = await usage.query(wholeHours);
    expect(total).toMatchObject({ events: 8 });
    await usage.shutdown();
  }, 60_000);

  it("a NUL written to the storage directly is refused alone: the writer stores the rest of the batch and hands the refused events back", async () => {
    const storage = new PostgresStorage({ connectionString: database.url });
    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 10, flushInterval: 60_000, onError: (error) => errors.push(error) });
    const events = Array.from({ length: 10 }, (_, index) =>
      createTestEvent({ timestamp: new Date(at + index * 1000).toISOString(), dimensions: { user_id: index === 3 ? "a\u0000b" : `user-${index}` }, ...(index === 7 ? { model: "gpt\u0000" } : {}), usage: testTokens(10 * (index + 1), 1) }),
    );
    for (const event of events) writer.add(event);
    await writer.flush();
    const poisoned = [events[3]!, events[7]!];
    expect(writer.stats).toMatchObject({ written: 8, rejected: 2, pending: 0 });
    expect(await storedTotals(database.url)).toEqual({ rows: 8, ids: 8, inputTokens: events.filter((event) => !poisoned.includes(event)).reduce((sum, event) => sum + event.usage!.inputTokens, 0) });
    const refused = errors.filter((error): error is StorageError => StorageError.isInstance(error) && error.events !== undefined);
    expect(refused.map((error) => error.events)).toEqual([[events[3]], [events[7]]]);
    for (const error of refused) {
      expect(error.isRetryable).toBe(false);
      expect(error.message).toMatch(/NUL/);
    }
    await writer.shutdown();
    await storage.close();
  }, 60_000);

  it("events that break the contract's invariants are refused with a non-retryable StorageError naming the violation", async () => {
    const storage = new PostgresStorage({ connectionString: database.url });
    const timestamp = new Date(at).toISOString();
    const cases: [Partial<UsageEvent>, RegExp][] = [
      [{ usage: testTokens(10, 5, 20) }, /cachedInputTokens \(20\) exceeds inputTokens \(10\)/],
      [{ usage: testTokens(10, 5, 6, 6) }, /cache reads plus cache writes \(12\) exceed inputTokens \(10\)/],
      [{ usage: testTokens(10, 5, 0, 0, 9) }, /reasoningTokens \(9\) exceeds outputTokens \(5\)/],
      [{ usage: testTokens(-1, 5) }, /inputTokens must be a non-negative integer/],
      [{ usage: testTokens(1.5, 5) }, /inputTokens must be a non-negative integer/],
      [{ cost: { amount: "1e-9", currency: "USD", priceSource: "t" } }, /cost\.amount must be a decimal string/],
      [{ units: { images: Number.NaN } }, /units\.images must be a non-negative finite number/],
    ];
    for (const [overrides, violation] of cases) {
      const bad = createTestEvent({ timestamp, ...overrides });
      const error = await storage.write([createTestEvent({ timestamp }), bad]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(StorageError.isInstance(error)).toBe(true);
      expect((error as StorageError).isRetryable).toBe(false);
      expect((error as StorageError).message).toMatch(violation);
      expect((error as StorageError).message).toContain(bad.id);
    }
    // Refused whole: not even the valid event beside it was stored.
    expect(await storedTotals(database.url)).toMatchObject({ rows: 0 });

    // Through the writer the valid events of a batch still get stored, and the bad one comes back.
    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 5, flushInterval: 10, retryBaseDelayMs: 1, onError: (caught) => errors.push(caught) });
    const batch = [createTestEvent({ timestamp }), createTestEvent({ timestamp }), createTestEvent({ timestamp, usage: testTokens(10, 5, 20) }), createTestEvent({ timestamp }), createTestEvent({ timestamp })];
    for (const event of batch) writer.add(event);
    await writer.flush();
    expect(writer.stats).toMatchObject({ written: 4, rejected: 1 });
    expect(await storedTotals(database.url)).toMatchObject({ rows: 4 });
    const refused = errors.filter((caught): caught is StorageError => StorageError.isInstance(caught) && caught.events !== undefined);
    expect(refused.map((caught) => caught.events)).toEqual([[batch[2]]]);
    expect(refused[0]!.message).toMatch(/cachedInputTokens \(20\) exceeds inputTokens \(10\)/);
    await storage.close();
  }, 60_000);

  const server = new URL(serverUrl ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const unreachable: [string, string, RegExp][] = [
    ["a port nothing listens on", "postgres://postgres@127.0.0.1:1/x", /connection refused at 127\.0\.0\.1:1/],
    ["an unknown user (with a password)", `postgres://nobody:wrong@${server.host}/postgres`, /authentication failed: .*role "nobody" does not exist/],
    ["an unknown database", `postgres://${server.username}@${server.host}/usagepilot_no_such_database`, /database does not exist: .*"usagepilot_no_such_database" does not exist/],
  ];
  for (const [what, url, problem] of unreachable) {
    it(`${what}: a StorageError that names the problem; UsagePilot keeps the events and hands them back at shutdown`, async () => {
      const direct = new PostgresStorage({ connectionString: url });
      const error = await direct.write([createTestEvent()]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(StorageError.isInstance(error)).toBe(true);
      expect((error as StorageError).message).toMatch(problem);
      await direct.close();

      const storage = new PostgresStorage({ connectionString: url });
      const errors: unknown[] = [];
      const usage = new UsagePilot<Record<string, string>>({ storage, providers: [], batchSize: 10, flushInterval: 10, onError: (caught) => errors.push(caught) });
      const events: UsageEvent[] = [];
      for (let index = 0; index < 3; index += 1) events.push(await usage.track({ dimensions: { user_id: `u${index}` }, usage: testTokens(5, 5) }));
      await waitFor(() => errors.length > 0, { timeoutMs: 10_000, what: "the storage error" });
      expect(StorageError.isInstance(errors[0])).toBe(true);
      expect((errors[0] as StorageError).message).toMatch(problem);
      expect(usage.stats()).toMatchObject({ pending: 3, written: 0, rejected: 0 });

      const shutdown = await usage.shutdown({ timeoutMs: 500 }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(FlushTimeoutError.isInstance(shutdown)).toBe(true);
      expect((shutdown as FlushTimeoutError).events.map((event) => event.id).sort()).toEqual(events.map((event) => event.id).sort());
      await storage.close();
    }, 30_000);
  }
});
