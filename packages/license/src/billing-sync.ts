// @usagepilot/license/billing-sync: the provider-neutral billing sync the commercial billing packages share
// (watermark, outbox ledger, deterministic identifiers, late-event deltas, retries, reconcile arithmetic).
export { createBillingSync, type BillingSync, type BillingSyncRunOptions, type CreateBillingSyncOptions } from "./billing-sync/create-billing-sync";
export { createLicensedBillingSync, type BillingDatabase, type LicensedBillingOptions } from "./billing-sync/create-licensed-billing-sync";
export type { BillingLineV1, BillingSenderV1, BillingTargetV1, ClassifiedErrorV1, LineOutcomeV1 } from "./billing-sync/billing-target-v1";
export type { BillingProblemReason, BillingProblemV1, BillingSyncReportV1, ReconcileReportV1 } from "./billing-sync/billing-sync-report";
export type { MeterDefinition, MeterQuantity } from "./billing-sync/meter-definition";
export type { DriftRowV1 } from "./billing-sync/reconcile-rows";
export type { SqlClient, SqlQuery } from "./billing-sync/sql-client";
export { billingIdentifier } from "./billing-sync/billing-identifier";
export { billingSchemaStatements, ensureBillingSchema } from "./billing-sync/ensure-billing-schema";
export { meterValue, type MeterValue } from "./billing-sync/meter-value";
export { reconcileRows } from "./billing-sync/reconcile-rows";
export { parseRetryAfter, retryDelay } from "./billing-sync/retry-delay";
export { compareDecimalText, subtractDecimalText } from "./billing-sync/decimal-text";
