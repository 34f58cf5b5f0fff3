import type { UsageQuery, UsageQueryRow, UsageStorage } from "@usagepilot/core";

/**
 * A storage that can read for one tenant under its own guard, as `PostgresStorage.forTenant` does (row-level
 * security in the database). The dashboard uses it for tenant tokens when the storage has it.
 */
export interface TenantScopedStorage {
  forTenant(dimensions: Readonly<Record<string, string>>): { query(query: UsageQuery): Promise<UsageQueryRow[]> };
}

/** The storage the dashboard reads: any `UsageStorage` with `query`. */
export type DashboardStorage = Pick<UsageStorage, "query"> & Partial<TenantScopedStorage>;
