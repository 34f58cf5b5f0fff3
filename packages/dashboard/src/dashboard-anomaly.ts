/**
 * One recent anomaly shown on the dashboard. The same shape as core's `AlertV1`, so the alerts a
 * `UsagePilot` raised can be handed over as they are.
 */
export interface DashboardAnomaly {
  id: string;
  /** "window-anomaly", "request-anomaly", "budget-threshold"... */
  kind: string;
  /** The tenant's dimensions the anomaly is about. */
  tenant: Readonly<Record<string, string | undefined>>;
  /** One line for humans. */
  message: string;
  /** ISO time. */
  at: string;
  /** The numbers that triggered it. */
  values: Readonly<Record<string, number | string>>;
  eventId?: string;
}
