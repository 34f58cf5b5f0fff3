import type { PriceableEvent } from "@usagepilot/core";

/**
 * A markup (or, negative, a discount) on the cost of matching events: what a tenant or plan is charged
 * over the provider's price. Set exactly one of `percent` and `multiplier`, as decimal strings.
 *
 * @example
 * { name: "plan-pro", when: { plan: "pro" }, percent: "20" }        // cost × 1.2
 * { name: "acme-discount", when: { organization_id: "acme" }, percent: "-15" }
 * { name: "resale", when: (event) => event.provider === "openai", multiplier: "1.05" }
 */
export interface MarkupRule {
  /** Names the markup in `priceSource` ("markup:<name>"). */
  name: string;
  /**
   * Which events: every listed dimension equal to the value (or one of the values), or a predicate.
   * Default: every event.
   */
  when?: Readonly<Record<string, string | readonly string[]>> | ((event: PriceableEvent) => boolean);
  /** Percentage added to the cost ("20" → × 1.2; "-10" → × 0.9). At least "-100". */
  percent?: string;
  /** Factor the cost is multiplied by ("1.2"). Not negative. */
  multiplier?: string;
}

/**
 * Chooses the markup of an event: a list of rules (the first that matches applies, so put tenants before
 * plans), or a function returning the rule to apply (or null/undefined for none).
 */
export type MarkupOption = readonly MarkupRule[] | ((event: PriceableEvent) => Omit<MarkupRule, "when"> | null | undefined);
