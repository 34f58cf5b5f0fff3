import type { BodyEnd } from "../provider/provider-adapter-v1";
import { observeBody } from "./observe-body";

/** A whole body as the caller read it: text, a parsed JSON value, or text that was not JSON. */
export type WholeBody = { text: string } | { json: unknown } | { notJson: true };

/** What the instrumented response reports. Each call happens at most once per response, all told. */
export interface ResponseWatcher {
  chunk(bytes: Uint8Array): void;
  end(how: BodyEnd): void;
  whole(body: WholeBody): void;
}

const readers = ["json", "text", "arrayBuffer", "bytes", "blob", "formData"] as const;

function findDescriptor(target: object, name: string): PropertyDescriptor | undefined {
  for (let current: object | null = target; current !== null; current = Object.getPrototypeOf(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/**
 * Watches the caller's response without replacing it: the same object, status, headers and bytes. Its
 * body readers (`json()`, `text()`, ...) report what they return (so JSON is parsed once, by the
 * caller's own call), and `body` becomes a pass-through stream built only when the caller asks for it.
 * Returns false when the object cannot be instrumented (e.g. frozen); the caller then wraps it.
 */
export function instrumentResponse(response: Response, watcher: ResponseWatcher, options: { drainOnCancel: boolean; isCallerAbort: () => boolean }): boolean {
  const bodyDescriptor = findDescriptor(response, "body");
  if (!bodyDescriptor || !Object.isExtensible(response)) return false;
  const originalBody = (): ReadableStream<Uint8Array> | null => (bodyDescriptor.get ? bodyDescriptor.get.call(response) : bodyDescriptor.value) as ReadableStream<Uint8Array> | null;
  let observed: ReadableStream<Uint8Array> | null | undefined;
  try {
    Object.defineProperty(response, "body", {
      configurable: true,
      enumerable: bodyDescriptor.enumerable ?? true,
      get() {
        if (observed === undefined) {
          const body = originalBody();
          observed = body === null ? null : observeBody(body, watcher, options);
        }
        return observed;
      },
    });
    for (const name of readers) {
      const original = (response as unknown as Record<string, unknown>)[name];
      if (typeof original !== "function") continue;
      Object.defineProperty(response, name, {
        configurable: true,
        writable: true,
        value: async function (this: Response, ...args: unknown[]) {
          let result: unknown;
          try {
            result = await (original as (...parameters: unknown[]) => Promise<unknown>).apply(this, args);
          } catch (error) {
            if (name === "json" && error instanceof SyntaxError) watcher.whole({ notJson: true });
            else watcher.end(options.isCallerAbort() ? "cancelled" : "failed");
            throw error;
          }
          report(name, result, watcher);
          return result;
        },
      });
    }
    // A clone reports to the same watcher: whichever copy the caller reads first records the call.
    const originalClone = (response as { clone?: () => Response }).clone;
    if (typeof originalClone === "function") {
      Object.defineProperty(response, "clone", {
        configurable: true,
        writable: true,
        value: function (this: Response) {
          const copy = originalClone.call(this);
          instrumentResponse(copy, watcher, options);
          return copy;
        },
      });
    }
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
