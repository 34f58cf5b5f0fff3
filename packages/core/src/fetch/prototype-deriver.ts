/** Swaps objects' prototypes for ones derived from their own class's, made once per class. */
export interface PrototypeDeriver {
  /**
   * Gives `target` the derived prototype and its state under `key` (a symbol: invisible to keys, JSON and
   * for-in); false, leaving it untouched, when it cannot (frozen, unusual class).
   */
  swap(target: object, key: symbol, state: unknown): boolean;
}

/**
 * Instruments objects of classes we do not own (a Response, its body stream, the stream's reader) by
 * giving each a prototype that derives from its own, with the methods `make` returns, so `instanceof`
 * and everything else hold. Defining fresh per-object methods instead cost more than the rest of a
 * metered call; a prototype swap is cheap. `make` returns null for a class that cannot be instrumented.
 */
export function createPrototypeDeriver(make: (prototype: Record<PropertyKey, unknown>) => PropertyDescriptorMap | null): PrototypeDeriver {
  const derived = new WeakMap<object, object | null>();
  return {
    swap(target, key, state) {
      const prototype = Object.getPrototypeOf(target) as object | null;
      if (prototype === null || !Object.isExtensible(target)) return false;
      // Already one of ours (a class whose methods return instrumented objects).
      const parent = Object.getPrototypeOf(prototype) as object | null;
      if (parent !== null && derived.get(parent) === prototype) {
        (target as Record<symbol, unknown>)[key] = state;
        return true;
      }
      let made = derived.get(prototype);
      if (made === undefined) {
        const descriptors = make(prototype as Record<PropertyKey, unknown>);
        made = descriptors === null ? null : (Object.create(prototype, descriptors) as object);
        derived.set(prototype, made);
      }
      if (made === null) return false;
      // The state goes on before the swap: V8 shares one hidden class between objects given a property
      // and then a prototype, but makes a new one per object the other way round, and every inline cache
      // that meets such objects (undici's own included) then misses on each call.
      (target as Record<symbol, unknown>)[key] = state;
      try {
        Object.setPrototypeOf(target, made);
        return true;
      } catch {
        delete (target as Record<symbol, unknown>)[key];
        return false;
      }
    },
  };
}

/** A method property as classes define them (not enumerable). */
export function methodDescriptor(value: (...args: never[]) => unknown): PropertyDescriptor {
  return { configurable: true, writable: true, enumerable: false, value };
}
