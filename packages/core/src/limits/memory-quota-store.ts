import { quotaBuckets } from "./quota-buckets";
import type { QuotaCounterStateV1, QuotaCounterV1, QuotaCrossingV1, QuotaEntryV1, QuotaReserveResultV1, QuotaStoreV1 } from "./quota-store-v1";

interface CounterState {
  buckets: Map<number, number>;
  /** Reservation id → amount and expiry. */
  reservations: Map<string, { amount: number; expiresAt: number }>;
  reserved: number;
  /**
   * No reservation expires before this (it may be earlier than the true next expiry, never later): the
   * reservations are scanned only once it has passed, whatever order their TTLs put them in.
   */
  nextExpiry: number;
  /** Thresholds already reported in this window (rolling windows: until `crossedUntil`). */
  crossed: Set<number>;
  crossedUntil: number;
  expiresAt: number;
}

/** Counters forgotten after their window are swept at most this often, ms. */
const sweepEveryMs = 60_000;

/**
 * Quota counters in this process's memory: exact for one instance, synchronous (a check and reserve
 * costs microseconds), lost on restart (limits seed it again from storage). For several instances use
 * `RedisQuotaStore` from `@usagepilot/redis`.
 */
export class MemoryQuotaStore implements QuotaStoreV1 {
  readonly specificationVersion = "v1" as const;
  private readonly counters = new Map<string, CounterState>();
  private nextSweep = 0;

  reserve(request: { reservationId: string; now: number; ttlMs: number; entries: readonly QuotaEntryV1[] }): QuotaReserveResultV1 {
    const { now } = request;
    this.sweep(now);
    const states: CounterState[] = [];
    const unseeded: number[] = [];
    request.entries.forEach((entry, index) => {
      const state = this.counters.get(entry.counter.id);
      if (state) states.push(state);
      else unseeded.push(index);
    });
    if (unseeded.length > 0) return { outcome: "unseeded", indexes: unseeded };
    // The first counter whose budget is exceeded refuses; failing that, the first that must wait for the
    // calls in flight (there is room once they settle): waiting is pointless when another counter is full.
    let pending: QuotaReserveResultV1 | undefined;
    for (const [index, entry] of request.entries.entries()) {
      const state = states[index]!;
      const { used, reserved: inFlight } = this.measure(state, entry.counter, now);
      // A retry replaces the id's earlier reservation: that one does not count against it.
      const reserved = inFlight - (state.reservations.get(request.reservationId)?.amount ?? 0);
      if (!entry.counter.block || used + reserved + entry.amount <= entry.counter.limit) continue;
      if (reserved > 0 && used + entry.amount <= entry.counter.limit) pending ??= { outcome: "pending", index, used, reserved };
      else return { outcome: "exceeded", index, used, reserved };
    }
    if (pending) return pending;
    const expiresAt = now + request.ttlMs;
    for (const [index, entry] of request.entries.entries()) {
      const state = states[index]!;
      // A reservation id reserved again (a retry) replaces its earlier amount, as in every store.
      const previous = state.reservations.get(request.reservationId);
      if (previous) state.reservations.delete(request.reservationId);
      state.reservations.set(request.reservationId, { amount: entry.amount, expiresAt });
      state.reserved += entry.amount - (previous?.amount ?? 0);
      state.nextExpiry = Math.min(state.nextExpiry, expiresAt);
      state.expiresAt = Math.max(state.expiresAt, expiresAt, quotaBuckets(entry.counter, now).expiresAt);
    }
    return { outcome: "reserved" };
  }

  settle(request: { reservationId: string; now: number; at: number; entries: readonly (QuotaEntryV1 & { thresholds?: readonly number[] })[] }): QuotaCrossingV1[] {
    const crossings: QuotaCrossingV1[] = [];
    for (const [index, entry] of request.entries.entries()) {
      const state = this.counters.get(entry.counter.id);
      if (!state) continue;
      const held = state.reservations.get(request.reservationId);
      if (held) {
        state.reservations.delete(request.reservationId);
        state.reserved -= held.amount;
      }
      const { bucket, oldest, expiresAt } = quotaBuckets(entry.counter, request.now, request.at);
      if (entry.amount > 0) state.buckets.set(bucket, (state.buckets.get(bucket) ?? 0) + entry.amount);
      state.expiresAt = Math.max(state.expiresAt, expiresAt);
      if (!entry.thresholds || entry.thresholds.length === 0) continue;
      if (state.crossedUntil <= request.now) state.crossed.clear();
      const used = sumBuckets(state, oldest);
      for (const threshold of entry.thresholds) {
        if (state.crossed.has(threshold) || used * 100 < threshold * entry.counter.limit) continue;
        if (state.crossed.size === 0) state.crossedUntil = expiresAt;
        state.crossed.add(threshold);
        crossings.push({ index, threshold, used });
      }
    }
    return crossings;
  }

  seed(request: { now: number; counter: QuotaCounterV1; amounts: readonly { at: number; amount: number }[] }): boolean {
    if (this.counters.has(request.counter.id)) return false;
    const state: CounterState = { buckets: new Map(), reservations: new Map(), reserved: 0, nextExpiry: Number.POSITIVE_INFINITY, crossed: new Set(), crossedUntil: 0, expiresAt: quotaBuckets(request.counter, request.now).expiresAt };
    for (const { at, amount } of request.amounts) {
      if (amount <= 0) continue;
      const { bucket } = quotaBuckets(request.counter, request.now, at);
      state.buckets.set(bucket, (state.buckets.get(bucket) ?? 0) + amount);
    }
    this.counters.set(request.counter.id, state);
    return true;
  }

  read(request: { now: number; counters: readonly QuotaCounterV1[] }): QuotaCounterStateV1[] {
    return request.counters.map((counter) => {
      const state = this.counters.get(counter.id);
      if (!state) return { seeded: false, used: 0, reserved: 0 };
      return { seeded: true, ...this.measure(state, counter, request.now) };
    });
  }

  /** Settled and reserved amounts at `now`, dropping expired reservations and buckets that left the window. */
  private measure(state: CounterState, counter: QuotaCounterV1, now: number): { used: number; reserved: number } {
    if (state.nextExpiry <= now) {
      let next = Number.POSITIVE_INFINITY;
      for (const [id, reservation] of state.reservations) {
        if (reservation.expiresAt > now) {
          next = Math.min(next, reservation.expiresAt);
          continue;
        }
        state.reservations.delete(id);
        state.reserved -= reservation.amount;
      }
      state.nextExpiry = next;
    }
    return { used: sumBuckets(state, quotaBuckets(counter, now).oldest), reserved: state.reserved };
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + sweepEveryMs;
    for (const [id, state] of this.counters) if (state.expiresAt <= now && state.reservations.size === 0) this.counters.delete(id);
  }
}

function sumBuckets(state: CounterState, oldest: number): number {
  let used = 0;
  for (const [bucket, amount] of state.buckets) {
    if (bucket < oldest) state.buckets.delete(bucket);
    else used += amount;
  }
  return used;
}
