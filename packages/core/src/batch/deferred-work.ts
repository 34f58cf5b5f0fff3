/** Work taken off the caller's path: run together in one macrotask, or at once by `drain`. */
export interface DeferredWork {
  /** Queues `work`; the queue runs soon, while the caller waits on its own I/O. */
  defer(work: () => void): void;
  /** Runs everything queued now (flush and shutdown call it first). */
  drain(): void;
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
 * after the caller already has its answer. Errors thrown by queued work go to `onError`.
 */
export function createDeferredWork(onError: (error: unknown) => void): DeferredWork {
  let queue: (() => void)[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    while (queue.length > 0) {
      const work = queue;
      queue = [];
      for (const run of work) {
        try {
          run();
        } catch (error) {
          onError(error);
        }
      }
    }
  };
  return {
    defer(work) {
      queue.push(work);
      if (!scheduled) {
        scheduled = true;
        schedule(drain);
      }
    },
    drain,
  };
}
