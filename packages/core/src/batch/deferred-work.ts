/** Work taken off the caller's path. An object with a method, so queuing it allocates no closure. */
export interface DeferredTask {
  run(): void;
}

/** Work taken off the caller's path: run together a little later, or at once by `drain`. */
export interface DeferredWork {
  /** Queues `task`; the queue runs within `delayMs`, while the caller goes on. */
  defer(task: DeferredTask): void;
  /** Runs everything queued now (flush and shutdown call it first); returns how many tasks ran. */
  drain(): number;
  /** Tasks waiting to run. */
  readonly size: number;
}

/**
 * Metering must not lengthen a call: reading the usage, pricing and checking an event happen here,
 * after the caller already has its answer. Queued tasks run together on one timer, `delayMs` after the
 * first: one timer per batch rather than an event-loop turn per call, and the batch runs on warm code.
 * (Running each task alone in the next request's network wait cost twice as much: between two calls the
 * HTTP client evicts metering's code and data from the caches.) A task that waits may hold its response
 * (a body read whole), so it should hold little else. The timer is not unref'd: a process that ends on
 * its own still records (and spools) what it captured. Errors thrown by tasks go to `onError`.
 */
export function createDeferredWork(onError: (error: unknown) => void, delayMs: number): DeferredWork {
  let queue: DeferredTask[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (tasks: readonly DeferredTask[]) => {
    for (const task of tasks) {
      try {
        task.run();
      } catch (error) {
        onError(error);
      }
    }
  };
  const stopTimer = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
  };
  const drain = () => {
    stopTimer();
    let ran = 0;
    while (queue.length > 0) {
      const tasks = queue;
      queue = [];
      run(tasks);
      ran += tasks.length;
    }
    return ran;
  };
  return {
    defer(task) {
      queue.push(task);
      timer ??= setTimeout(drain, delayMs);
    },
    drain,
    get size() {
      return queue.length;
    },
  };
}
