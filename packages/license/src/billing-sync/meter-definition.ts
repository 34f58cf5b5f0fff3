/**
 * What a meter counts per usage event: all tokens (input + output), one token count, requests, a unit
 * (`{ unit: "images" }`), or cost as credits (`{ cost: { markup: "0.2", creditsPerUsd: "100" } }`: cost ×
 * (1 + markup) × creditsPerUsd, exact decimals, defaults markup "0" and creditsPerUsd "1").
 */
export type MeterQuantity =
  | "tokens"
  | "input_tokens"
  | "output_tokens"
  | "cached_input_tokens"
  | "reasoning_tokens"
  | "requests"
  | { unit: string }
  | { cost: { markup?: string; creditsPerUsd?: string } };

/** A meter as code: the provider-side name it reports to and the quantity it sends. */
export interface MeterDefinition {
  /** The provider's name for it: a Stripe meter's `event_name`, a Chargebee usage-event property. */
  name: string;
  /** What each event contributes. */
  quantity: MeterQuantity;
  /**
   * Fractional digits sent. Default 0: whole numbers, with the remainder carried to the tenant's next
   * line, so what was sent never differs from the exact running total by a whole unit.
   */
  decimals?: number;
  /** Event statuses that count. Default: all ("ok", "error", "aborted"), since the provider billed them. */
  statuses?: readonly string[];
}
