/** Waits `ms` milliseconds, or less if `signal` aborts first (the server is closing). */
export function sleep(options: { ms: number; signal: AbortSignal }): Promise<void> {
  const { ms, signal } = options;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
