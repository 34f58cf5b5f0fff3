import type { BodyEnd } from "../provider/provider-adapter-v1";

/** How a watched body treats the caller's cancelling. */
export interface WatchOptions {
  /** Keep reading upstream (for the watcher only) after the caller cancels, to learn the final numbers. */
  drainOnCancel: boolean;
  /** Whether the caller's own signal aborted (a failed read is then "cancelled", not "failed"). */
  isCallerAbort: () => boolean;
}

/** Callbacks of `observeBody`. None of them may throw into the stream. */
export interface BodyWatcher {
  chunk(bytes: Uint8Array): void;
  end(how: BodyEnd): void;
}

/**
 * A body stream that hands every chunk to the caller as it arrives and shows the same bytes to the
 * watcher: pull-driven, so nothing is read ahead of the caller or held back. When the caller cancels,
 * `drainOnCancel` keeps reading upstream (for the watcher only) to learn the provider's final numbers.
 */
export function observeBody(body: ReadableStream<Uint8Array>, watcher: BodyWatcher, options: WatchOptions): ReadableStream<Uint8Array> {
  // The upstream reader is taken on the first pull, so merely looking at `response.body` locks nothing.
  let upstream: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const reader = () => (upstream ??= body.getReader());
  let ended = false;
  const finish = (how: BodyEnd) => {
    if (ended) return;
    ended = true;
    watcher.end(how);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader().read();
        } catch (error) {
          finish(options.isCallerAbort() ? "cancelled" : "failed");
          controller.error(error);
          return;
        }
        if (result.done) {
          finish("finished");
          controller.close();
          return;
        }
        watcher.chunk(result.value);
        controller.enqueue(result.value);
      },
      async cancel(reason) {
        if (!options.drainOnCancel) {
          finish("cancelled");
          await reader().cancel(reason);
          return;
        }
        // The caller is gone; keep reading in the background for the watcher only.
        void (async () => {
          try {
            for (;;) {
              const result = await reader().read();
              if (result.done) break;
              watcher.chunk(result.value);
            }
            finish("finished");
          } catch {
            finish("cancelled");
          }
        })();
      },
    },
    { highWaterMark: 0 },
  );
}
