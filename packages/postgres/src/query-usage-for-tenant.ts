import type { UsageQuery, UsageQueryRow } from "@usagepilot/core";
import { sql } from "drizzle-orm";
import type { PostgresDriver } from "./driver/postgres-driver";
import { queryUsage } from "./query-usage";

/** The role tenant-scoped reads run as (made by migration 0001), unless `PostgresStorageOptions.tenantRole` names another. */
export const defaultTenantRole = "usagepilot_tenant";

/**
 * Answers `query` for one tenant only, twice guarded: the tenant's dimensions are ANDed into `where` (they
 * replace any value the query gave for the same key, so a query cannot widen them), and the statements run
 * in one transaction as a non-owner role with the tenant in `usagepilot.tenant`, where the row-level
 * security policies hide every other tenant's rows. Throws when `tenant` is empty: it would name everyone.
 */
export async function queryUsageForTenant(driver: PostgresDriver, query: UsageQuery, tenant: Readonly<Record<string, string>>, role: string = defaultTenantRole): Promise<UsageQueryRow[]> {
  const entries = Object.entries(tenant);
  if (entries.length === 0 || entries.some(([key, value]) => key === "" || typeof value !== "string")) {
    throw new TypeError("A tenant-scoped query needs at least one dimension, each a string");
  }
  const scoped: UsageQuery = { ...query, where: { ...query.where, ...tenant } };
  return driver.transaction(async (execute) => {
    // SET LOCAL ends with the transaction, so the pooled connection goes back as the owner with no tenant.
    await execute(sql`SELECT set_config('role', ${role}, true)`);
    await execute(sql`SELECT set_config('usagepilot.tenant', ${JSON.stringify(tenant)}, true)`);
    return queryUsage({ execute }, scoped);
  });
}
