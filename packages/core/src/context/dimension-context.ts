import { AsyncContextUnavailableError } from "../errors/async-context-unavailable-error";
import type { Dimensions } from "../event/usage-event";

interface AsyncLocalStorageLike<T> {
  run<R>(store: T, callback: () => R): R;
  getStore(): T | undefined;
}

type AsyncLocalStorageConstructor = new () => AsyncLocalStorageLike<unknown>;

let registered: AsyncLocalStorageConstructor | undefined;

/**
 * Hands core an AsyncLocalStorage class. The `node` entry of this package calls it with the one from
 * `node:async_hooks`, so the runtime-agnostic core never imports a platform module.
 */
export function registerAsyncLocalStorage(constructor: AsyncLocalStorageConstructor): void {
  registered = constructor;
}

/** Dimensions that flow with async work started inside `run`, for code that cannot set headers. */
export interface DimensionContext {
  run<R>(dimensions: Partial<Dimensions>, callback: () => R): R;
  current(): Partial<Dimensions> | undefined;
}

/** A dimension context over the registered AsyncLocalStorage, or the runtime's global one (edge runtimes). */
export function createDimensionContext(): DimensionContext {
  const constructor = registered ?? (globalThis as { AsyncLocalStorage?: AsyncLocalStorageConstructor }).AsyncLocalStorage;
  const storage = constructor ? (new constructor() as AsyncLocalStorageLike<Partial<Dimensions>>) : undefined;
  return {
    run(dimensions, callback) {
      if (!storage) throw new AsyncContextUnavailableError();
      // Inner scopes add to and override the outer ones.
      return storage.run({ ...storage.getStore(), ...dimensions }, callback);
    },
    current() {
      return storage?.getStore();
    },
  };
}
