import type { FakeLlmServer } from "@usagepilot/testing";
import { expect } from "vitest";
import { servedTenantTotals } from "./served-tenant-totals";
import { storedTenantTotals } from "./stored-tenant-totals";
import type { TotalsByTenant } from "./tenant-totals";

/**
 * The check every scenario ends with: the ledger's totals per tenant, read back from PostgreSQL, equal what
 * the fake server served (restricted to `calls` when given). `served`, when given, pins the served totals
 * too, so a scenario that served nothing interesting cannot pass by comparing empty with empty.
 */
export async function expectStoredAsServed(options: { url: string; server: FakeLlmServer; calls?: ReadonlySet<string>; served?: TotalsByTenant }): Promise<TotalsByTenant> {
  const served = servedTenantTotals(options.server, options.calls ? { calls: options.calls } : {});
  if (options.served) expect(served).toEqual(options.served);
  expect(await storedTenantTotals(options.url)).toEqual(served);
  return served;
}
