import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { BufferFullError } from "../errors/buffer-full-error";
import { FlushTimeoutError } from "../errors/flush-timeout-error";
import { StorageError } from "../errors/storage-error";
import type { UsageEvent } from "../event/usage-event";
import { MemoryStorage } from "../storage/memory-storage";
import type { UsageStorage } from "../storage/usage-storage";
import { BatchWriter } from "./batch-writer";
import { createTestEvent } from "../test/create-test-event";

const makeEvent = (): UsageEvent => createTestEvent({ dimensions: { user_id: "u1" }, provider: "custom", operation: "custom", model: null, usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 } });


/** MemoryStorage that records the size of every write attempt. */
class RecordingStorage extends MemoryStorage {
  readonly writes: number[] = [];
  override async write(events: readonly UsageEvent[]): Promise<void> {
    this.writes.push(events.length);
    await super.write(events);
  }
}

/** Fails the first `failures` writes; when `commitBeforeFailing`, each failure happens after the write committed. */
class FlakyStorage extends MemoryStorage {
  attempts = 0;
  constructor(
    private failures: number,
    private readonly commitBeforeFailing = false,
  ) {
    super();
  }
  override async write(events: readonly UsageEvent[]): Promise<void> {
    this.attempts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      if (this.commitBeforeFailing) await super.write(events);
      throw new Error(this.commitBeforeFailing ? "timeout after commit" : "connection refused");
    }
    await super.write(events);
  }
}

