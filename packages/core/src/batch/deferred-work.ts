/** Work taken off the caller's path: run together in one macrotask, or at once by `drain`. */
export interface DeferredWork {
  /** Queues `work`; a timer runs the queue soon, while the caller waits on its own I/O. */
  defer(work: () => void): void;
  /** Runs everything queued now (flush and shutdown call it first). */
  drain(): void;
}

/**
 * Metering must not lengthen a call: reading the usage, pricing and checking an event happen here,
 * after the caller already has its answer. Errors thrown by queued work go to `onError`.
 */
export function createDeferredWork(onError: (error: unknown) => void): DeferredWork {
  let queue: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drain = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
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
      if (timer === undefined) {
        timer = setTimeout(drain, 0);
        // Like the flush timer, this must not keep a process alive; flush() and shutdown() drain it.
        (timer as { unref?: () => void }).unref?.();
      }
    },
    drain,
  };
}
