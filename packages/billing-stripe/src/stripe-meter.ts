import type { MeterDefinition } from "@usagepilot/license/billing-sync";

/** A Stripe Billing meter as code: its `event_name`, what to send, and where the customer and value go. */
export interface StripeMeter extends MeterDefinition {
  /** The meter's `event_name` in Stripe. */
  name: string;
  /** The meter's id (`mtr_...`), needed by `reconcile()` to read its event summaries. */
  meterId?: string;
  /** The meter's `customer_mapping.event_payload_key`. Default "stripe_customer_id". */
  customerPayloadKey?: string;
  /** The meter's `value_settings.event_payload_key`. Default "value". */
  valuePayloadKey?: string;
}