/** Blocks every write until `release()`; then behaves as MemoryStorage. */
class GatedStorage extends MemoryStorage {
  private opened = false;
  private waiting: (() => void)[] = [];
  release(): void {
    this.opened = true;
    for (const resolve of this.waiting) resolve();
    this.waiting = [];
  }
  override async write(events: readonly UsageEvent[]): Promise<void> {
    if (!this.opened) await new Promise<void>((resolve) => this.waiting.push(resolve));
    await super.write(events);
  }
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** "pending" when the promise has not settled after a few macrotasks (and a short wait). */
async function stateOf(promise: Promise<unknown>): Promise<"resolved" | "rejected" | "pending"> {
  let state: "resolved" | "rejected" | "pending" = "pending";
  promise.then(
    () => (state = "resolved"),
    () => (state = "rejected"),
  );
  await tick(30);
  return state;
}

const ids = (events: readonly UsageEvent[]) => events.map((event) => event.id).sort();

describe("BatchWriter", () => {
  it("writes a full batch at once and holds a partial one", async () => {
    const storage = new RecordingStorage();
    const writer = new BatchWriter({ storage, batchSize: 3, flushInterval: 60_000, onError: () => {} });
    for (let index = 0; index < 6; index += 1) writer.add(makeEvent());
    await vi.waitFor(() => expect(storage.events).toHaveLength(6));
    expect(storage.writes).toEqual([3, 3]);
    writer.add(makeEvent());
    await tick(20);
    expect(storage.events).toHaveLength(6);
    expect(writer.stats.pending).toBe(1);
    await writer.flush();
    expect(storage.writes).toEqual([3, 3, 1]);
    await writer.shutdown();
  });

  it("never writes more than batchSize at once", async () => {
    const storage = new RecordingStorage();
    const writer = new BatchWriter({ storage, batchSize: 4, flushInterval: 60_000, onError: () => {} });
    for (let index = 0; index < 23; index += 1) writer.add(makeEvent());
    await writer.flush();
    expect(storage.writes.every((size) => size >= 1 && size <= 4)).toBe(true);
    expect(storage.writes.reduce((a, b) => a + b, 0)).toBe(23);
    expect(storage.events).toHaveLength(23);
  });

  it("writes a partial batch when flushInterval passes, without a flush call", async () => {
    const storage = new RecordingStorage();
    const writer = new BatchWriter({ storage, batchSize: 100, flushInterval: 20, onError: () => {} });
    writer.add(makeEvent());
    writer.add(makeEvent());
    await Promise.resolve();
    expect(storage.writes).toEqual([]);
    await vi.waitFor(() => expect(storage.events).toHaveLength(2), { timeout: 2_000 });
    expect(writer.stats.pending).toBe(0);
  });

  it("flush() leaves nothing pending and resolves at once when there is nothing to write", async () => {
    const storage = new MemoryStorage();
    const writer = new BatchWriter({ storage, batchSize: 10, flushInterval: 60_000, onError: () => {} });
    await writer.flush();
    const added = Array.from({ length: 25 }, makeEvent);
    for (const event of added) writer.add(event);
    await writer.flush();
    expect(writer.stats.pending).toBe(0);
    expect(writer.stats.written).toBe(25);
    expect(ids(storage.events)).toEqual(ids(added));
  });

  it("a flush called right after another flush resolved does not wait for the timer", async () => {
    const storage = new MemoryStorage();
    const writer = new BatchWriter({ storage, batchSize: 10, flushInterval: 60_000, onError: () => {} });
    writer.add(makeEvent());
    await writer.flush();
    writer.add(makeEvent());
    const second = writer.flush();
    // Storage is healthy: the second flush must not sit behind the 60 s flushInterval.
    await Promise.race([second, tick(1_000)]);
    expect(storage.events).toHaveLength(2);
  });

  it("shutdown right after a flush stores everything with a healthy storage (no FlushTimeoutError)", async () => {
    const storage = new MemoryStorage();
    const writer = new BatchWriter({ storage, batchSize: 10, flushInterval: 60_000, onError: () => {} });
    writer.add(makeEvent());
    await writer.flush();
    writer.add(makeEvent());
    await expect(writer.shutdown({ timeoutMs: 500 })).resolves.toBeUndefined();
    expect(storage.events).toHaveLength(2);
  });

  it("retries a storage that fails twice, stores every event once, and reports StorageErrors", async () => {
    const storage = new FlakyStorage(2);
    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 5, flushInterval: 60_000, retryBaseDelayMs: 1, retryMaxDelayMs: 5, onError: (error) => errors.push(error) });
    const added = Array.from({ length: 12 }, makeEvent);
    for (const event of added) writer.add(event);
    await writer.flush();
    expect(ids(storage.events)).toEqual(ids(added));
    expect(errors).toHaveLength(2);
    for (const [index, error] of errors.entries()) {
      expect(StorageError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).attempt).toBe(index + 1);
      expect((error as StorageError).cause).toBeInstanceOf(Error);
    }
    expect(writer.stats).toMatchObject({ written: 12, failedWrites: 2, pending: 0 });
  });

  it("a write that committed and then threw (timeout after commit) is retried without doubling", async () => {
    const storage = new FlakyStorage(2, true);
    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 3, flushInterval: 60_000, retryBaseDelayMs: 1, retryMaxDelayMs: 5, onError: (error) => errors.push(error) });
    const added = Array.from({ length: 7 }, makeEvent);
    for (const event of added) writer.add(event);
    await writer.flush();
    expect(storage.attempts).toBeGreaterThan(3);
    expect(storage.events).toHaveLength(7);
    expect(ids(storage.events)).toEqual(ids(added));
    expect(errors.every((error) => StorageError.isInstance(error))).toBe(true);
    expect(errors).toHaveLength(2);
  });

  it("shutdown() runs once: later calls return the same promise", async () => {
    const storage = new MemoryStorage();
    const writer = new BatchWriter({ storage, flushInterval: 60_000, onError: () => {} });
    writer.add(makeEvent());
    const first = writer.shutdown();
    expect(writer.shutdown()).toBe(first);
    await first;
    expect(writer.shutdown({ timeoutMs: 1 })).toBe(first);
    expect(storage.events).toHaveLength(1);
  });

  it("shutdown() with a storage that never succeeds rejects with FlushTimeoutError carrying every unstored event", async () => {
    const errors: unknown[] = [];
    const storage: UsageStorage = {
      write: async () => {
        throw new Error("database is down");
      },
    };
    const writer = new BatchWriter({ storage, batchSize: 3, flushInterval: 60_000, retryBaseDelayMs: 1, retryMaxDelayMs: 5, onError: (error) => errors.push(error) });
    const added = Array.from({ length: 8 }, makeEvent);
    for (const event of added) writer.add(event);
    const shutdown = writer.shutdown({ timeoutMs: 150 });
    const error = await shutdown.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(FlushTimeoutError.isInstance(error)).toBe(true);
    const timeout = error as FlushTimeoutError;
    expect(timeout.timeoutMs).toBe(150);
    expect(ids(timeout.events)).toEqual(ids(added));
    expect(new Set(timeout.events.map((event) => event.id)).size).toBe(added.length);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((one) => StorageError.isInstance(one))).toBe(true);
    expect(writer.shutdown()).toBe(shutdown);
  });

  it("pushes back when full: waitForSpace stays pending, reports one BufferFullError, resolves once storage catches up", async () => {
    const storage = new GatedStorage();
    const errors: unknown[] = [];
    const writer = new BatchWriter({ storage, batchSize: 2, maxBufferSize: 4, flushInterval: 60_000, onError: (error) => errors.push(error) });
    const added = Array.from({ length: 4 }, makeEvent);
    for (const event of added) writer.add(event);
    expect(writer.isFull).toBe(true);
    const first = writer.waitForSpace();
    const second = writer.waitForSpace();
    expect(await stateOf(first)).toBe("pending");
    expect(await stateOf(second)).toBe("pending");
    expect(errors).toHaveLength(1);
    expect(BufferFullError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as BufferFullError).maxBufferSize).toBe(4);
    expect(writer.stats.backpressureWaits).toBe(2);
    storage.release();
    await first;
    await second;
    await writer.flush();
    expect(ids(storage.events)).toEqual(ids(added));
    expect(writer.stats.pending).toBe(0);
  });

  it("with a spill, the overflow goes to the spill instead of waiting", async () => {
    const storage = new GatedStorage();
    const settledAsSpilled: UsageEvent[] = [];
    const spilled: UsageEvent[] = [];
    const errors: unknown[] = [];
    const writer = new BatchWriter({
      storage,
      batchSize: 2,
      maxBufferSize: 4,
      flushInterval: 60_000,
      spill: async (events) => {
        spilled.push(...events);
      },
      onError: (error) => errors.push(error),
      onSettled: (events, how) => {
        if (how === "spilled") settledAsSpilled.push(...events);
      },
    });
    const added: UsageEvent[] = [];
    for (let index = 0; index < 10; index += 1) {
      await writer.waitForSpace(); // storage is blocked throughout: only the spill can make room
      const event = makeEvent();
      added.push(event);
      writer.add(event);
    }
    expect(spilled.length).toBeGreaterThan(0);
    expect(writer.stats.spilled).toBe(spilled.length);
    expect(errors.some((error) => BufferFullError.isInstance(error))).toBe(true);
    storage.release();
    await writer.flush();
    expect(storage.events.length + spilled.length).toBe(added.length);
    expect([...ids(storage.events), ...ids(spilled)].sort()).toEqual(ids(added));
    expect(ids(settledAsSpilled)).toEqual(ids(spilled));
  });

  it("nothing is dropped or doubled: stored + spilled == added, whatever the batching, bound, failures and spill", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          batchSize: fc.integer({ min: 1, max: 5 }),
          extraRoom: fc.integer({ min: 0, max: 5 }),
          events: fc.integer({ min: 0, max: 30 }),
          failures: fc.integer({ min: 0, max: 3 }),
          commitBeforeFailing: fc.boolean(),
          withSpill: fc.boolean(),
        }),
        async ({ batchSize, extraRoom, events, failures, commitBeforeFailing, withSpill }) => {
          const storage = new FlakyStorage(failures, commitBeforeFailing);
          const spilled: UsageEvent[] = [];
          const writer = new BatchWriter({
            storage,
            batchSize,
            maxBufferSize: batchSize + extraRoom,
            flushInterval: 5,
            retryBaseDelayMs: 1,
            retryMaxDelayMs: 2,
            ...(withSpill ? { spill: async (overflow: readonly UsageEvent[]) => void spilled.push(...overflow) } : {}),
            onError: () => {},
          });
          const added: UsageEvent[] = [];
          for (let index = 0; index < events; index += 1) {
            await writer.waitForSpace();
            const event = makeEvent();
            added.push(event);
            writer.add(event);
          }
          await writer.shutdown({ timeoutMs: 5_000 });
          expect(writer.stats.pending).toBe(0);
          expect([...ids(storage.events), ...ids(spilled)].sort()).toEqual(ids(added));
          expect(writer.stats.written + writer.stats.spilled).toBeGreaterThanOrEqual(added.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("isolates events the storage refuses for good, stores the rest, and settles each event exactly once", async () => {
    // Refuses, for good, any batch holding a poison event (as a database refuses a bad row).
    class PoisonStorage extends MemoryStorage {
      override async write(events: readonly UsageEvent[]): Promise<void> {
        if (events.some((event) => event.dimensions.user_id === "poison")) {
          throw new StorageError({ message: "invalid input syntax", eventCount: events.length, attempt: 1, isRetryable: false });
        }
        await super.write(events);
      }
    }
    const storage = new PoisonStorage();
    const settled = new Map<string, string[]>();
    const errors: unknown[] = [];
    const writer = new BatchWriter({
      storage,
      batchSize: 8,
      flushInterval: 60_000,
      onError: (error) => errors.push(error),
      onSettled: (events, how) => {
        for (const event of events) settled.set(event.id, [...(settled.get(event.id) ?? []), how]);
      },
    });
    const added = Array.from({ length: 20 }, (_, index) => (index % 7 === 3 ? createTestEvent({ dimensions: { user_id: "poison" } }) : makeEvent()));
    for (const event of added) writer.add(event);
    await writer.flush();
    const poison = added.filter((event) => event.dimensions.user_id === "poison");
    expect(storage.events).toHaveLength(added.length - poison.length);
    expect(writer.stats.rejected).toBe(poison.length);
    for (const event of added) expect(settled.get(event.id)).toEqual([event.dimensions.user_id === "poison" ? "rejected" : "stored"]);
    const refused = errors.filter((error) => StorageError.isInstance(error)).flatMap((error) => (error as StorageError).events ?? []);
    expect(ids(refused)).toEqual(ids(poison));
  });

  it("refuses nonsensical sizes", () => {
    const storage = new MemoryStorage();
    expect(() => new BatchWriter({ storage, batchSize: 0, onError: () => {} })).toThrow(RangeError);
    expect(() => new BatchWriter({ storage, batchSize: 10, maxBufferSize: 5, onError: () => {} })).toThrow(RangeError);
  });
});
