import { describe, expect, it, vi } from "vitest";
import { createDeferredWork, type DeferredTask } from "./deferred-work";

const task = (log: number[], value: number): DeferredTask => ({ run: () => log.push(value) });

const failing: DeferredTask = {
  run: () => {
    throw new Error("boom");
  },
};

function withFakeTimers(body: () => void): void {
  vi.useFakeTimers();
  try {
    body();
  } finally {
    vi.useRealTimers();
  }
}

describe("createDeferredWork", () => {
  it("runs queued tasks together once, in order, delayMs after the first", () =>
    withFakeTimers(() => {
      const log: number[] = [];
      const work = createDeferredWork(() => {}, 10);
      work.defer(task(log, 1));
      vi.advanceTimersByTime(5);
      work.defer(task(log, 2));
      expect(log).toEqual([]);
      expect(work.size).toBe(2);
      vi.advanceTimersByTime(4);
      expect(log).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(log).toEqual([1, 2]);
      expect(work.size).toBe(0);
      // The next task starts a new batch with its own delay.
      work.defer(task(log, 3));
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(10);
      expect(log).toEqual([1, 2, 3]);
    }));

  it("drain runs what is queued at once and cancels the pending timer", () =>
    withFakeTimers(() => {
      const log: number[] = [];
      const work = createDeferredWork(() => {}, 10);
      work.defer(task(log, 1));
      expect(work.drain()).toBe(1);
      expect(log).toEqual([1]);
      expect(vi.getTimerCount()).toBe(0);
      expect(work.drain()).toBe(0);
      work.defer(task(log, 2));
      vi.advanceTimersByTime(10);
      expect(log).toEqual([1, 2]);
    }));

  it("a task queued by a running task runs in the same batch", () => {
    const log: number[] = [];
    const work = createDeferredWork(() => {}, 10);
    work.defer({ run: () => (log.push(1), work.defer(task(log, 2))) });
    expect(work.drain()).toBe(2);
    expect(log).toEqual([1, 2]);
    expect(work.size).toBe(0);
  });

  it("its timer holds the process open, so a process that ends on its own still records its last calls", async () => {
    const timeouts: { hasRef(): boolean }[] = [];
    const original = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number) => {
      const timeout = original(callback, ms);
      timeouts.push(timeout as unknown as { hasRef(): boolean });
      return timeout;
    }) as typeof setTimeout);
    try {
      const log: number[] = [];
      const work = createDeferredWork(() => {}, 1);
      work.defer(task(log, 1));
      expect(timeouts).toHaveLength(1);
      expect(timeouts[0]!.hasRef()).toBe(true);
    } finally {
      spy.mockRestore();
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it("a task that throws is reported and the others still run", () => {
    const errors: unknown[] = [];
    const log: number[] = [];
    const work = createDeferredWork((error) => errors.push(error), 10);
    work.defer(failing);
    work.defer(task(log, 1));
    work.drain();
    expect(log).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});
