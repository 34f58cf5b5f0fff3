import { type BillingSync, type CreateBillingSyncOptions, createLicensedBillingSync, type LicensedBillingOptions } from "@usagepilot/license/billing-sync";
import type Chargebee from "chargebee";
import type { ChargebeeMeter } from "./chargebee-meter";
import { createChargebeeTarget } from "./create-chargebee-target";

/** Options of `createChargebeeBilling`. */
export interface CreateChargebeeBillingOptions extends Omit<LicensedBillingOptions, "resolveExternalId"> {
  /** A chargebee-node client (`new Chargebee({ site, apiKey })`). */
  chargebee: Chargebee;
  /** The meters, as code: each fills one property of the usage events. */
  meters: readonly ChargebeeMeter[];
  /**
   * Finds the Chargebee subscription of a tenant the mapping table does not know; stored once found.
   * Default: none (map tenants with `mapTenant`).
   */
  resolveSubscription?: CreateBillingSyncOptions["resolveExternalId"];
  /** Names the target in the ledger (one per Chargebee site). Default "chargebee". */
  targetId?: string;
  /** Usage events per minute kept under. Default 10,000 (Chargebee's ingestion limit). */
  eventsPerMinute?: number;
  /** How far inside Chargebee's 12-hour window a line must be to be sent (ms). Default 900,000. */
  ageSafetyMarginMs?: number;
}

/** The Chargebee billing sync: `sync()`, `reconcile()`, `mapTenant()`, `unmapTenant()`. */
export type ChargebeeBilling = BillingSync;

/**
 * Usage → Chargebee usage events, exactly once: stored usage is summed per tenant, meter and window and
 * batch-ingested (500 per call) with deterministic deduplication ids; failed events are retried, deleted
 * subscriptions and usage older than Chargebee's 12-hour window are reported by name. Run `sync()` well
 * within 12 hours of the usage (every few minutes). Refuses (LicenseError) without a valid licence key.
 *
 * @example
 * const billing = await createChargebeeBilling({
 *   chargebee: new Chargebee({ site: "acme", apiKey: process.env.CHARGEBEE_API_KEY! }),
 *   storage, // the app's PostgresStorage
 *   meters: [{ name: "tokens", featureId: "ai-tokens", quantity: "tokens" }],
 *   resolveSubscription: (tenant) => subscriptions.lookup(tenant),
 * });
 * await billing.sync();
 */
export async function createChargebeeBilling(options: CreateChargebeeBillingOptions): Promise<ChargebeeBilling> {
  const { chargebee, meters, resolveSubscription, targetId, eventsPerMinute, ageSafetyMarginMs, ...rest } = options;
  const target = createChargebeeTarget({
    chargebee,
    meters,
    ...(targetId === undefined ? {} : { targetId }),
    ...(eventsPerMinute === undefined ? {} : { eventsPerMinute }),
    ...(ageSafetyMarginMs === undefined ? {} : { ageSafetyMarginMs }),
  });
  return createLicensedBillingSync({ ...rest, product: "@usagepilot/billing-chargebee", target, meters, ...(resolveSubscription ? { resolveExternalId: resolveSubscription } : {}) });
}
