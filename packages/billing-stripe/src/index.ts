// @usagepilot/billing-stripe (commercial): usage → Stripe Billing meters, exactly once, reconciled.
export { createStripeBilling, type CreateStripeBillingOptions, type StripeBilling } from "./create-stripe-billing";
export { createStripeTarget, type CreateStripeTargetOptions } from "./create-stripe-target";
export { classifyStripeError } from "./classify-stripe-error";
export type { StripeMeter } from "./stripe-meter";
export type { BillingDatabase, BillingProblemReason, BillingProblemV1, BillingSyncReportV1, DriftRowV1, MeterQuantity, ReconcileReportV1 } from "@usagepilot/license/billing-sync";
export { LicenseError } from "@usagepilot/license";
