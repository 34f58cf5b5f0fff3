/**
 * Where a tenant stands against one budget, as the dashboard's quota gauges show it. The same shape as
 * core's `LimitStatus`, so `quotaStatus: (dimensions) => usage.limits.status(dimensions)` plugs in as is.
 * Cost figures are decimal USD strings; the rest are numbers.
 */
export interface DashboardQuotaStatus {
  /** The rule's name, e.g. "org-month". */
  rule: string;
  action: "block" | "notify" | (string & {});
  /** The key dimensions and their values. */
  key: Readonly<Record<string, string>>;
  window: { id: string; start: Date | string; resetsAt: Date | string };
  metrics: readonly { metric: string; limit: number | string; used: number | string; reserved: number | string; remaining: number | string }[];
}
