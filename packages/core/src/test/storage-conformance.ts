import fc from "fast-check";
import type { UsageEvent } from "../event/usage-event";
import { aggregateEvents } from "../storage/aggregate-events";
import type { UsageQuery } from "../storage/usage-query";
import type { UsageStorage } from "../storage/usage-storage";
import { createTestEvent, testTokens } from "./create-test-event";

/** The parts of a test runner the suite uses (vitest's, or any with the same shape). */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeout?: number): void;
  expect: (value: unknown) => { toEqual(expected: unknown): void; toBe(expected: unknown): void };
}

/** How the suite gets a storage to test. */
export interface StorageConformanceOptions {
  /** Shown in the test names, e.g. "PostgresStorage (PGlite)". */
  name: string;
  /** A fresh, empty storage for one test. */
  create(): Promise<UsageStorage>;
  /** Releases it after the test. Default: `storage.close()`. */
  dispose?(storage: UsageStorage): Promise<void>;
  /** Per-test timeout in ms. Default 30 s. */
  timeout?: number;
}

const hour = 3_600_000;

/** A tiny seeded generator, so every run of the suite tests the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A varied, valid set of events across two months, with unmeasured, unpriced and unit-only ones. */
export function conformanceEvents(count: number, seed = 7): UsageEvent[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const start = Date.UTC(2026, 2, 31, 20); // crosses into April: two monthly partitions
  return Array.from({ length: count }, (_, index) => {
    const input = 10 + Math.floor(next() * 5000);
    const output = Math.floor(next() * 2000);
    const cached = Math.floor(next() * input * 0.5);
    const kind = index % 11;
    return createTestEvent({
      timestamp: new Date(start + Math.floor(next() * 8 * hour)).toISOString(),
      dimensions: {
        organization_id: pick(["acme", "globex", "initech"]),
        user_id: pick(["ana", "ben", "cara", "o'brien; DROP TABLE events; --"]),
        ...(kind % 2 === 0 ? { feature: pick(["chat", "analysis"]) } : {}),
      },
      provider: pick(["openai", "anthropic"]),
      model: kind === 5 ? null : pick(["gpt-4o-mini", "claude-sonnet-4-5"]),
      usage: kind === 3 ? null : testTokens(input, output, cached, Math.floor(next() * (input - cached) * 0.2), Math.floor(next() * output)),
      units: kind === 7 ? { images: 1 + Math.floor(next() * 3), gpu_hours: 0.25 } : {},
      cost: kind === 9 ? null : { amount: (Math.floor(next() * 1_000_000) / 1e9).toFixed(9), currency: "USD", priceSource: "conformance" },
      status: kind === 4 ? "error" : kind === 6 ? "aborted" : "ok",
      accuracy: kind === 3 ? "estimated" : "reported",
    });
  });
}

/** Queries that exercise both the whole-hour path (rollups, where a storage has them) and the exact path. */
export function conformanceQueries(): UsageQuery[] {
  const from = Date.UTC(2026, 2, 31, 20);
  const to = from + 9 * hour;
  return [
    { from: new Date(from), to: new Date(to) },
    { from: new Date(from), to: new Date(to), groupBy: ["organization_id", "user_id"] },
    { from: new Date(from), to: new Date(to), groupBy: ["model", "provider", "status"], granularity: "hour" },
    { from: new Date(from), to: new Date(to), groupBy: ["feature"], granularity: "day", where: { organization_id: ["acme", "globex"] } },
    { from: new Date(from), to: new Date(to), granularity: "month", where: { user_id: "o'brien; DROP TABLE events; --" } },
    { from: new Date(from + 1234), to: new Date(to - 999), groupBy: ["organization_id"] },
    { from: new Date(from + 2 * hour + 17), to: new Date(from + 5 * hour), groupBy: ["user_id", "operation"], granularity: "hour", where: { provider: "openai" } },
  ];
}

/** Any query over the conformance events' hours and a little beyond: boundaries on and off the hour. */
export function arbitraryConformanceQuery(): fc.Arbitrary<UsageQuery> {
  const start = Date.UTC(2026, 2, 31, 20);
  const offset = fc.oneof(fc.integer({ min: -2 * hour, max: 10 * hour }), fc.integer({ min: -2, max: 10 }).map((hours) => hours * hour), fc.integer({ min: -4, max: 20 }).map((halves) => (halves * hour) / 2));
  const length = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 * hour }), fc.integer({ min: 1, max: 12 }).map((hours) => hours * hour));
  const keys = ["organization_id", "user_id", "feature", "model", "provider", "operation", "status", "region"];
  const values = ["acme", "globex", "initech", "nobody", "ana", "o'brien; DROP TABLE events; --", "chat", "gpt-4o-mini", "claude-sonnet-4-5", "openai", "ok", "error", "aborted"];
  return fc
    .record({
      from: offset,
      length,
      asText: fc.boolean(),
      groupBy: fc.option(fc.shuffledSubarray(keys, { maxLength: 3 }), { nil: undefined }),
      where: fc.option(fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.constantFrom(...values), fc.uniqueArray(fc.constantFrom(...values), { maxLength: 3 })), { maxKeys: 2 }), { nil: undefined }),
      granularity: fc.constantFrom(undefined, "hour", "day", "month", "total" as const),
    })
    .map(({ from, length, asText, groupBy, where, granularity }) => {
      const at = (ms: number) => (asText ? new Date(start + ms).toISOString() : new Date(start + ms));
      return { from: at(from), to: at(from + length), ...(groupBy ? { groupBy } : {}), ...(where ? { where } : {}), ...(granularity ? { granularity } : {}) };
    });
}

