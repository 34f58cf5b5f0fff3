import { type BodyWatcher, observeBody, type WatchOptions } from "./observe-body";
import { createPrototypeDeriver, methodDescriptor } from "./prototype-deriver";
import type { BodyEnd } from "../provider/provider-adapter-v1";

interface BodyWatch {
  readonly watcher: BodyWatcher;
  readonly options: WatchOptions;
  ended: boolean;
  /** A pass-through copy the stream is read through once a pipe, tee or BYOB read asked for it. */
  copy: ReadableStream<Uint8Array> | undefined;
  /** Reactions to a read's promise, which the caller gets itself: they never throw (nothing would catch it). */
  readonly onRead: (result: ReadableStreamReadResult<Uint8Array>) => void;
  readonly onError: (error: unknown) => void;
}

const streamWatchKey = Symbol("usagepilot.bodyWatch");
const readerWatchKey = Symbol("usagepilot.readerWatch");
type Watched = { [streamWatchKey]?: BodyWatch; [readerWatchKey]?: BodyWatch };

function end(watch: BodyWatch, how: BodyEnd): void {
  if (watch.ended) return;
  watch.ended = true;
  watch.watcher.end(how);
}

/** The stream's watch while its own readers are watched (not once it is read through a copy). */
function directWatch(stream: object): BodyWatch | undefined {
  const watch = (stream as Watched)[streamWatchKey];
  return watch && !watch.copy ? watch : undefined;
}

function copyOf(stream: ReadableStream<Uint8Array>, watch: BodyWatch): ReadableStream<Uint8Array> {
  // Set before the copy takes its reader, so that reader is left unwatched (the copy watches instead).
  watch.copy ??= observeBody(stream, watch.watcher, watch.options);
  return watch.copy;
}

// A default reader's read() reports each chunk and the end; cancel() reports the caller leaving.
const readerPrototypes = createPrototypeDeriver((prototype) => {
  const { read, cancel } = prototype;
  if (typeof read !== "function" || typeof cancel !== "function") return null;
  return {
    read: methodDescriptor(function (this: Watched) {
      const pending = read.call(this) as Promise<ReadableStreamReadResult<Uint8Array>>;
      const watch = this[readerWatchKey];
      // The caller gets the read's own promise: the watch's reaction, registered first, runs first, and the
      // caller's code then runs in the same turn rather than one promise later.
      if (watch) void pending.then(watch.onRead, watch.onError);
      return pending;
    }),
    cancel: methodDescriptor(function (this: Watched, reason?: unknown) {
      const watch = this[readerWatchKey];
      if (watch) end(watch, "cancelled");
      return cancel.call(this, reason) as Promise<void>;
    }),
  };
});

/** An async iterator over a (watched) reader, as ReadableStream's own `values()` behaves. */
function iterate(reader: ReadableStreamDefaultReader<Uint8Array>, preventCancel: boolean): AsyncIterableIterator<Uint8Array> {
  let finished = false;
  return {
    async next() {
      if (finished) return { done: true, value: undefined };
      try {
        const result = await reader.read();
        if (result.done) {
          finished = true;
          reader.releaseLock();
          return { done: true, value: undefined };
        }
        return { done: false, value: result.value };
      } catch (error) {
        finished = true;
        reader.releaseLock();
        throw error;
      }
    },
    async return(value?: unknown) {
      if (!finished) {
        finished = true;
        const cancelled = preventCancel ? undefined : reader.cancel(value);
        reader.releaseLock();
        await cancelled;
      }
      return { done: true, value: value as Uint8Array };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

// The body stream: its default readers and iterators are watched in place; pipes, tees and BYOB readers
// go through a pass-through copy (they use the stream's internals, not its reader).
const streamPrototypes = createPrototypeDeriver((prototype) => {
  const { getReader, cancel } = prototype;
  if (typeof getReader !== "function" || typeof cancel !== "function") return null;
  const descriptors: PropertyDescriptorMap = {
    getReader: methodDescriptor(function (this: ReadableStream<Uint8Array>, options?: { mode?: "byob" }) {
      const watch = directWatch(this);
      if (!watch) return getReader.call(this, options) as ReadableStreamDefaultReader<Uint8Array>;
      if (options?.mode !== undefined) return copyOf(this, watch).getReader(options as { mode: "byob" });
      const reader = getReader.call(this) as ReadableStreamDefaultReader<Uint8Array> & Watched;
      if (readerPrototypes.swap(reader, readerWatchKey, watch)) return reader;
      reader.releaseLock();
      return copyOf(this, watch).getReader();
    }),
    cancel: methodDescriptor(function (this: ReadableStream<Uint8Array>, reason?: unknown) {
      const watch = directWatch(this);
      if (watch && !this.locked) end(watch, "cancelled");
      return cancel.call(this, reason) as Promise<void>;
    }),
  };
  const values = function (this: ReadableStream<Uint8Array>, options?: { preventCancel?: boolean }) {
    const watch = directWatch(this);
    if (!watch) return (prototype.values as (options?: unknown) => AsyncIterableIterator<Uint8Array>).call(this, options);
    return iterate(this.getReader(), options?.preventCancel === true);
  };
  if (typeof prototype.values === "function") descriptors.values = methodDescriptor(values);
  if (typeof prototype[Symbol.asyncIterator] === "function") descriptors[Symbol.asyncIterator] = methodDescriptor(values);
  for (const name of ["pipeThrough", "pipeTo", "tee"] as const) {
    const original = prototype[name];
    if (typeof original !== "function") continue;
    descriptors[name] = methodDescriptor(function (this: ReadableStream<Uint8Array>, ...args: unknown[]) {
      const watch = directWatch(this);
      return (original as (...parameters: unknown[]) => unknown).apply(watch ? copyOf(this, watch) : this, args);
    });
  }
  return descriptors;
});

/**
 * The body to hand the caller, watched: the same stream, whose readers report each chunk as the caller
 * reads it (no second stream on the way), or a pass-through copy when it cannot be instrumented or the
 * caller's cancel must not reach upstream (`drainOnCancel`).
 */
export function watchBody(stream: ReadableStream<Uint8Array>, watcher: BodyWatcher, options: WatchOptions): ReadableStream<Uint8Array> {
  if (options.drainOnCancel || stream.locked || (stream as Watched)[streamWatchKey]) return observeBody(stream, watcher, options);
  const watch: BodyWatch = {
    watcher,
    options,
    ended: false,
    copy: undefined,
    // A watcher must not throw; were one to, its error is dropped here rather than left unhandled.
    onRead: (result) => {
      try {
        if (result.done) end(watch, "finished");
        else if (!watch.ended) watcher.chunk(result.value);
      } catch {}
    },
    onError: () => {
      try {
        end(watch, options.isCallerAbort() ? "cancelled" : "failed");
      } catch {}
    },
  };
  return streamPrototypes.swap(stream, streamWatchKey, watch) ? stream : observeBody(stream, watcher, options);
}
