import { type BodyWatcher, observeBody } from "./observe-body";

/** A whole body as the caller read it: text, a parsed JSON value, or text that was not JSON. */
export type WholeBody = { text: string } | { json: unknown } | { notJson: true };

/** What the instrumented response reports: a body watcher that also takes a whole body at once. */
export interface ResponseWatcher extends BodyWatcher {
  whole(body: WholeBody): void;
}

const readers = ["json", "text", "arrayBuffer", "bytes", "blob", "formData"] as const;

interface ResponseShape {
  body: PropertyDescriptor;
  readers: [name: (typeof readers)[number], original: (...parameters: unknown[]) => Promise<unknown>][];
  clone: (() => Response) | undefined;
}

// What instrumenting needs from a Response class, looked up once per prototype rather than per call.
const shapes = new WeakMap<object, ResponseShape | null>();

function shapeOf(response: Response): ResponseShape | null {
  const prototype = Object.getPrototypeOf(response) as object | null;
  if (prototype === null) return null;
  let shape = shapes.get(prototype);
  if (shape === undefined) {
    shape = null;
    let body: PropertyDescriptor | undefined;
    for (let current: object | null = prototype; current !== null && !body; current = Object.getPrototypeOf(current)) {
      body = Object.getOwnPropertyDescriptor(current, "body");
    }
    if (body) {
      const methods = prototype as unknown as Record<string, unknown>;
      shape = {
        body,
        readers: readers.flatMap((name) => (typeof methods[name] === "function" ? [[name, methods[name] as (...parameters: unknown[]) => Promise<unknown>] as ResponseShape["readers"][number]] : [])),
        clone: typeof methods.clone === "function" ? (methods.clone as () => Response) : undefined,
      };
    }
    shapes.set(prototype, shape);
  }
  return shape;
}

/**
 * Watches the caller's response without replacing it: the same object, status, headers and bytes. Its
 * body readers (`json()`, `text()`, ...) report what they return (so JSON is parsed once, by the
 * caller's own call), `body` becomes a pass-through stream built only when the caller asks for it, and
 * a clone reports to the same watcher. Returns false when the object cannot be instrumented (a frozen or
 * unusual Response); the caller then wraps it.
 */
export function instrumentResponse(response: Response, watcher: ResponseWatcher, options: { drainOnCancel: boolean; isCallerAbort: () => boolean }): boolean {
  const shape = shapeOf(response);
  if (!shape || Object.getOwnPropertyDescriptor(response, "body") || !Object.isExtensible(response)) return false;
  let observed: ReadableStream<Uint8Array> | null | undefined;
  const descriptors: PropertyDescriptorMap = {
    body: {
      configurable: true,
      enumerable: shape.body.enumerable ?? true,
      get() {
        if (observed === undefined) {
          const body = (shape.body.get ? shape.body.get.call(response) : shape.body.value) as ReadableStream<Uint8Array> | null;
          observed = body === null ? null : observeBody(body, watcher, options);
        }
        return observed;
      },
    },
  };
  for (const [name, original] of shape.readers) {
    descriptors[name] = {
      configurable: true,
      writable: true,
      value: async function (this: Response, ...args: unknown[]) {
        let result: unknown;
        try {
          result = await original.apply(this, args);
        } catch (error) {
          if (name === "json" && error instanceof SyntaxError) watcher.whole({ notJson: true });
          else watcher.end(options.isCallerAbort() ? "cancelled" : "failed");
          throw error;
        }
        report(name, result, watcher);
        return result;
      },
    };
  }
  const clone = shape.clone;
  if (clone) {
    descriptors.clone = {
      configurable: true,
      writable: true,
      value: function (this: Response) {
        const copy = clone.call(this);
        instrumentResponse(copy, watcher, options);
        return copy;
      },
    };
  }
  try {
    Object.defineProperties(response, descriptors);
  } catch {
    return false;
  }
  return true;
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
