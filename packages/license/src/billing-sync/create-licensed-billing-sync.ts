import { requireLicense } from "../require-license";
import { type BillingSync, type CreateBillingSyncOptions, createBillingSync } from "./create-billing-sync";
import type { SqlClient } from "./sql-client";

/** Where the usage lives: a `PostgresStorage` (or anything with `sqlClient()`), or a `SqlClient`. */
export type BillingDatabase = { sqlClient(): Promise<SqlClient> } | SqlClient;

/** The options every billing package shares, beyond its provider client and meters. */
export interface LicensedBillingOptions extends Omit<CreateBillingSyncOptions, "sql" | "target" | "meters"> {
  /** The database the usage is stored in, normally the app's `PostgresStorage`. */
  storage: BillingDatabase;
  /** A Pro or Enterprise licence key. Default: the USAGEPILOT_LICENSE_KEY environment variable. */
  licenseKey?: string;
  /** The licence verification key (SPKI PEM). Default: UsagePilot's, built in. For tests with their own key pair. */
  licensePublicKey?: string;
}

/**
 * Verifies the licence for `product` (throws `LicenseError` with how to get one), then builds the sync on
 * the storage's database; `sync()` and `reconcile()` verify it again, so an expired licence stops them.
 * The one entry both billing packages go through.
 */
export async function createLicensedBillingSync(options: LicensedBillingOptions & Pick<CreateBillingSyncOptions, "target" | "meters"> & { product: string }): Promise<BillingSync> {
  const { product, storage, licenseKey, licensePublicKey, ...rest } = options;
  const check = () => requireLicense({ product, licenseKey, ...(licensePublicKey ? { publicKey: licensePublicKey } : {}) });
  await check();
  const sync = createBillingSync({ ...rest, sql: "sqlClient" in storage ? () => storage.sqlClient() : storage });
  // Checked again on every call (cached, so cheap): a long-running sync process must stop when its licence expires.
  return {
    sync: async (runOptions) => (await check(), sync.sync(runOptions)),
    reconcile: async (range) => (await check(), sync.reconcile(range)),
    mapTenant: (tenantKey, externalId) => sync.mapTenant(tenantKey, externalId),
    unmapTenant: (tenantKey) => sync.unmapTenant(tenantKey),
  };
}
