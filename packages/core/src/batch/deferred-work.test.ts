import { describe, expect, it } from "vitest";
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

  it("drain runs what is queued at once, and the scheduled run then finds nothing", async () => {
    const log: number[] = [];
    const work = createDeferredWork(() => {});
    work.defer(task(log, 1));
    work.drain();
    expect(log).toEqual([1]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([1]);
    work.defer(task(log, 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual([1, 2]);
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
