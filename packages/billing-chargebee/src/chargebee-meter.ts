import type { MeterDefinition } from "@usagepilot/license/billing-sync";

/** A Chargebee usage meter as code: the usage-event property it fills and what to send. */
export interface ChargebeeMeter extends MeterDefinition {
  /** The property of the usage event's `properties` that carries the value (what the metered feature sums). */
  name: string;
  /** The metered feature's id, needed by `reconcile()` to read its usage summary. */
  featureId?: string;
}
