// @usagepilot/billing-chargebee (commercial): usage → Chargebee usage events, exactly once, reconciled.
export { createChargebeeBilling, type ChargebeeBilling, type CreateChargebeeBillingOptions } from "./create-chargebee-billing";
export { createChargebeeTarget, type CreateChargebeeTargetOptions } from "./create-chargebee-target";
export { classifyChargebeeError } from "./classify-chargebee-error";
export type { ChargebeeMeter } from "./chargebee-meter";
export type { BillingDatabase, BillingProblemReason, BillingProblemV1, BillingSyncReportV1, DriftRowV1, MeterQuantity, ReconcileReportV1 } from "@usagepilot/license/billing-sync";
export { LicenseError } from "@usagepilot/license";
