import { type BillingSync, type CreateBillingSyncOptions, createLicensedBillingSync, type LicensedBillingOptions } from "@usagepilot/license/billing-sync";
import type Stripe from "stripe";
import { createStripeTarget } from "./create-stripe-target";
import type { StripeMeter } from "./stripe-meter";

/** Options of `createStripeBilling`. */
export interface CreateStripeBillingOptions extends Omit<LicensedBillingOptions, "resolveExternalId"> {
  /** A stripe-node client (`new Stripe(secretKey)`). Its `host`/`port`/`protocol` settings are honoured. */
  stripe: Stripe;
  /** The meters, as code. */
  meters: readonly StripeMeter[];
  /**
   * Finds the Stripe customer (`cus_...`) of a tenant the mapping table does not know; stored once found.
   * Default: none (map tenants with `mapTenant`).
   */
  resolveCustomer?: CreateBillingSyncOptions["resolveExternalId"];
  /** Names the target in the ledger (one per Stripe account). Default "stripe". */
  targetId?: string;
  /** Pending lines from which a run uses the v2 meter event stream instead of v1. Default 100. */
  streamThreshold?: number;
  /** Stripe calls per second kept under. Default 50. */
  requestsPerSecond?: number;
}

/** The Stripe billing sync: `sync()`, `reconcile()`, `mapTenant()`, `unmapTenant()`. */
export type StripeBilling = BillingSync;

/**
 * Usage → Stripe Billing meters, exactly once: stored usage is summed per tenant, meter and window, and
 * sent with deterministic identifiers through v1 meter events or the v2 meter event stream; the watermark
 * and what was sent are kept in the usage database. Refuses (LicenseError) without a valid Pro or
 * Enterprise licence key.
 *
 * @example
 * const billing = await createStripeBilling({
 *   stripe: new Stripe(process.env.STRIPE_SECRET_KEY!),
 *   storage, // the app's PostgresStorage
 *   meters: [{ name: "ai_tokens", meterId: "mtr_123", quantity: "tokens" }],
 *   resolveCustomer: (tenant) => customers.lookup(tenant),
 * });
 * const report = await billing.sync(); // run every few minutes
 */
export async function createStripeBilling(options: CreateStripeBillingOptions): Promise<StripeBilling> {
  const { stripe, meters, resolveCustomer, targetId, streamThreshold, requestsPerSecond, ...rest } = options;
  const target = createStripeTarget({
    stripe,
    meters,
    ...(targetId === undefined ? {} : { targetId }),
    ...(streamThreshold === undefined ? {} : { streamThreshold }),
    ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
  });
  return createLicensedBillingSync({ ...rest, product: "@usagepilot/billing-stripe", target, meters, ...(resolveCustomer ? { resolveExternalId: resolveCustomer } : {}) });
}
