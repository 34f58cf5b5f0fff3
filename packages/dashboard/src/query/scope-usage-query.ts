import type { UsageQuery } from "@usagepilot/core";

/**
 * The query limited to one tenant: the tenant's dimensions are ANDed into `where`, replacing whatever the
 * request asked for the same keys, so a request can narrow its view but never widen it.
 */
export function scopeUsageQuery(query: UsageQuery, tenant: Readonly<Record<string, string>>): UsageQuery {
  return { ...query, where: { ...query.where, ...tenant } };
}
