import type { LimitMetric } from "./limit-metric";

/** What `onThreshold` receives: a rule's usage crossed a percentage of its budget in the current window. */
export interface LimitThresholdAlert {
  /** The rule's name. */
  rule: string;
  /** The key dimensions and their values, e.g. `{ organization_id: "acme" }`. */
  key: Record<string, string>;
  metric: LimitMetric;
  /** The percentage crossed, e.g. 80. */
  threshold: number;
  /** The budget: a number, or a decimal string for `costUsd`. */
  limit: number | string;
  /** Settled usage when it crossed: a number, or a decimal string for `costUsd`. */
  used: number | string;
  /** When the window ends (calendar windows), or by when everything counted now has left it (rolling). */
  resetsAt: Date;
}
