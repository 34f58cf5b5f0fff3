import type { CostV1, UsageEventV1 } from "../event/usage-event-v1";

/** What a price book sees of an event: everything but the cost it is asked for. */
export type PriceableEvent = Omit<UsageEventV1, "cost">;

/**
 * Turns usage into an exact cost. Returns null when it knows no price for the event's model (never 0).
 * Version 1 of the interface; `@usagepilot/prices` implements it with dated, tiered provider prices.
 */
export interface PriceBookV1 {
  readonly specificationVersion: "v1";
  price(event: PriceableEvent): CostV1 | null;
}