/**
 * The storage conformance suite: any `UsageStorage` must answer `query` exactly as `aggregateEvents`
 * does over the unique events written, however they were batched, retried or interleaved.
 *
 * @example
 * describeStorageConformance({ name: "MemoryStorage", create: async () => new MemoryStorage() }, { describe, it, expect });
 */
export function describeStorageConformance(options: StorageConformanceOptions, runner: ConformanceRunner): void {
  const { describe, it, expect } = runner;
  const timeout = options.timeout ?? 30_000;
  const withStorage = async (body: (storage: UsageStorage) => Promise<void>) => {
    const storage = await options.create();
    try {
      await body(storage);
    } finally {
      await (options.dispose ? options.dispose(storage) : storage.close?.());
    }
  };
  const expectSameAnswers = async (storage: UsageStorage, events: readonly UsageEvent[]) => {
    for (const query of conformanceQueries()) {
      expect(await storage.query!(query)).toEqual(aggregateEvents(events, query));
    }
  };

  describe(`${options.name} — storage conformance`, () => {
    it("answers every query exactly as the reference aggregation", () =>
      withStorage(async (storage) => {
        const events = conformanceEvents(300);
        for (let index = 0; index < events.length; index += 50) await storage.write(events.slice(index, index + 50));
        await expectSameAnswers(storage, events);
      }), timeout);

    it("answers any query exactly as the reference aggregation (fast-check)", () =>
      withStorage(async (storage) => {
        const events = conformanceEvents(300, 31);
        await storage.write(events);
        await fc.assert(
          fc.asyncProperty(arbitraryConformanceQuery(), async (query) => {
            expect({ query, rows: await storage.query!(query) }).toEqual({ query, rows: aggregateEvents(events, query) });
          }),
          { numRuns: 150 },
        );
      }), timeout);

    it("stores each event once however it is batched, repeated and interleaved (fast-check)", () =>
      withStorage(async (storage) => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 60 }),
            fc.array(fc.record({ from: fc.nat(), length: fc.integer({ min: 0, max: 25 }), concurrent: fc.boolean(), doubled: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 8 }),
            fc.boolean(),
            async (count, batches, wholeFirst) => {
              // Each run's events carry their own dimension, so runs sharing one storage answer apart.
              run += 1;
              const events = conformanceEvents(count, run).map((event) => ({ ...event, dimensions: { ...event.dimensions, run: `run-${run}` } }));
              // All the events in one batch, before or after batches that overlap it and each other, repeat
              // events inside themselves, and partly run at once.
              if (wholeFirst) await storage.write(events);
              const together: Promise<void>[] = [];
              for (const { from, length, doubled, concurrent } of batches) {
                const start = from % events.length;
                const slice = events.slice(start, start + length);
                const written = storage.write([...slice, ...slice.slice(0, doubled)]);
                if (concurrent) together.push(written);
                else await written;
              }
              await Promise.all(together);
              if (!wholeFirst) await storage.write(events);
              for (const query of conformanceQueries()) {
                const scoped = { ...query, where: { ...query.where, run: `run-${run}` } };
                expect(await storage.query!(scoped)).toEqual(aggregateEvents(events, scoped));
              }
            },
          ),
          { numRuns: 25 },
        );
      }), timeout);

    it("stores nothing twice: rewritten batches, overlapping batches and a batch containing one event twice", () =>
      withStorage(async (storage) => {
        const events = conformanceEvents(120, 11);
        await storage.write(events.slice(0, 80));
        await storage.write(events.slice(40, 120));
        await storage.write(events.slice(0, 80));
        await storage.write([events[0]!, events[0]!, events[1]!]);
        await expectSameAnswers(storage, events);
      }), timeout);

    it("keeps concurrent writers of the same and different events exactly once", () =>
      withStorage(async (storage) => {
        const events = conformanceEvents(200, 23);
        await Promise.all([
          storage.write(events.slice(0, 120)),
          storage.write(events.slice(80, 200)),
          storage.write(events.slice(0, 200)),
          storage.write(events.slice(50, 150)),
        ]);
        await expectSameAnswers(storage, events);
      }), timeout);

    it("keeps unmeasured usage and unknown cost apart from zero", () =>
      withStorage(async (storage) => {
        const timestamp = new Date(Date.UTC(2026, 2, 31, 21)).toISOString();
        const events = [createTestEvent({ timestamp, usage: null, cost: null, dimensions: { organization_id: "unknown-only" } })];
        await storage.write(events);
        const [row] = await storage.query!({ from: new Date(Date.UTC(2026, 2, 31, 20)), to: new Date(Date.UTC(2026, 3, 1, 5)), where: { organization_id: "unknown-only" } });
        expect(row).toEqual({ period: null, group: {}, events: 1, unmeasuredEvents: 1, inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheWriteInputTokens: null, reasoningTokens: null, units: {}, costUsd: null, unpricedEvents: 1 });
      }), timeout);

    it("sums many tiny costs exactly", () =>
      withStorage(async (storage) => {
        const timestamp = new Date(Date.UTC(2026, 2, 31, 22, 30)).toISOString();
        const events = Array.from({ length: 1000 }, () => createTestEvent({ timestamp, cost: { amount: "0.0000001", currency: "USD", priceSource: "t" }, dimensions: { organization_id: "tiny" } }));
        await storage.write(events);
        const [row] = await storage.query!({ from: new Date(Date.UTC(2026, 2, 31, 22)), to: new Date(Date.UTC(2026, 2, 31, 23)), where: { organization_id: "tiny" } });
        expect(row?.costUsd).toBe("0.0001");
      }), timeout);
  });
}
