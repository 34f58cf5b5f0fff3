import type { LimitThresholdAlert } from "../limits/limit-threshold-alert";
import type { AlertV1 } from "./alert-v1";

/** A budget threshold crossing as an alert: once per rule, key, metric, threshold and window. */
export function thresholdAlert(crossing: LimitThresholdAlert, at: Date = new Date()): AlertV1 {
  const tenant = Object.entries(crossing.key)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");
  return {
    id: `budget-threshold:${crossing.rule}:${JSON.stringify(crossing.key)}:${crossing.metric}:${crossing.threshold}:${crossing.resetsAt.toISOString()}`,
    kind: "budget-threshold",
    tenant: { ...crossing.key },
    message: `${tenant || "everyone"} crossed ${crossing.threshold}% of budget "${crossing.rule}": ${crossing.metric} ${crossing.used} of ${crossing.limit}, resets ${crossing.resetsAt.toISOString()}`,
    at: at.toISOString(),
    values: { rule: crossing.rule, metric: crossing.metric, threshold: crossing.threshold, used: crossing.used, limit: crossing.limit, resetsAt: crossing.resetsAt.toISOString() },
  };
}
