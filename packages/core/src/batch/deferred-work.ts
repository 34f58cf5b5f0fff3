/** Work taken off the caller's path. An object with a method, so queuing it allocates no closure. */
export interface DeferredTask {
  run(): void;
}

/** Work taken off the caller's path: run together in one macrotask, or at once by `drain`. */
export interface DeferredWork {
  /** Queues `task`; the queue runs soon, while the caller waits on its own I/O. */
  defer(task: DeferredTask): void;
  /** Runs everything queued now (flush and shutdown call it first). */
  drain(): void;
  /** Tasks waiting to run. */
  readonly size: number;
}

type Scheduler = (callback: () => void) => void;

/**
 * Runs `callback` once the current I/O callbacks are done: `setImmediate` where the runtime has it (Node,
 * Bun: cheaper than a timer, and it never outlives the loop turn), else a zero timer. A drain that
 * finds the queue already emptied by flush() does nothing.
 */
const schedule: Scheduler = (globalThis as { setImmediate?: Scheduler }).setImmediate ?? ((callback) => void setTimeout(callback, 0));

/**
 * Metering must not lengthen a call: reading the usage, pricing and checking an event happen here,
 * after the caller already has its answer. Errors thrown by queued work go to `onError`. The queue runs
 * in the next macrotask rather than in timed bursts: responses held for a burst survive young garbage
 * collections, which took back what running warm saved (BENCHMARKS.md).
 */
export function createDeferredWork(onError: (error: unknown) => void): DeferredWork {
  let queue: DeferredTask[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    while (queue.length > 0) {
      const tasks = queue;
      queue = [];
      for (const task of tasks) {
        try {
          task.run();
        } catch (error) {
          onError(error);
        }
      }
    }
  };
  return {
    defer(task) {
      queue.push(task);
      if (!scheduled) {
        scheduled = true;
        schedule(drain);
      }
    },
    drain,
    get size() {
      return queue.length;
    },
  };
}
