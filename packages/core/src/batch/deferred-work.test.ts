import { describe, expect, it, vi } from "vitest";
import { createDeferredWork, type DeferredTask } from "./deferred-work";

const task = (log: number[], value: number): DeferredTask => ({ run: () => log.push(value) });

describe("createDeferredWork", () => {
  it("without a delay runs queued tasks together in the next macrotask, in order", async () => {
    const log: number[] = [];
    const work = createDeferredWork(() => {});
    work.defer(task(log, 1));
    work.defer(task(log, 2));
    expect(log).toEqual([]);
    expect(work.size).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([1, 2]);
    expect(work.size).toBe(0);
  });

  it("with a delay waits for it, unless maxTasks are queued; drain runs everything at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const log: number[] = [];
      const work = createDeferredWork(() => {}, { maxDelayMs: 20, maxTasks: 3 });
      work.defer(task(log, 1));
      vi.advanceTimersByTime(19);
      expect(log).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(log).toEqual([1]);
      work.defer(task(log, 2));
      work.defer(task(log, 3));
      work.defer(task(log, 4));
      // The third queued task asks for an immediate run, and the delay timer is dropped.
      await new Promise((resolve) => setImmediate(resolve));
      expect(vi.getTimerCount()).toBe(0);
      expect(log).toEqual([1, 2, 3, 4]);
      work.defer(task(log, 5));
      work.drain();
      expect(log).toEqual([1, 2, 3, 4, 5]);
      vi.advanceTimersByTime(100);
      expect(log).toEqual([1, 2, 3, 4, 5]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a task that throws is reported and the others still run", () => {
    const errors: unknown[] = [];
    const log: number[] = [];
    const work = createDeferredWork((error) => errors.push(error));
    work.defer({
      run: () => {
        throw new Error("boom");
      },
    });
    work.defer(task(log, 1));
    work.drain();
    expect(log).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});
