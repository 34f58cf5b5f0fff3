import { BufferFullError } from "../errors/buffer-full-error";
import { FlushTimeoutError } from "../errors/flush-timeout-error";
import { StorageError } from "../errors/storage-error";
import { WriterStoppedError } from "../errors/writer-stopped-error";
import type { UsageEvent } from "../event/usage-event";
import type { UsageStorage } from "../storage/usage-storage";

/** Options of the batching writer. */
export interface BatchWriterOptions {
  storage: UsageStorage;
  /** Events per write; a full batch is written at once. Default 100. */
  batchSize?: number;
  /** Longest time an event waits in the buffer, in ms. Default 5000. */
  flushInterval?: number;
  /** Events held (buffered plus being written) before new calls wait for room. Default 10000. */
  maxBufferSize?: number;
  /** First retry delay in ms, doubled each attempt with jitter. Default 100. */
  retryBaseDelayMs?: number;
  /** Longest retry delay in ms. Default 30000. */
  retryMaxDelayMs?: number;
  /**
   * Takes the overflow when the buffer is full instead of making calls wait, e.g. a file or a queue.
   * Events handed to it count as taken care of.
   */
  spill?: (events: readonly UsageEvent[]) => Promise<void>;
  /** Background problems: failed writes (they are retried), a full buffer. */
  onError: (error: unknown) => void;
  /** Called after each successful write. */
  onWritten?: (events: readonly UsageEvent[]) => void;
  /**
   * Called when events leave the writer's care: stored, refused for good (and reported), or spilled.
   * A spool uses it to reclaim their space.
   */
  onSettled?: (events: readonly UsageEvent[], how: "stored" | "rejected" | "spilled") => void;
}

/** Counters of the writer, for monitoring. */
export interface BatchWriterStats {
  /** Events stored. */
  written: number;
  /** Events handed to `spill`. */
  spilled: number;
  /** Events the storage refused for good, each handed to `onError` inside a `StorageError` (`.events`). */
  rejected: number;
  /** Events in the buffer or being written. */
  pending: number;
  /** Failed write attempts (each retried). */
  failedWrites: number;
  /** Times a call had to wait for room in a full buffer. */
  backpressureWaits: number;
}

/**
 * Buffers events and writes them in batches, one write at a time, in order. Failed writes are retried
 * with jittered exponential backoff (honouring a storage's `retryAfterMs`) until they succeed: nothing is
 * dropped. The timer never keeps a process alive.
 */
export class BatchWriter {
  private readonly options: Required<Omit<BatchWriterOptions, "spill" | "onWritten" | "onSettled">> & Pick<BatchWriterOptions, "spill" | "onWritten" | "onSettled">;
  private buffer: UsageEvent[] = [];
  private inFlight: readonly UsageEvent[] = [];
  private exporting: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private spaceWaiters: (() => void)[] = [];
  private doneWaiters: { target: number; resolve: () => void }[] = [];
  private added = 0;
  private settled = 0;
  private stopped = false;
  private reportedFull = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly counters = { written: 0, spilled: 0, rejected: 0, failedWrites: 0, backpressureWaits: 0 };

  constructor(options: BatchWriterOptions) {
    this.options = {
      batchSize: 100,
      flushInterval: 5000,
      maxBufferSize: 10_000,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 30_000,
      ...options,
    };
    if (!(this.options.batchSize >= 1)) throw new RangeError("batchSize must be at least 1");
    if (!(this.options.maxBufferSize >= this.options.batchSize)) throw new RangeError("maxBufferSize must be at least batchSize");
  }

  /** Counters for monitoring. */
  get stats(): BatchWriterStats {
    return { ...this.counters, pending: this.buffer.length + this.inFlight.length };
  }

  /** How many more events the buffer takes before it is full (0 when full). */
  get room(): number {
    return Math.max(0, this.options.maxBufferSize - this.buffer.length - this.inFlight.length);
  }

  /** True when the buffer holds `maxBufferSize` events or more. */
  get isFull(): boolean {
    return this.buffer.length + this.inFlight.length >= this.options.maxBufferSize;
  }

  /**
   * Adds one event. Never refuses for lack of room: the bound is enforced by `waitForSpace` before calls
   * start. After `shutdown` the event goes to `onError` inside a `WriterStoppedError`.
   */
  add(event: UsageEvent): void {
    if (this.stopped) {
      // After shutdown nothing is written any more: hand the event back rather than hold it silently.
      this.options.onError(new WriterStoppedError({ events: [event] }));
      return;
    }
    this.added += 1;
    this.buffer.push(event);
    if (this.buffer.length >= this.options.batchSize) this.startExport();
    else this.armTimer();
  }

