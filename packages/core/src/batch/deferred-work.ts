/** Work taken off the caller's path. An object with a method, so queuing it allocates no closure. */
export interface DeferredTask {
  run(): void;
  /** True when the task is small enough to run while a caller waits on the network (`soon`). */
  readonly small: boolean;
}

/** Work taken off the caller's path: run together a little later, or at once by `drain`. */
export interface DeferredWork {
  /** Queues `task`; the queue runs within `delayMs`, while the caller goes on. */
  defer(task: DeferredTask): void;
  /**
   * A request just left and its caller now waits for the answer: the small tasks at the head of the
   * queue run in that wait (the next turn of the event loop), rather than later on some caller's time.
   */
  soon(): void;
  /** Runs everything queued now (flush and shutdown call it first). */
  drain(): void;
  /** Tasks waiting to run. */
  readonly size: number;
}

/**
 * The runtime's next turn of the event loop, after I/O already waiting (Node, Bun), looked up when
 * used; where a runtime has none, queued work waits for the timer.
 */
function nextTurn(): ((callback: () => void) => unknown) | undefined {
  return (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
}

/**
 * Metering must not lengthen a call: reading the usage, pricing and checking an event happen here,
 * after the caller already has its answer. Queued tasks run together on one timer, `delayMs` after the
 * first: one timer per batch rather than an event-loop turn per call, and the batch runs on warm code.
 * Small tasks (a body read whole) also run when the next request leaves (`soon`): the thread would
 * otherwise sit idle until that answer arrives. A stream's task is larger than such a wait and stays on
 * the timer. A task that waits may hold its response (a body read whole, until it runs soon), so it
 * should hold little else. The timer is not unref'd: a process that ends on its own still records (and
 * spools) what it captured. Errors thrown by tasks go to `onError`.
 */
export function createDeferredWork(onError: (error: unknown) => void, delayMs: number): DeferredWork {
  let queue: DeferredTask[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let soonPending = false;
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
    while (queue.length > 0) {
      const tasks = queue;
      queue = [];
      run(tasks);
    }
  };
  const runSmall = () => {
    soonPending = false;
    let count = 0;
    while (count < queue.length && queue[count]!.small) count += 1;
    if (count === 0) return;
    const tasks = count === queue.length ? queue : queue.slice(0, count);
    queue = count === queue.length ? [] : queue.slice(count);
    if (queue.length === 0) stopTimer();
    run(tasks);
  };
  return {
    defer(task) {
      queue.push(task);
      timer ??= setTimeout(drain, delayMs);
    },
    soon() {
      if (soonPending || queue.length === 0 || !queue[0]!.small) return;
      const schedule = nextTurn();
      if (schedule === undefined) return;
      soonPending = true;
      schedule(runSmall);
    },
    drain,
    get size() {
      return queue.length;
    },
  };
}
