/** What `handleShutdownSignals` needs of a UsagePilot. */
export interface ShutdownTarget {
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
}

/** Options of `handleShutdownSignals`. */
export interface ShutdownSignalOptions {
  /** Signals to handle. Default ["SIGTERM", "SIGINT"]. */
  signals?: readonly NodeJS.Signals[];
  /** Longest time to flush before exiting, ms. Default 10,000 (orchestrators usually allow 30 s). */
  timeoutMs?: number;
  /** Exit code after a clean flush; 1 is used when the flush failed or ran out of time. Default 0. */
  exitCode?: number;
  /** Called with the flush error, if any, before exiting. Default: console.error. */
  onError?: (error: unknown) => void;
  /** Ends the process. Default `process.exit`; tests and frameworks that exit themselves pass their own. */
  exit?: (code: number) => void;
}

/**
 * Opt-in: on SIGTERM/SIGINT, shut UsagePilot down (flush the buffer, sync the spool) within a deadline, then
 * exit. A second signal while flushing exits at once. Returns a function that removes the handlers.
 *
 * @example
 * handleShutdownSignals(usage, { timeoutMs: 8_000 });
 */
export function handleShutdownSignals(usage: ShutdownTarget, options: ShutdownSignalOptions = {}): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const report = options.onError ?? ((error: unknown) => console.error("[usagepilot]", error));
  let stopping = false;
  const onSignal = () => {
    if (stopping) {
      exit(1);
      return;
    }
    stopping = true;
    usage.shutdown({ timeoutMs: options.timeoutMs ?? 10_000 }).then(
      () => exit(options.exitCode ?? 0),
      (error: unknown) => {
        report(error);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
