/** Swaps objects' prototypes for ones derived from their own class's, made once per class. */
export interface PrototypeDeriver {
  /** Gives `target` the derived prototype; false when it cannot (frozen, unusual class). */
  swap(target: object): boolean;
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
    swap(target) {
      const prototype = Object.getPrototypeOf(target) as object | null;
      if (prototype === null || !Object.isExtensible(target)) return false;
      // Already one of ours (a class whose methods return instrumented objects).
      const parent = Object.getPrototypeOf(prototype) as object | null;
      if (parent !== null && derived.get(parent) === prototype) return true;
      let made = derived.get(prototype);
      if (made === undefined) {
        const descriptors = make(prototype as Record<PropertyKey, unknown>);
        made = descriptors === null ? null : (Object.create(prototype, descriptors) as object);
        derived.set(prototype, made);
      }
      if (made === null) return false;
      try {
        Object.setPrototypeOf(target, made);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** A method property as classes define them (not enumerable). */
export function methodDescriptor(value: (...args: never[]) => unknown): PropertyDescriptor {
  return { configurable: true, writable: true, enumerable: false, value };
}
