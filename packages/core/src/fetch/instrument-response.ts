import { watchBody } from "./instrument-body";
import type { BodyWatcher, WatchOptions } from "./observe-body";
import { createPrototypeDeriver, methodDescriptor } from "./prototype-deriver";

/** A whole body as the caller read it: text, a parsed JSON value, or text that was not JSON. */
export type WholeBody = { text: string } | { json: unknown } | { notJson: true };

/** What the instrumented response reports: a body watcher that also takes a whole body at once. */
export interface ResponseWatcher extends BodyWatcher {
  whole(body: WholeBody): void;
}

const readers = ["json", "text", "arrayBuffer", "bytes", "blob", "formData"] as const;

interface Watch {
  watcher: ResponseWatcher;
  options: WatchOptions;
  /** The pass-through body, made on the first `body` access. */
  observed: ReadableStream<Uint8Array> | null | undefined;
}

// Per-response state, under a symbol (invisible to keys, JSON and for-in): a WeakMap would make every
// garbage collection trace one more entry per live response.
const watchKey = Symbol("usagepilot.watch");
type Watched = { [watchKey]?: Watch };

function bodyDescriptor(prototype: object): PropertyDescriptor | undefined {
  for (let current: object | null = prototype; current !== null; current = Object.getPrototypeOf(current) as object | null) {
    const body = Object.getOwnPropertyDescriptor(current, "body");
    if (body) return body;
  }
  return undefined;
}

const responsePrototypes = createPrototypeDeriver((methods) => {
  const body = bodyDescriptor(methods);
  if (!body) return null;
  const readBody = (response: object) => (body.get ? body.get.call(response) : body.value) as ReadableStream<Uint8Array> | null;
  const descriptors: PropertyDescriptorMap = {
    body: {
      configurable: true,
      enumerable: body.enumerable ?? true,
      get(this: Watched) {
        const watch = this[watchKey];
        if (!watch) return readBody(this);
        if (watch.observed === undefined) {
          const original = readBody(this);
          watch.observed = original === null ? null : watchBody(original, watch.watcher, watch.options);
        }
        return watch.observed;
      },
    },
  };
  for (const name of readers) {
    const original = methods[name];
    if (typeof original !== "function") continue;
    // The caller gets the reader's own promise, as with a stream reader's read(): the watch's reaction,
    // registered first, runs first, and the caller's code then runs in the same turn (chaining on it cost
    // one more promise and turn on every call).
    descriptors[name] = methodDescriptor(function (this: Watched, ...args: unknown[]) {
      const watch = this[watchKey];
      if (!watch) return original.apply(this, args) as unknown;
      // Reactions nobody else awaits: they must not throw (it would surface as an unhandled rejection).
      const done = (result: unknown): void => {
        try {
          report(name, result, watch.watcher);
        } catch {}
      };
      const failed = (error: unknown): void => {
        try {
          if (name === "json" && error instanceof SyntaxError) watch.watcher.whole({ notJson: true });
          else watch.watcher.end(watch.options.isCallerAbort() ? "cancelled" : "failed");
        } catch {}
      };
      let pending: unknown;
      try {
        pending = original.apply(this, args);
      } catch (error) {
        failed(error);
        return Promise.reject(error);
      }
      // A reader that does not return a native promise (a polyfilled Response) is followed through one.
      const settled = pending instanceof Promise ? pending : Promise.resolve(pending);
      void settled.then(done, failed);
      return settled;
    });
  }
  const clone = methods.clone;
  if (typeof clone === "function") {
    descriptors.clone = methodDescriptor(function (this: Watched) {
      const copy = clone.call(this) as Response;
      const watch = this[watchKey];
      if (watch) instrumentResponse(copy, watch.watcher, watch.options);
      return copy;
    });
  }
  return descriptors;
});

/**
 * Watches the caller's response without replacing it: the same object, status, headers and bytes. Its
 * body readers (`json()`, `text()`, ...) report what they return (so JSON is parsed once, by the
 * caller's own call), `body` becomes a pass-through stream built only when the caller asks for it, and a
 * clone reports to the same watcher.
 * The object's prototype becomes one that derives from its own class (so `instanceof Response` holds).
 * Returns false when the object cannot be instrumented (a frozen or unusual Response, or one already
 * watched by a metered fetch inside this one); the caller then wraps it.
 */
export function instrumentResponse(response: Response, watcher: ResponseWatcher, options: WatchOptions): boolean {
  if ((response as Watched)[watchKey] || Object.getOwnPropertyDescriptor(response, "body")) return false;
  const watch: Watch = { watcher, options, observed: undefined };
  return responsePrototypes.swap(response, watchKey, watch);
}

function report(name: (typeof readers)[number], result: unknown, watcher: ResponseWatcher): void {
  switch (name) {
    case "json":
      watcher.whole({ json: result });
      return;
    case "text":
      watcher.whole({ text: result as string });
      return;
    case "arrayBuffer":
    case "bytes":
      watcher.whole({ text: new TextDecoder().decode(result as ArrayBuffer | Uint8Array) });
      return;
    case "blob":
      void (result as Blob).text().then(
        (text) => watcher.whole({ text }),
        () => watcher.end("failed"),
      );
      return;
    case "formData":
      watcher.whole({ notJson: true });
      return;
  }
}
