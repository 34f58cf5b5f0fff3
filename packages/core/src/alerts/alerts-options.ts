import type { AlertV1 } from "./alert-v1";
import type { AnomalyDetectorOptions } from "./anomaly-detector";
import type { AlertDispatcherOptions } from "./create-alert-dispatcher";

/**
 * The `alerts` option of `UsagePilot`: anomalies found in captured events and budget thresholds crossed
 * (rules with `thresholds`), each delivered once to `onAlert` and to a webhook.
 */
export interface AlertsOptions {
  /** The per-tenant baseline anomaly detector. Default `{ key: ["organization_id"] }`; false turns it off. */
  anomaly?: AnomalyDetectorOptions | false;
  /** Called once per alert. Errors it throws go to `onError`. */
  onAlert?: (alert: AlertV1) => void | Promise<void>;
  /** A Slack-compatible webhook that gets every alert once (retried with backoff). */
  webhook?: AlertDispatcherOptions["webhook"];
  /** Alerts kept for `usage.alerts.recent()` (e.g. a dashboard's anomaly panel). Default 200. */
  keep?: number;
}