  /**
   * Resolves when there is room for more events. When the buffer is full it spills the overflow (when a
   * spill is configured) or waits for storage to catch up, and says so once through `onError`.
   */
  async waitForSpace(): Promise<void> {
    if (!this.isFull) return;
    if (!this.reportedFull) {
      this.reportedFull = true;
      this.options.onError(new BufferFullError({ buffered: this.buffer.length + this.inFlight.length, maxBufferSize: this.options.maxBufferSize }));
    }
    if (this.options.spill) {
      const overflow = this.buffer;
      this.buffer = [];
      try {
        await this.options.spill(overflow);
        this.counters.spilled += overflow.length;
        this.options.onSettled?.(overflow, "spilled");
        this.markSettled(overflow.length);
        return;
      } catch (error) {
        // The spill failed: the events go back in front, in order, and the caller waits instead.
        this.buffer = overflow.concat(this.buffer);
        this.options.onError(error);
      }
    }
    this.counters.backpressureWaits += 1;
    this.startExport();
    await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Resolves when every event added before the call is stored (or spilled). Retries until it is. */
  flush(): Promise<void> {
    const target = this.added;
    if (this.settled >= target) return Promise.resolve();
    this.startExport();
    return new Promise((resolve) => this.doneWaiters.push({ target, resolve }));
  }

  /**
   * Flushes and stops, once; later calls return the same promise. Rejects with `FlushTimeoutError`, which
   * carries the unstored events, when storage has not taken them within `timeoutMs` (default 10 s).
   */
  shutdown(options: { timeoutMs?: number } = {}): Promise<void> {
    this.shutdownPromise ??= this.runShutdown(options.timeoutMs ?? 10_000);
    return this.shutdownPromise;
  }

  private async runShutdown(timeoutMs: number): Promise<void> {
    this.clearTimer();
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timeout = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([this.flush().then(() => "done" as const), timedOut]);
    clearTimeout(timeout);
    this.stopped = true;
    this.releaseSpaceWaiters();
    if (outcome === "timeout") {
      // Whatever is still held goes back to the caller; storage is idempotent on id, so keeping a copy
      // that a last in-flight attempt also stored is harmless.
      throw new FlushTimeoutError({ events: [...this.inFlight, ...this.buffer], timeoutMs });
    }
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startExport();
    }, this.options.flushInterval);
    // A pending flush must not keep a Node process alive; elsewhere timers have no such notion.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startExport(): void {
    this.clearTimer();
    this.exporting ??= this.exportLoop().finally(() => {
      this.exporting = undefined;
      if (this.buffer.length === 0 || this.stopped) return;
      // Work that arrived while the loop was finishing: someone awaits it, or a full batch is ready.
      const awaited = this.doneWaiters.length > 0 || this.spaceWaiters.length > 0 || this.buffer.length >= this.options.batchSize;
      if (awaited) this.startExport();
      else this.armTimer();
    });
  }

  private async exportLoop(): Promise<void> {
    while (this.buffer.length > 0 && !this.stopped) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      this.inFlight = batch;
      const stored = await this.writeWithRetry(batch);
      this.inFlight = [];
      if (!stored) {
        this.buffer = batch.concat(this.buffer);
        return;
      }
      this.markSettled(batch.length);
      if (!this.isFull) this.releaseSpaceWaiters();
    }
  }

  private async writeWithRetry(batch: readonly UsageEvent[]): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.storage.write(batch);
        this.counters.written += batch.length;
        this.options.onWritten?.(batch);
        this.options.onSettled?.(batch, "stored");
        return true;
      } catch (cause) {
        this.counters.failedWrites += 1;
        const error = StorageError.isInstance(cause)
          ? cause
          : new StorageError({ message: `Writing ${batch.length} usage event(s) failed (attempt ${attempt}); retrying.`, eventCount: batch.length, attempt, cause });
        if (!error.isRetryable) return this.isolateRefused(batch, error);
        this.options.onError(error);
        if (this.stopped) return false;
        // While someone awaits a flush the retry must keep the process alive; otherwise it must not.
        await sleep(this.retryDelay(attempt, error.retryAfterMs), this.doneWaiters.length > 0);
        if (this.stopped) return false;
      }
    }
  }

  /**
   * The storage refused the batch for good (bad data): halve it until the refused events stand alone,
   * store the rest, and hand each refused event to `onError` — a poison event never blocks the others.
   */
  private async isolateRefused(batch: readonly UsageEvent[], error: StorageError): Promise<boolean> {
    if (batch.length === 1) {
      this.counters.rejected += 1;
      this.options.onError(new StorageError({ message: `Storage refused usage event ${batch[0]?.id} for good; it is attached as .events. ${error.message}`, eventCount: 1, attempt: error.attempt, isRetryable: false, events: batch, cause: error }));
      this.options.onSettled?.(batch, "rejected");
      return true;
    }
    const middle = Math.ceil(batch.length / 2);
    const first = await this.writeWithRetry(batch.slice(0, middle));
    return first && (await this.writeWithRetry(batch.slice(middle)));
  }

  private retryDelay(attempt: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(this.options.retryMaxDelayMs, this.options.retryBaseDelayMs * 2 ** (attempt - 1));
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  private markSettled(count: number): void {
    this.settled += count;
    this.doneWaiters = this.doneWaiters.filter((waiter) => {
      if (this.settled < waiter.target) return true;
      waiter.resolve();
      return false;
    });
  }

  private releaseSpaceWaiters(): void {
    this.reportedFull = false;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function sleep(ms: number, keepAlive: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!keepAlive) (timer as { unref?: () => void }).unref?.();
  });
}
