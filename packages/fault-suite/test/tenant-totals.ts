/**
 * What one tenant was served, or has stored: the number of provider calls (events), how many carried usage
 * the provider reported, and the sums of those reported counts. A sum over no reported usage is null:
 * unknown, never 0.
 */
export interface TenantTotals {
  events: number;
  reportedEvents: number;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** Totals keyed by tenant id. */
export type TotalsByTenant = Record<string, TenantTotals>;

/** Adds one call to `totals` (made on first use); `usage` null when nothing was reported. */
export function addCall(totals: TotalsByTenant, tenant: string, usage: { inputTokens: number; outputTokens: number } | null): void {
  const entry = (totals[tenant] ??= { events: 0, reportedEvents: 0, inputTokens: null, outputTokens: null });
  entry.events += 1;
  if (usage === null) return;
  entry.reportedEvents += 1;
  entry.inputTokens = (entry.inputTokens ?? 0) + usage.inputTokens;
  entry.outputTokens = (entry.outputTokens ?? 0) + usage.outputTokens;
}
