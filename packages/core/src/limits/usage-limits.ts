import type { DimensionsInput } from "../dimensions/resolve-dimensions";
import type { Dimensions } from "../event/usage-event";
import type { LimitStatus } from "./limit-status";

/** `usage.limits`: where tenants stand against the configured budgets. */
export interface UsageLimits<D extends Dimensions = Dimensions> {
  /**
   * Every rule that applies to these dimensions, with its budget, settled usage, reservations in flight
   * and window. Empty without `limits`. Counters not seen yet are seeded from storage first.
   */
  status(dimensions: DimensionsInput<D>): Promise<LimitStatus[]>;
}
