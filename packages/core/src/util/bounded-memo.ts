/** Values computed once per key, for a bounded number of keys. */
export interface BoundedMemo<V> {
  /** The value remembered for `key`, else `compute()`'s, remembered. */
  get(key: string, compute: () => V): V;
}

/**
 * Remembers up to `max` keys, then forgets them all at once and starts again: the keys come from traffic
 * (URLs, model names), so they must not grow without bound, and a hot key is back after one miss.
 */
export function createBoundedMemo<V>(max: number): BoundedMemo<V> {
  const known = new Map<string, V>();
  return {
    get(key, compute) {
      const hit = known.get(key);
      if (hit !== undefined || known.has(key)) return hit as V;
      const value = compute();
      if (known.size >= max) known.clear();
      known.set(key, value);
      return value;
    },
  };
}
