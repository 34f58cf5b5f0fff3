import type { Dimensions } from "../event/usage-event-v1";

/** What raised an alert. */
export type AlertKind = "window-anomaly" | "request-anomaly" | "budget-threshold";

/**
 * One alert, version 1: what happened to which tenant, with the numbers that triggered it, so a person
 * reading it (or a webhook consumer) can judge without looking anything up.
 */
export interface AlertV1 {
  /** Stable across repeats of the same condition: delivery happens once per id. */
  id: string;
  kind: AlertKind;
  /** The tenant's dimensions the alert is about (the detector's key, e.g. { organization_id: "org-7" }). */
  tenant: Dimensions;
  /** One line for humans. */
  message: string;
  /** ISO time of the event that triggered it. */
  at: string;
  /** The numbers: what was observed, what was expected, and how far apart (kind-specific keys). */
  values: Record<string, number | string>;
  /** The event that tipped it over, when there is one. */
  eventId?: string;
}
