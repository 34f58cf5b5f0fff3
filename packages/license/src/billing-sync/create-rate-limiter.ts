/**
 * Spaces calls so no more than `perSecond` start in any second: each `acquire()` resolves at the next free
 * slot. Keeps a sync under the provider's rate limit instead of learning it from 429s.
 */
export function createRateLimiter(perSecond: number): { acquire(): Promise<void> } {
  const spacing = perSecond > 0 ? 1000 / perSecond : 0;
  let next = 0;
  return {
    async acquire() {
      const now = Date.now();
      const slot = Math.max(now, next);
      next = slot + spacing;
      if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    },
  };
}
