import type { LimitMetric } from "./limit-metric";

/** Where one metric of a budget stands. Cost figures are decimal USD strings; the rest are numbers. */
export interface LimitMetricStatus {
  metric: LimitMetric;
  limit: number | string;
  /** Settled usage in the window. */
  used: number | string;
  /** Reserved by calls in flight. */
  reserved: number | string;
  /** limit − used − reserved, never below 0. */
  remaining: number | string;
}

/** Where a tenant stands against one rule, as `usage.limits.status(dimensions)` reports it. */
export interface LimitStatus {
  rule: string;
  action: "block" | "notify";
  /** The key dimensions and their values. */
  key: Record<string, string>;
  window: {
    /** The calendar window's id ("2026-11", "2026-11-29"), or "rolling". */
    id: string;
    start: Date;
    /** When the window ends (calendar), or by when everything counted now has left it (rolling). */
    resetsAt: Date;
  };
  metrics: LimitMetricStatus[];
}
