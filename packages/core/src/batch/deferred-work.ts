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

/** When queued work runs. */
export interface DeferredWorkOptions {
  /**
   * How long work may wait to be run together with more, in ms. 0 runs it in the next macrotask; more
   * runs a burst of calls in one go, which costs much less per call (the code and data are warm).
   */
  maxDelayMs: number;
  /** Run at once when this many tasks are waiting, whatever the delay. */
  maxTasks: number;
}

type Scheduler = (callback: () => void) => void;

/**
 * Runs `callback` once the current I/O callbacks are done: `setImmediate` where the runtime has it (Node,
 * Bun: cheaper than a timer, and it never outlives the loop turn), else a zero timer.
 */
const immediately: Scheduler = (globalThis as { setImmediate?: Scheduler }).setImmediate ?? ((callback) => void setTimeout(callback, 0));

/**
 * Metering must not lengthen a call: reading the usage, pricing and checking an event happen here,
 * after the caller already has its answer. Errors thrown by queued work go to `onError`. A drain that
 * finds the queue already emptied by flush() does nothing; a delay timer never holds the process open.
 */
export function createDeferredWork(onError: (error: unknown) => void, options: DeferredWorkOptions = { maxDelayMs: 0, maxTasks: Infinity }): DeferredWork {
  let queue: DeferredTask[] = [];
  let scheduled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drain = () => {
    scheduled = false;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
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
  const schedule = () => {
    scheduled = true;
    if (options.maxDelayMs <= 0) {
      immediately(drain);
      return;
    }
    timer = setTimeout(drain, options.maxDelayMs);
    (timer as { unref?: () => void }).unref?.();
  };
  return {
    defer(task) {
      queue.push(task);
      if (queue.length >= options.maxTasks) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        scheduled = true;
        immediately(drain);
      } else if (!scheduled) schedule();
    },
    drain,
    get size() {
      return queue.length;
    },
  };
}
